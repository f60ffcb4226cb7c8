package org.millrace.common.evalsets;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.typesafe.config.Config;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.millrace.common.InvalidRecordException;
import org.millrace.common.Json;
import org.millrace.common.Settings;

/**
 * The one source of truth of evaluation sets, read by the evaluator and by the decontamination filter
 * alike: the tasks built from the corpus under {@code <data-dir>/eval} ({@code registry.json}, one
 * {@code <task>.jsonl} per task, {@code held-out.jsonl}, the n-gram allow-list) plus the tasks users
 * configure in {@code millrace.eval.user-tasks}.
 */
public final class EvalSetRegistry {
    public static final String SETS_DIR = "millrace.eval.sets-dir";
    public static final String USER_TASKS = "millrace.eval.user-tasks";
    public static final String HELD_OUT_FILE = "held-out.jsonl";
    public static final String ALLOW_LIST_FILE = "decontamination-allow-list.txt";

    private final Path dir;
    private final EvalSetManifest manifest;
    private final Map<String, EvalTaskDefinition> tasks;
    private final Map<String, List<EvalItem>> items = new ConcurrentHashMap<>();

    private EvalSetRegistry(Path dir, EvalSetManifest manifest, Map<String, EvalTaskDefinition> tasks) {
        this.dir = dir;
        this.manifest = manifest;
        this.tasks = tasks;
    }

    /** The registry directory: {@code millrace.eval.sets-dir}, or {@code <data-dir>/eval} when that is empty. */
    public static Path directory(Config config) {
        String d = config.hasPath(SETS_DIR) ? config.getString(SETS_DIR) : "";
        return d.isBlank() ? Path.of(config.getString("millrace.data-dir")).resolve("eval") : Path.of(d);
    }

    /** The built sets of {@link #directory(Config)} (if any were built) and the configured user tasks. */
    public static EvalSetRegistry open(Config config) {
        return open(directory(config), UserTasks.fromConfig(config));
    }

    /**
     * @param dir       registry directory; it need not exist (then only user tasks are known)
     * @param userTasks tasks users add without code
     */
    public static EvalSetRegistry open(Path dir, List<UserTasks.Spec> userTasks) {
        EvalSetManifest manifest = null;
        Path file = dir.resolve(EvalSetManifest.FILE_NAME);
        if (Files.isRegularFile(file)) {
            try {
                manifest = Json.read(Files.readAllBytes(file), EvalSetManifest.class);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            if (manifest.formatVersion() != EvalSetManifest.FORMAT_VERSION) {
                throw new InvalidRecordException(file + ": format_version " + manifest.formatVersion() + " is not "
                        + EvalSetManifest.FORMAT_VERSION + "; build the sets again (millrace eval sets)");
            }
        }
        Map<String, EvalTaskDefinition> all = new LinkedHashMap<>();
        if (manifest != null) {
            manifest.tasks().forEach(t -> all.put(t.name(), t));
        }
        EvalSetRegistry registry = new EvalSetRegistry(dir, manifest, all);
        for (UserTasks.Spec spec : userTasks) {
            if (all.containsKey(spec.name())) {
                throw new Settings.SettingsException(USER_TASKS + ": task name '" + spec.name()
                        + "' is already taken by a built task; choose another");
            }
            List<EvalItem> read = UserTasks.read(spec);
            all.put(spec.name(), new EvalTaskDefinition(spec.name(), spec.type(), 1, spec.file().toString(), read.size(), null,
                    "user task from " + spec.file(), List.of(spec.file().toString()), EvalTaskDefinition.USER));
            registry.items.put(spec.name(), read);
        }
        return registry;
    }

    public Path dir() {
        return dir;
    }

    /** Whether sets were built into the directory (else only user tasks, if any, are known). */
    public boolean built() {
        return manifest != null;
    }

    public Optional<EvalSetManifest> manifest() {
        return Optional.ofNullable(manifest);
    }

    /** Every task, built ones first, in registry order. */
    public List<EvalTaskDefinition> tasks() {
        return List.copyOf(tasks.values());
    }

    public EvalTaskDefinition task(String name) {
        EvalTaskDefinition t = tasks.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no evaluation task '" + name + "'; the registry " + dir + " has "
                    + tasks.keySet());
        }
        return t;
    }

    /** The items of a task, read once, each checked against the task's type. */
    public List<EvalItem> items(String name) {
        EvalTaskDefinition t = task(name);
        return items.computeIfAbsent(name, n -> readBuilt(t));
    }

    private List<EvalItem> readBuilt(EvalTaskDefinition t) {
        Path file = dir.resolve(t.file());
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read task " + t.name() + " from " + file + ": " + e.getMessage(), e);
        }
        if (t.sha256() != null && !t.sha256().equals(sha256(bytes))) {
            throw new InvalidRecordException(file + " does not match the SHA-256 in " + EvalSetManifest.FILE_NAME
                    + "; it was changed after the build (build the sets again: millrace eval sets)");
        }
        return parse(file.toString(), new String(bytes, StandardCharsets.UTF_8), t.type());
    }

    /** Items of a JSONL text, every line checked; errors name the file and line. */
    static List<EvalItem> parse(String where, String jsonl, EvalTaskType type) {
        List<EvalItem> out = new ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        int lineNo = 0;
        try (BufferedReader r = new BufferedReader(new java.io.StringReader(jsonl))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                EvalItem item;
                try {
                    item = Json.read(line.getBytes(StandardCharsets.UTF_8), EvalItem.class);
                } catch (InvalidRecordException e) {
                    throw new InvalidRecordException(where + ":" + lineNo + ": " + e.getMessage(), e);
                }
                String problem = item.problem(type);
                if (problem != null) {
                    throw new InvalidRecordException(where + ":" + lineNo + ": " + problem);
                }
                if (!ids.add(item.id())) {
                    throw new InvalidRecordException(where + ":" + lineNo + ": duplicate item id '" + item.id() + "'");
                }
                out.add(item);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            throw new InvalidRecordException(where + " holds no items");
        }
        return List.copyOf(out);
    }

    /** Corpus documents held out of training; empty when no sets were built. */
    public List<HeldOutDocument> heldOut() {
        if (manifest == null || manifest.heldOutFile() == null) {
            return List.of();
        }
        Path file = dir.resolve(manifest.heldOutFile());
        List<HeldOutDocument> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add(Json.read(line.getBytes(StandardCharsets.UTF_8), HeldOutDocument.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Ids of the held-out documents: what ingestion must skip. */
    public Set<String> heldOutIds() {
        return heldOut().stream().map(HeldOutDocument::id).collect(Collectors.toUnmodifiableSet());
    }

    /** The built allow-list: normalised 13-grams common in training text, one per entry. */
    public List<String> allowList() {
        if (manifest == null || manifest.allowListFile() == null) {
            return List.of();
        }
        try {
            return Files.readAllLines(dir.resolve(manifest.allowListFile()), StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the allow-list of " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes built sets: each task's items as {@code <task>.jsonl}, the held-out documents, the allow-list,
     * and last (atomically) {@code registry.json} with each task's item count and SHA-256 filled in.
     *
     * @param draft the manifest; its tasks' {@code items}, {@code sha256} and {@code file} are set here
     * @return the manifest as written
     */
    public static EvalSetManifest write(Path dir, EvalSetManifest draft, Map<String, List<EvalItem>> taskItems,
                                        List<HeldOutDocument> heldOut, List<String> allowList) throws IOException {
        Files.createDirectories(dir);
        List<EvalTaskDefinition> written = new ArrayList<>();
        for (EvalTaskDefinition t : draft.tasks()) {
            List<EvalItem> list = taskItems.get(t.name());
            if (list == null || list.isEmpty()) {
                throw new IllegalArgumentException("task " + t.name() + " has no items to write");
            }
            StringBuilder jsonl = new StringBuilder();
            for (EvalItem item : list) {
                String problem = item.problem(t.type());
                if (problem != null) {
                    throw new IllegalArgumentException("task " + t.name() + ", item " + item.id() + ": " + problem);
                }
                jsonl.append(Json.writeString(item)).append('\n');
            }
            byte[] bytes = jsonl.toString().getBytes(StandardCharsets.UTF_8);
            String file = t.name() + ".jsonl";
            writeAtomically(dir.resolve(file), bytes);
            written.add(new EvalTaskDefinition(t.name(), t.type(), t.version(), file, list.size(), sha256(bytes),
                    t.description(), t.sources(), EvalTaskDefinition.BUILT));
        }
        StringBuilder held = new StringBuilder();
        heldOut.forEach(h -> held.append(Json.writeString(h)).append('\n'));
        writeAtomically(dir.resolve(HELD_OUT_FILE), held.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder allow = new StringBuilder("# 13-grams common in the training corpus: decontamination ignores them\n");
        allowList.forEach(a -> allow.append(a).append('\n'));
        writeAtomically(dir.resolve(ALLOW_LIST_FILE), allow.toString().getBytes(StandardCharsets.UTF_8));
        EvalSetManifest manifest = new EvalSetManifest(EvalSetManifest.FORMAT_VERSION, draft.setsVersion(), draft.seed(),
                draft.builtAt(), draft.corpus(), draft.settings(), written, HELD_OUT_FILE, ALLOW_LIST_FILE);
        ObjectWriter pretty = Json.MAPPER.writerWithDefaultPrettyPrinter();
        writeAtomically(dir.resolve(EvalSetManifest.FILE_NAME), pretty.writeValueAsBytes(manifest));
        return manifest;
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
