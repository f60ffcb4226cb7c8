package org.millrace.producers.readers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.millrace.common.Document;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.readers.internal.ConcatCursor;
import org.millrace.producers.readers.internal.CorpusCursor;
import org.millrace.producers.readers.internal.Cursor;
import org.millrace.producers.readers.internal.FileUnits;
import org.millrace.producers.readers.internal.Formats;
import org.millrace.producers.readers.internal.ReadContext;

/**
 * Readers of every input Millrace takes, chosen by the path: a directory is walked and each file
 * read by its type; a file is read by its name — WARC/WET ({@code .warc}, {@code .warc.gz},
 * {@code .wet}, {@code .wet.gz}), JSON Lines ({@code .jsonl}, {@code .jsonl.gz}, {@code .json.gz},
 * {@code .ndjson}), mail ({@code .eml}, {@code .mbox}), archives ({@code .zip}, {@code .jar}),
 * HTML, Markdown, reST, text and source code.
 */
public final class Readers {
    private Readers() {
    }

    /**
     * @param options source name and kind to force (else the file name and the extension decide),
     *                size and binary limits
     */
    public static DocumentReader forPath(Path path, ReaderOptions options) {
        return new DocumentReader() {
            @Override
            public Stream<Document> documents(SkipListener skips) {
                Cursor c = Formats.openPath(path, context(path, options, skips));
                return (c == null ? Cursor.empty(path.toString()) : c).stream();
            }

            @Override
            public String describe() {
                return path.toString();
            }

            @Override
            public List<DocumentReader> split() {
                return units(FileUnits.of(path, options, sourceOf(path, options)));
            }
        };
    }

    /** The documents of several paths, one after the other. */
    public static DocumentReader forPaths(List<Path> paths, ReaderOptions options) {
        if (paths.size() == 1) {
            return forPath(paths.get(0), options);
        }
        return new DocumentReader() {
            @Override
            public Stream<Document> documents(SkipListener skips) {
                Iterator<Path> it = paths.iterator();
                return new ConcatCursor(describe(), skips) {
                    @Override
                    protected Cursor nextChild() {
                        while (it.hasNext()) {
                            Path p = it.next();
                            Cursor c = Formats.openPath(p, context(p, options, skips));
                            if (c != null) {
                                return c;
                            }
                        }
                        return null;
                    }
                }.stream();
            }

            @Override
            public String describe() {
                return paths.stream().map(Path::toString).collect(Collectors.joining(" "));
            }

            @Override
            public List<DocumentReader> split() {
                List<FileUnits.Unit> all = new ArrayList<>();
                paths.forEach(p -> all.addAll(FileUnits.of(p, options, sourceOf(p, options))));
                return units(all);
            }
        };
    }

    /**
     * Every training source of a fetched corpus, by the role its manifest gives it; sources of role
     * {@code eval} are never read. {@code options}' source and kind are ignored: each source's own
     * name and role apply.
     *
     * @param corpus the corpus directory or its {@code manifest.json}
     */
    public static DocumentReader forCorpus(Path corpus, ReaderOptions options) {
        Path dir = corpus.getFileName() != null && corpus.getFileName().toString().equals(CorpusManifest.FILE_NAME)
                ? corpus.toAbsolutePath().getParent() : corpus;
        CorpusManifest manifest = CorpusManifest.load(dir);
        return new DocumentReader() {
            @Override
            public Stream<Document> documents(SkipListener skips) {
                return new CorpusCursor(dir, manifest, new ReadContext(options, "corpus", skips)).stream();
            }

            @Override
            public String describe() {
                return "corpus " + dir + " (" + manifest.trainingSources().size() + " training sources)";
            }

            @Override
            public List<DocumentReader> split() {
                List<FileUnits.Unit> all = new ArrayList<>();
                for (CorpusManifest.Source s : manifest.trainingSources()) {
                    Path path = dir.resolve(s.path()).normalize();
                    if (!path.startsWith(dir.normalize())) {
                        return List.of(this); // the sequential read reports the bad path
                    }
                    all.addAll(FileUnits.of(path, options.withSource(s.name()).withKind(s.role().documentKind().orElseThrow()), s.name()));
                }
                return units(all);
            }
        };
    }

    /**
     * The documents of {@code reader} but those whose id is in {@code excludedIds} (corpus documents the
     * evaluation sets hold out), each of which is reported as skipped with the reason; parts split as
     * {@code reader}'s do.
     */
    public static DocumentReader excluding(DocumentReader reader, Set<String> excludedIds) {
        if (excludedIds.isEmpty()) {
            return reader;
        }
        return new DocumentReader() {
            @Override
            public Stream<Document> documents(SkipListener skips) {
                return reader.documents(skips).filter(d -> {
                    if (excludedIds.contains(d.id())) {
                        skips.skipped(new SkipReport(d.source() + ":" + d.url(), 0, "held out of training: an evaluation set uses it"));
                        return false;
                    }
                    return true;
                });
            }

            @Override
            public String describe() {
                return reader.describe() + ", " + excludedIds.size() + " documents held out for evaluation";
            }

            @Override
            public List<DocumentReader> split() {
                List<DocumentReader> parts = reader.split();
                return parts.size() == 1 && parts.get(0) == reader ? List.of(this)
                        : parts.stream().map(p -> excluding(p, excludedIds)).toList();
            }
        };
    }

    private static ReadContext context(Path path, ReaderOptions options, SkipListener skips) {
        return new ReadContext(options, sourceOf(path, options), skips);
    }

    private static String sourceOf(Path path, ReaderOptions options) {
        String source = options.source();
        if (source == null) {
            Path name = path.toAbsolutePath().normalize().getFileName();
            source = name == null ? "input" : name.toString();
        }
        return source;
    }

    /** One reader per file, largest first. */
    private static List<DocumentReader> units(List<FileUnits.Unit> units) {
        List<DocumentReader> readers = new ArrayList<>();
        for (FileUnits.Unit u : FileUnits.largestFirst(units)) {
            readers.add(new DocumentReader() {
                @Override
                public Stream<Document> documents(SkipListener skips) {
                    return u.open(skips).stream();
                }

                @Override
                public String describe() {
                    return u.file().toString();
                }
            });
        }
        return readers;
    }
}
