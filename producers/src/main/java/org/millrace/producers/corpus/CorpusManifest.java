package org.millrace.producers.corpus;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.millrace.common.InvalidRecordException;
import org.millrace.common.Json;

/**
 * {@code manifest.json} of a fetched corpus: one entry per source that is present and verified.
 *
 * @param formatVersion version of this file's shape
 * @param sources       the sources, in fetch order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CorpusManifest(@JsonProperty("format_version") int formatVersion, List<Source> sources) {
    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "manifest.json";

    public CorpusManifest {
        sources = List.copyOf(sources == null ? List.of() : sources);
    }

    /**
     * One source of the corpus.
     *
     * @param name      source name; documents carry it as their {@code source}
     * @param registry  where it came from: {@code npm}, {@code debian} or {@code installed}
     * @param pkg       package name as the registry knows it
     * @param version   version actually fetched
     * @param licence   licence of the content, as the package declares it
     * @param path      file or directory, relative to the corpus directory
     * @param sha256    SHA-256 of the file; of a directory, SHA-256 of the lines
     *                  {@code "<sha256 of file>  <relative path>\n"} sorted by path (what
     *                  {@code find . -type f | LC_ALL=C sort | xargs sha256sum} prints, without "./")
     * @param documents documents (or, for evaluation sources, items) the source holds
     * @param bytes     bytes of content (uncompressed)
     * @param diskBytes bytes on disk
     * @param role      web, textbook, code, or eval (never ingested)
     * @param format    how the content is laid out (mail, text, jsonl, html, rst, code, zip, quiz...)
     * @param fetchedAt when it was fetched (ISO-8601)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(String name, String registry, @JsonProperty("package") String pkg, String version,
                         String licence, String path, String sha256, long documents, long bytes,
                         @JsonProperty("disk_bytes") long diskBytes, CorpusRole role, String format,
                         @JsonProperty("fetched_at") String fetchedAt) {
        public Source {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(role, "role");
        }
    }

    public static CorpusManifest empty() {
        return new CorpusManifest(FORMAT_VERSION, List.of());
    }

    /**
     * Reads a manifest.
     *
     * @param path the manifest file, or the corpus directory that holds {@code manifest.json}
     * @throws InvalidRecordException when the file is not a manifest
     * @throws UncheckedIOException   when it cannot be read
     */
    public static CorpusManifest load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(new java.io.FileNotFoundException(
                    "no corpus manifest at " + file + " (run the corpus fetch first)"));
        }
        try {
            CorpusManifest m = Json.read(Files.readAllBytes(file), CorpusManifest.class);
            if (m.formatVersion() != FORMAT_VERSION) {
                throw new InvalidRecordException(file + ": format_version " + m.formatVersion()
                        + " is not " + FORMAT_VERSION);
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Writes {@code manifest.json} into {@code corpusDir} atomically (a reader never sees half a file). */
    public void write(Path corpusDir) throws IOException {
        Path tmp = corpusDir.resolve(FILE_NAME + ".tmp");
        Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        Files.move(tmp, corpusDir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    public Optional<Source> source(String name) {
        return sources.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** This manifest with {@code entry} added or replacing the entry of the same name. */
    public CorpusManifest with(Source entry) {
        List<Source> list = new ArrayList<>(sources);
        int at = list.indexOf(source(entry.name()).orElse(null));
        if (at >= 0) {
            list.set(at, entry);
        } else {
            list.add(entry);
        }
        return new CorpusManifest(formatVersion, list);
    }

    public CorpusManifest without(String name) {
        List<Source> list = new ArrayList<>(sources);
        list.removeIf(s -> s.name().equals(name));
        return new CorpusManifest(formatVersion, list);
    }

    /** Sources for training: every role but {@link CorpusRole#EVAL}. */
    public List<Source> trainingSources() {
        return sources.stream().filter(s -> s.role() != CorpusRole.EVAL).toList();
    }

    public long totalBytes() {
        return sources.stream().mapToLong(Source::bytes).sum();
    }

    public long totalDocuments() {
        return sources.stream().mapToLong(Source::documents).sum();
    }
}
