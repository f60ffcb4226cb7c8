package org.millrace.producers.corpus.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.millrace.common.Json;
import org.millrace.producers.corpus.CorpusSettings;

/**
 * Gets packages with the registries' own clients: {@code npm pack} (a .tgz), {@code apt-get download}
 * and {@code dpkg -x} (an unpacked tree, no root needed), and the Python installed on this machine.
 */
public final class Packages {
    private static final Path APT_LISTS = Path.of("/var/lib/apt/lists");
    private static final Pattern PYTHON_DIR = Pattern.compile("python3\\.(\\d+)");
    private final CorpusSettings settings;
    private final ToolRunner tools;
    private final Path staging;
    private final Consumer<String> notices;
    private boolean aptUpdated;

    /**
     * A package as fetched.
     *
     * @param registry npm, debian or installed
     * @param name     package name
     * @param version  version actually fetched
     * @param content  the .tgz (npm), the unpacked tree (debian), the library directory (installed)
     */
    public record Fetched(String registry, String name, String version, Path content) {
    }

    public Packages(CorpusSettings settings, Path staging, Consumer<String> notices) {
        this.settings = settings;
        this.tools = new ToolRunner(settings.toolTimeout());
        this.staging = staging;
        this.notices = notices;
    }

    public Fetched npm(String spec) throws FetchException, IOException {
        Path dir = staging.resolve("npm");
        ToolRunner.Outcome o = tools.run(List.of(settings.npm(), "pack", spec, "--json", "--ignore-scripts",
                "--pack-destination", dir.toAbsolutePath().toString()), dir);
        if (!o.ok()) {
            throw new FetchException("npm pack " + spec + " failed (exit " + o.exitCode() + "): " + o.tail());
        }
        String out = o.stdout();
        int start = out.indexOf('[');
        JsonNode first;
        try {
            first = Json.MAPPER.readTree(start < 0 ? out : out.substring(start)).get(0);
        } catch (IOException e) {
            throw new FetchException("npm pack " + spec + " printed no JSON description of the package: " + o.tail(), e);
        }
        if (first == null || !first.hasNonNull("filename")) {
            throw new FetchException("npm pack " + spec + " printed no file name: " + o.tail());
        }
        Path tgz = dir.resolve(first.get("filename").asText());
        if (!Files.isRegularFile(tgz)) {
            throw new FetchException("npm pack " + spec + " did not write " + tgz);
        }
        return new Fetched("npm", first.path("name").asText(spec), first.path("version").asText("?"), tgz);
    }

    public Fetched debian(String pkg) throws FetchException, IOException {
        Path dir = staging.resolve("deb");
        ToolRunner.Outcome o = tools.run(List.of(settings.aptGet(), "download", pkg), dir);
        if (!o.ok() && wantsLists(o) && settings.aptUpdate() && !aptUpdated) {
            aptUpdated = true;
            notices.accept("apt-get download " + pkg + " failed for want of package lists (" + o.tail()
                    + "); running apt-get update once");
            ToolRunner.Outcome u = tools.run(List.of(settings.aptGet(), "update"), dir);
            if (!u.ok()) {
                notices.accept("apt-get update failed (it needs root): " + u.tail());
            } else {
                o = tools.run(List.of(settings.aptGet(), "download", pkg), dir);
            }
        }
        if (!o.ok()) {
            throw new FetchException("apt-get download " + pkg + " failed (exit " + o.exitCode() + "): " + o.tail()
                    + (listsEmpty() ? " — the package lists are empty; `apt-get update` (as root) fills them" : ""));
        }
        Path deb;
        try (Stream<Path> files = Files.list(dir)) {
            deb = files.filter(f -> f.getFileName().toString().startsWith(pkg + "_")
                            && f.getFileName().toString().endsWith(".deb"))
                    .max(Comparator.comparing(f -> f.toFile().lastModified()))
                    .orElseThrow(() -> new FetchException("apt-get download " + pkg + " wrote no " + pkg + "_*.deb"));
        }
        ToolRunner.Outcome field = tools.run(List.of(settings.dpkg(), "-f", deb.toAbsolutePath().toString(), "Version"), dir);
        String version = field.ok() && !field.stdout().isBlank() ? field.stdout().strip() : versionFromName(deb, pkg);
        Path root = dir.resolve(pkg + ".root");
        ToolRunner.Outcome x = tools.run(List.of(settings.dpkg(), "-x", deb.toAbsolutePath().toString(),
                root.toAbsolutePath().toString()), dir);
        if (!x.ok()) {
            throw new FetchException("dpkg -x " + deb.getFileName() + " failed (exit " + x.exitCode() + "): " + x.tail());
        }
        Files.delete(deb);
        return new Fetched("debian", pkg, version, root);
    }

    /** The Python standard library installed here, with the version of the Debian package that holds it. */
    public Fetched installedPython() throws FetchException, IOException {
        Path dir = settings.pythonStdlibDir();
        if (dir == null) {
            dir = newestPython().orElseThrow(() -> new FetchException(
                    "no Python standard library under /usr/lib/python3.N (set millrace.corpus.python-stdlib-dir)"));
        }
        if (!Files.isRegularFile(dir.resolve("os.py"))) {
            throw new FetchException("millrace.corpus.python-stdlib-dir = " + dir + " holds no os.py: not a Python standard library");
        }
        String pkg = "lib" + dir.getFileName() + "-stdlib";
        String version = dir.getFileName() + " (no package version known)";
        try {
            ToolRunner.Outcome o = tools.run(List.of(settings.dpkg(), "-s", pkg), staging.resolve("installed"));
            Matcher m = Pattern.compile("(?m)^Version:\\s*(\\S+)").matcher(o.stdout());
            if (o.ok() && m.find()) {
                version = m.group(1);
            }
        } catch (FetchException noDpkg) {
            notices.accept("no dpkg to tell the version of " + pkg + ": " + noDpkg.getMessage());
        }
        return new Fetched("installed", pkg, version, dir);
    }

    private static Optional<Path> newestPython() throws IOException {
        Path lib = Path.of("/usr/lib");
        if (!Files.isDirectory(lib)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(lib)) {
            return dirs.filter(d -> PYTHON_DIR.matcher(d.getFileName().toString()).matches())
                    .filter(d -> Files.isRegularFile(d.resolve("os.py")))
                    .max(Comparator.comparingInt(d -> {
                        Matcher m = PYTHON_DIR.matcher(d.getFileName().toString());
                        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
                    }));
        }
    }

    private static boolean wantsLists(ToolRunner.Outcome o) {
        String t = o.stdout() + o.stderr();
        return listsEmpty() || t.contains("404") || t.contains("Failed to fetch");
    }

    private static boolean listsEmpty() {
        if (!Files.isDirectory(APT_LISTS)) {
            return true;
        }
        try (Stream<Path> files = Files.list(APT_LISTS)) {
            return files.noneMatch(f -> f.getFileName().toString().contains("_Packages"));
        } catch (IOException e) {
            return true;
        }
    }

    private static String versionFromName(Path deb, String pkg) {
        String n = deb.getFileName().toString();
        String rest = n.substring(pkg.length() + 1);
        int us = rest.indexOf('_');
        return (us < 0 ? rest : rest.substring(0, us)).replace("%3a", ":");
    }
}
