package org.millrace.producers.readers.internal;

import java.nio.file.Path;
import java.util.Iterator;
import org.millrace.producers.corpus.CorpusManifest;

/**
 * Every training source of a fetched corpus, each under its own source name and with the kind of its
 * role; sources of role {@code eval} are never read.
 */
public final class CorpusCursor extends ConcatCursor {
    private final Path corpusDir;
    private final ReadContext ctx;
    private final Iterator<CorpusManifest.Source> sources;

    public CorpusCursor(Path corpusDir, CorpusManifest manifest, ReadContext ctx) {
        super(corpusDir.toString(), ctx.skips());
        this.corpusDir = corpusDir;
        this.ctx = ctx;
        this.sources = manifest.trainingSources().iterator();
    }

    @Override
    protected Cursor nextChild() {
        while (sources.hasNext()) {
            CorpusManifest.Source s = sources.next();
            Path path = corpusDir.resolve(s.path()).normalize();
            if (!path.startsWith(corpusDir.normalize())) {
                ctx.skip(path.toString(), 0, "source " + s.name() + ": path " + s.path() + " leaves the corpus directory");
                continue;
            }
            ReadContext sourceCtx = new ReadContext(ctx.options().withSource(s.name())
                    .withKind(s.role().documentKind().orElseThrow()), s.name(), ctx.skips());
            Cursor c = Formats.openPath(path, sourceCtx);
            if (c != null) {
                return c;
            }
        }
        return null;
    }
}
