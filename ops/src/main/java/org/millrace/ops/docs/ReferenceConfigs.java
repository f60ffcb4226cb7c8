package org.millrace.ops.docs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.NodeList;

/**
 * Reads the {@code reference.conf} of every module of a source tree into documented blocks, with the
 * comments Typesafe Config keeps on each value's origin ({@code ConfigOrigin.comments()}).
 *
 * <p>Rules (the project's own, stated in docs/configuration.md): an object none of whose members
 * (at any depth) has a comment of its own is one setting (a map such as {@code bucket-of-kind});
 * a key without a comment shares the comment of the key right before it in the same object
 * ({@code bands = 14} then {@code rows = 8} under one comment).
 */
public final class ReferenceConfigs {
    private static final Pattern OPTIONAL_SUBSTITUTION = Pattern.compile("\\$\\{\\?([^}]+)}");
    private static final String RESOURCE = "src/main/resources/reference.conf";

    private ReferenceConfigs() {
    }

    /** The source tree's root: the nearest directory at or above {@code start} whose pom.xml lists modules. */
    public static Path findRoot(Path start) {
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            Path pom = p.resolve("pom.xml");
            if (Files.isRegularFile(pom) && !modules(pom).isEmpty()) {
                return p;
            }
        }
        throw new IllegalArgumentException("no Maven root (a pom.xml with <modules>) at or above " + start.toAbsolutePath());
    }

    /** Blocks of every module's reference.conf, modules in the root pom's order, blocks in file order. */
    public static List<ConfigBlock> read(Path root) {
        List<String> modules = modules(root.resolve("pom.xml"));
        if (modules.isEmpty()) {
            throw new IllegalArgumentException(root.resolve("pom.xml") + " lists no <modules>: is " + root + " the source root?");
        }
        List<ConfigBlock> blocks = new ArrayList<>();
        for (String module : modules) {
            Path file = root.resolve(module).resolve(RESOURCE);
            if (Files.isRegularFile(file)) {
                blocks.addAll(readFile(module, file));
            }
        }
        return blocks;
    }

    /** Blocks of one reference.conf. */
    public static List<ConfigBlock> readFile(String module, Path file) {
        Config raw = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        // Substitutions resolve inside the file only, so the defaults do not depend on this machine's environment.
        Config resolved = raw.resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false).setAllowUnresolved(true));
        List<ConfigBlock> blocks = new ArrayList<>();
        walk(module, "", List.of(), resolved.root(), raw.root(), blocks);
        return blocks;
    }

    private static void walk(String module, String path, List<String> comment, ConfigObject object, ConfigObject raw,
                             List<ConfigBlock> out) {
        List<ConfigSetting> settings = new ArrayList<>();
        List<Map.Entry<String, ConfigValue>> children = new ArrayList<>();
        List<String> shared = List.of();
        for (Map.Entry<String, ConfigValue> e : inFileOrder(object.entrySet())) {
            ConfigValue value = e.getValue();
            String key = e.getKey();
            if (isBlock(value)) {
                children.add(e);
                shared = List.of();
                continue;
            }
            List<String> own = trimmed(value.origin().comments());
            if (!own.isEmpty()) {
                shared = own;
            }
            String rawText = raw == null || raw.get(key) == null ? "" : raw.get(key).render(ConfigRenderOptions.concise());
            settings.add(new ConfigSetting(module, path, ConfigUtil.joinPath(key),
                    render(value), override(rawText), own.isEmpty() ? shared : own,
                    !own.isEmpty(), value.origin().lineNumber()));
        }
        if (!settings.isEmpty() || !comment.isEmpty() && !path.isEmpty()) {
            out.add(new ConfigBlock(module, path, comment, settings));
        }
        for (Map.Entry<String, ConfigValue> e : children) {
            String childPath = path.isEmpty() ? ConfigUtil.joinPath(e.getKey()) : path + "." + ConfigUtil.joinPath(e.getKey());
            ConfigValue rawChild = raw == null ? null : raw.get(e.getKey());
            walk(module, childPath, trimmed(e.getValue().origin().comments()), (ConfigObject) e.getValue(),
                    rawChild instanceof ConfigObject o ? o : null, out);
        }
    }

    /** An object is a block of settings when one of its members has its own comment or is a block. */
    private static boolean isBlock(ConfigValue value) {
        if (value.valueType() != ConfigValueType.OBJECT) {
            return false;
        }
        for (ConfigValue member : ((ConfigObject) value).values()) {
            if (!member.origin().comments().isEmpty() || isBlock(member)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A value as HOCON text; an object that is one setting (a map) as {@code { a.b = 1, c = x }} with
     * dotted paths, so keys such as Kafka's {@code max.partition.fetch.bytes} read as written.
     */
    private static String render(ConfigValue value) {
        if (value.valueType() != ConfigValueType.OBJECT || ((ConfigObject) value).isEmpty()) {
            return value.render(ConfigRenderOptions.concise());
        }
        List<String> members = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : inFileOrder(((ConfigObject) value).toConfig().entrySet())) {
            members.add(e.getKey() + " = " + e.getValue().render(ConfigRenderOptions.concise()));
        }
        return "{ " + String.join(", ", members) + " }";
    }

    private static List<Map.Entry<String, ConfigValue>> inFileOrder(java.util.Set<Map.Entry<String, ConfigValue>> members) {
        List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(members);
        entries.sort(Comparator.comparingInt((Map.Entry<String, ConfigValue> e) -> e.getValue().origin().lineNumber())
                .thenComparing(Map.Entry::getKey));
        return entries;
    }

    private static List<String> trimmed(List<String> comments) {
        return comments.stream().map(String::strip).toList();
    }

    /** The optional substitutions ({@code ${?NAME}}) that override a value, e.g. an environment variable. */
    private static String override(String rawText) {
        Matcher m = OPTIONAL_SUBSTITUTION.matcher(rawText);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group());
        }
        return String.join(", ", found);
    }

    /** The {@code <module>} names of a pom.xml, read with the JDK's XML parser. */
    static List<String> modules(Path pom) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList nodes = factory.newDocumentBuilder().parse(pom.toFile()).getElementsByTagName("module");
            List<String> modules = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                modules.add(nodes.item(i).getTextContent().strip());
            }
            return modules;
        } catch (IOException | javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IllegalArgumentException("cannot read the modules of " + pom + ": " + e.getMessage(), e);
        }
    }
}
