package org.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.millrace.common.Settings;
import org.millrace.ops.cluster.NodeRole;

/**
 * The deployment files parse and hang together (there is no kubectl here to dry-run them): the expected
 * kinds, labels that match selectors, the ports probes and the PodMonitor name, a headless service, and
 * settings keys that exist in the modules' reference.conf.
 */
class DeployManifestsTest {
    private static final Path DEPLOY = Path.of("..", "ops", "deploy").toAbsolutePath().normalize();
    private static final List<JsonNode> DOCS = new ArrayList<>();
    private static final Config REFERENCE = Settings.load(null);

    @BeforeAll
    static void parse() throws IOException {
        ObjectMapper yaml = new YAMLMapper();
        ObjectReader reader = yaml.readerFor(JsonNode.class);
        try (Stream<Path> files = Files.list(DEPLOY.resolve("kubernetes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (var parser = new YAMLFactory().createParser(f.toFile())) {
                    Iterator<JsonNode> it = reader.readValues(parser);
                    while (it.hasNext()) {
                        JsonNode doc = it.next();
                        if (doc != null && !doc.isEmpty()) {
                            ((com.fasterxml.jackson.databind.node.ObjectNode) doc).put("__file", f.getFileName().toString());
                            DOCS.add(doc);
                        }
                    }
                }
            }
        }
    }

    private static List<JsonNode> ofKind(String... kinds) {
        Set<String> k = Set.of(kinds);
        return DOCS.stream().filter(d -> k.contains(d.path("kind").asText())).toList();
    }

    private static Map<String, String> map(JsonNode node) {
        Map<String, String> m = new HashMap<>();
        node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return !selector.isEmpty() && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    @Test
    void everyResourceOfTheKustomizationIsThereAndOfAnExpectedKind() throws IOException {
        JsonNode kustomization = ofKind("Kustomization").get(0);
        Set<String> files = new HashSet<>();
        kustomization.path("resources").forEach(r -> files.add(r.asText()));
        try (Stream<Path> all = Files.list(DEPLOY.resolve("kubernetes"))) {
            Set<String> present = new HashSet<>(all.map(p -> p.getFileName().toString()).toList());
            present.remove("kustomization.yaml");
            assertEquals(present, files, "kustomization.yaml lists every manifest");
        }
        Set<String> kinds = new HashSet<>();
        DOCS.forEach(d -> kinds.add(d.path("kind").asText()));
        assertTrue(kinds.containsAll(Set.of("StatefulSet", "Deployment", "Service", "ConfigMap", "PodMonitor",
                "ServiceAccount", "Role", "RoleBinding", "PersistentVolumeClaim")), "kinds: " + kinds);
        for (JsonNode d : DOCS) {
            assertFalse(d.path("apiVersion").asText().isEmpty(), d.path("__file").asText() + " has an apiVersion");
        }
    }

    @Test
    void everyRoleRunsInSomeWorkloadWhosePodsMatchTheirSelectorAndHavePortsProbesAndRequests() {
        Set<NodeRole> covered = new HashSet<>();
        JsonNode service = ofKind("Service").stream().filter(s -> "None".equals(s.at("/spec/clusterIP").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("a headless service (clusterIP None)"));
        assertTrue(service.at("/spec/publishNotReadyAddresses").asBoolean(), "bootstrap contacts pods before they are ready");
        Map<String, String> serviceSelector = map(service.at("/spec/selector"));
        Set<String> configMaps = new HashSet<>();
        ofKind("ConfigMap").forEach(c -> configMaps.add(c.at("/metadata/name").asText()));
        Set<String> claims = new HashSet<>();
        ofKind("PersistentVolumeClaim").forEach(c -> claims.add(c.at("/metadata/name").asText()));
        List<JsonNode> workloads = ofKind("StatefulSet", "Deployment");
        assertTrue(workloads.size() >= 4, "one workload per role group");
        for (JsonNode w : workloads) {
            String name = w.at("/metadata/name").asText();
            Map<String, String> labels = map(w.at("/spec/template/metadata/labels"));
            assertTrue(matches(map(w.at("/spec/selector/matchLabels")), labels), name + ": selector matches the pod labels");
            assertTrue(matches(serviceSelector, labels), name + ": pods are behind the headless service");
            if (w.path("kind").asText().equals("StatefulSet")) {
                assertEquals(service.at("/metadata/name").asText(), w.at("/spec/serviceName").asText(), name + ": serviceName");
            }
            assertEquals("millrace", w.at("/spec/template/spec/serviceAccountName").asText(), name + ": may list pods for discovery");
            JsonNode container = w.at("/spec/template/spec/containers/0");
            List<String> command = new ArrayList<>();
            container.path("command").forEach(c -> command.add(c.asText()));
            assertEquals(List.of("millrace", "node"), command.subList(0, 2), name + ": runs millrace node");
            String roles = command.get(command.indexOf("--roles") + 1);
            covered.addAll(NodeRole.parse(List.of(roles.split(",")), name + " --roles"));
            Map<String, Integer> ports = new HashMap<>();
            container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
            assertEquals(25520, ports.get("remoting"), name + ": Artery port = millrace.cluster.port");
            assertEquals(REFERENCE.getInt("millrace.cluster.bootstrap.management-port"), ports.get("management"), name + ": management port");
            assertEquals(REFERENCE.getInt("millrace.metrics.port"), ports.get("metrics"), name + ": metrics port");
            for (String probe : List.of("livenessProbe", "readinessProbe")) {
                String port = container.at("/" + probe + "/httpGet/port").asText();
                assertTrue(ports.containsKey(port), name + ": " + probe + " port '" + port + "' is a container port");
            }
            assertFalse(container.at("/resources/requests/cpu").asText().isEmpty(), name + ": cpu request");
            assertFalse(container.at("/resources/requests/memory").asText().isEmpty(), name + ": memory request");
            boolean hostFromPod = false;
            for (JsonNode env : container.path("env")) {
                hostFromPod |= env.path("name").asText().equals("MILLRACE_CLUSTER_HOST")
                        && env.at("/valueFrom/fieldRef/fieldPath").asText().equals("status.podIP");
            }
            assertTrue(hostFromPod, name + ": Artery binds to the pod IP");
            Set<String> volumes = new HashSet<>();
            for (JsonNode v : w.at("/spec/template/spec/volumes")) {
                volumes.add(v.path("name").asText());
                if (v.has("configMap")) {
                    assertTrue(configMaps.contains(v.at("/configMap/name").asText()), name + ": config map exists");
                }
                if (v.has("persistentVolumeClaim")) {
                    assertTrue(claims.contains(v.at("/persistentVolumeClaim/claimName").asText()), name + ": claim exists");
                }
            }
            w.at("/spec/volumeClaimTemplates").forEach(t -> volumes.add(t.at("/metadata/name").asText()));
            for (JsonNode m : container.path("volumeMounts")) {
                assertTrue(volumes.contains(m.path("name").asText()), name + ": volume " + m.path("name").asText() + " is defined");
            }
            JsonNode podMonitor = ofKind("PodMonitor").get(0);
            assertTrue(matches(map(podMonitor.at("/spec/selector/matchLabels")), labels), name + ": scraped by the PodMonitor");
            assertTrue(ports.containsKey(podMonitor.at("/spec/podMetricsEndpoints/0/port").asText()), name + ": PodMonitor port exists");
        }
        assertEquals(Set.of(NodeRole.values()), covered, "every role runs somewhere");
    }

    @Test
    void theSettingsOfTheConfigMapAndOfTheSystemdInstallExistInReferenceConf() throws IOException {
        JsonNode configMap = ofKind("ConfigMap").get(0);
        Config k8s = ConfigFactory.parseString(configMap.at("/data/millrace.conf").asText());
        assertTrue(k8s.getBoolean("millrace.cluster.bootstrap.enabled"), "Kubernetes discovery on in the cluster");
        assertTrue(k8s.getStringList("millrace.cluster.seed-nodes").isEmpty(), "no seed nodes with bootstrap");
        assertKnown(k8s, "ConfigMap millrace-config");
        Config systemd = ConfigFactory.parseFile(DEPLOY.resolve("systemd/millrace.conf").toFile());
        assertKnown(systemd, "systemd millrace.conf");
        // the merged settings are valid
        org.millrace.ops.cluster.ClusterSettings.fromConfig(k8s.withFallback(REFERENCE).resolve(), Path.of("/data"));
    }

    private static void assertKnown(Config c, String where) {
        for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
            assertTrue(REFERENCE.hasPathOrNull(e.getKey()), where + ": " + e.getKey() + " is not a key of any reference.conf");
        }
    }

    @Test
    void systemdUnitsRunNodesWithValidRolesAndRestartDownedNodes() throws IOException {
        Map<String, Map<String, String>> unit = ini(DEPLOY.resolve("systemd/millrace-node@.service"));
        String exec = unit.get("Service").get("ExecStart");
        assertTrue(exec.contains(" node ") && exec.contains("--roles ${MILLRACE_ROLES}") && exec.contains("--seed-nodes ${MILLRACE_SEED_NODES}"), exec);
        assertEquals("always", unit.get("Service").get("Restart"), "a downed node exits and comes back");
        assertEquals("SIGTERM", unit.get("Service").get("KillSignal"));
        assertTrue(unit.get("Install").get("WantedBy").contains("multi-user.target"));
        Set<NodeRole> covered = new HashSet<>();
        try (Stream<Path> envs = Files.list(DEPLOY.resolve("systemd"))) {
            for (Path env : envs.filter(p -> p.toString().endsWith(".env")).toList()) {
                Map<String, String> vars = new HashMap<>();
                for (String line : Files.readAllLines(env)) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        vars.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
                    }
                }
                covered.addAll(NodeRole.parse(List.of(vars.get("MILLRACE_ROLES").split(",")), env + " MILLRACE_ROLES"));
                for (String seed : vars.get("MILLRACE_SEED_NODES").split(",")) {
                    assertTrue(seed.matches("[^:]+:\\d+"), env + ": seed " + seed + " is host:port");
                }
                assertTrue(vars.get("MILLRACE_PORT").matches("\\d+"), env + ": port");
            }
        }
        assertEquals(Set.of(NodeRole.values()), covered, "every role runs on some systemd node");
        assertTrue(ini(DEPLOY.resolve("systemd/millrace-broker.service")).get("Service").get("ExecStart").contains(" broker "));
    }

    /** A systemd unit file: sections of key=value lines. */
    private static Map<String, Map<String, String>> ini(Path file) throws IOException {
        Map<String, Map<String, String>> sections = new HashMap<>();
        Map<String, String> current = null;
        for (String line : Files.readAllLines(file)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("[") && l.endsWith("]")) {
                current = sections.computeIfAbsent(l.substring(1, l.length() - 1), k -> new HashMap<>());
            } else {
                int eq = l.indexOf('=');
                assertTrue(current != null && eq > 0, file + ": '" + l + "' is key=value inside a section");
                current.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        return sections;
    }
}
