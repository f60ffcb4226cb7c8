package org.millrace.ops.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.millrace.common.Document;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;
import org.millrace.producers.readers.SkipListener;

/**
 * The training sources of a fetched corpus read side by side, each under its own name and the kind of
 * its role (sources of role {@code eval} are never opened), so that documents can be taken one of each
 * source in turn: the order in which a run publishes them and samples its tokenizer's text.
 */
final class CorpusSources implements AutoCloseable {
    private final List<String> names = new ArrayList<>();
    private final List<Stream<Document>> streams = new ArrayList<>();
    private final List<Iterator<Document>> iterators = new ArrayList<>();
    private int next;

    CorpusSources(Path corpusDir, CorpusManifest manifest, ReaderOptions options, SkipListener skips) {
        for (CorpusManifest.Source s : manifest.trainingSources()) {
            ReaderOptions o = options.withSource(s.name()).withKind(s.role().documentKind().orElseThrow());
            Stream<Document> docs = Readers.forPath(corpusDir.resolve(s.path()), o).documents(skips);
            names.add(s.name());
            streams.add(docs);
            iterators.add(docs.iterator());
        }
    }

    int size() {
        return iterators.size();
    }

    List<String> names() {
        return names;
    }

    /** The next document of source {@code i}, or null when it has no more. */
    Document next(int i) {
        Iterator<Document> it = iterators.get(i);
        return it.hasNext() ? it.next() : null;
    }

    /** The next document of the next source that has one, in turn; null when every source is exhausted. */
    Document nextInTurn() {
        for (int tries = 0; tries < iterators.size(); tries++) {
            Iterator<Document> it = iterators.get(next);
            next = (next + 1) % iterators.size();
            if (it.hasNext()) {
                return it.next();
            }
        }
        return null;
    }

    /** Starts the turns again at the first source (after the head of every source was taken). */
    void restartTurns() {
        next = 0;
    }

    /** Every document, one of each source in turn. */
    Iterator<Document> inTurn() {
        return new Iterator<>() {
            private Document pending;

            @Override
            public boolean hasNext() {
                if (pending == null) {
                    pending = nextInTurn();
                }
                return pending != null;
            }

            @Override
            public Document next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException("every corpus source is exhausted");
                }
                Document d = pending;
                pending = null;
                return d;
            }
        };
    }

    /** Closes the readers' open files. */
    @Override
    public void close() {
        streams.forEach(Stream::close);
    }
}
