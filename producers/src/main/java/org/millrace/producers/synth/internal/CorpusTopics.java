package org.millrace.producers.synth.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.corpus.CorpusRole;

/**
 * Topics for teacher prompts, drawn from the fetched corpus: section headings of the reST manuals,
 * page titles of the HTML manuals, module names of the Python library and class names of the JDK.
 * Evaluation sources are never read.
 */
public final class CorpusTopics {
    private static final Pattern TITLE = Pattern.compile("<title>\\s*([^<]{3,120}?)\\s*</title>", Pattern.CASE_INSENSITIVE);
    private static final Pattern UNDERLINE = Pattern.compile("^([=\\-~^*#+])\\1{2,}\\s*$");
    private static final int PER_SOURCE = 1500;

    private CorpusTopics() {
    }

    /** Distinct topics in a stable order; empty when the corpus holds none of these sources. */
    public static List<String> load(Path corpusDir) {
        if (!Files.isRegularFile(corpusDir.resolve(CorpusManifest.FILE_NAME))) {
            return List.of();
        }
        CorpusManifest manifest = CorpusManifest.load(corpusDir);
        TreeSet<String> topics = new TreeSet<>();
        for (CorpusManifest.Source s : manifest.sources()) {
            if (s.role() == CorpusRole.EVAL || s.format() == null) {
                continue;
            }
            Path path = corpusDir.resolve(s.path());
            try {
                switch (s.format()) {
                    case "rst" -> topics.addAll(rstHeadings(path));
                    case "html" -> topics.addAll(htmlTitles(path));
                    case "code" -> topics.addAll(pythonModules(path));
                    case "zip" -> topics.addAll(javaClasses(path));
                    default -> { }
                }
            } catch (IOException | RuntimeException e) {
                // a damaged source gives no topics; the others still do
            }
        }
        return List.copyOf(topics);
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(suffix)).sorted().limit(PER_SOURCE).toList();
        }
    }

    static List<String> rstHeadings(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path f : files(dir, ".rst.txt")) {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            for (int i = 1; i < lines.size() && out.size() < PER_SOURCE; i++) {
                String title = lines.get(i - 1).trim();
                if (UNDERLINE.matcher(lines.get(i)).matches() && lines.get(i).trim().length() >= title.length()
                        && title.length() >= 4 && title.length() <= 80 && Character.isLetter(title.charAt(0))
                        && !title.contains(":") && !title.contains("`")) {
                    out.add(title);
                }
            }
        }
        return out;
    }

    static List<String> htmlTitles(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path f : files(dir, ".html")) {
            byte[] head;
            try (InputStream in = Files.newInputStream(f)) {
                head = in.readNBytes(4096);
            }
            Matcher m = TITLE.matcher(new String(head, StandardCharsets.UTF_8));
            if (m.find()) {
                String t = org.jsoup.parser.Parser.unescapeEntities(m.group(1), false).replaceAll("\\s+", " ")
                        .replaceAll("\\s+[—–|-]\\s+(Python|PostgreSQL).*$", "").replaceAll("^\\d+(\\.\\d+)*\\.\\s*", "").trim();
                if (t.length() >= 4 && !t.toLowerCase(Locale.ROOT).startsWith("index")) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    static List<String> pythonModules(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path f : files(dir, ".py")) {
            String rel = dir.relativize(f).toString().replace('/', '.');
            String module = rel.substring(0, rel.length() - 3).replace(".__init__", "");
            if (!module.startsWith("_") && !module.contains("._")) {
                out.add("the Python module " + module);
            }
        }
        return out;
    }

    static List<String> javaClasses(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path f : files(dir, ".zip")) {
            try (ZipFile zip = new ZipFile(f.toFile())) {
                for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                    String n = e.getName();
                    if (n.endsWith(".java") && !n.endsWith("package-info.java") && !n.endsWith("module-info.java")
                            && (n.contains("/java/util/") || n.contains("/java/io/") || n.contains("/java/time/")
                            || n.contains("/java/net/") || n.contains("/java/sql/") || n.contains("/java/lang/"))
                            && !n.contains("/internal/") && !n.contains("/impl/")) {
                        String cls = n.substring(n.indexOf("/java/") + 1, n.length() - 5).replace('/', '.');
                        out.add("the Java class " + cls);
                        if (out.size() >= PER_SOURCE) {
                            break;
                        }
                    }
                }
            }
        }
        return out;
    }
}
