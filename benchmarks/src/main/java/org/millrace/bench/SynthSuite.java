package org.millrace.bench;

import java.util.List;
import org.millrace.common.Document;
import org.millrace.ops.bench.BenchContext;
import org.millrace.ops.bench.BenchSuite;
import org.millrace.ops.bench.Figure;
import org.millrace.producers.corpus.CorpusSettings;
import org.millrace.producers.synth.ProgrammaticSynth;
import org.millrace.producers.synth.WordNetGlosses;

/**
 * The programmatic synthetic-textbook generator: documents per second, and the share of 10,000
 * generated documents that MinHash dedup (FineWeb's 5-gram, 14 × 8 setting) would remove as near
 * duplicates — the generator must be varied enough that dedup keeps most of what it writes.
 * Glossary sections are included when the fetched corpus holds WordNet.
 */
public final class SynthSuite implements BenchSuite {
    static final int DOCUMENTS = 10_000;
    static final double GOAL_NEAR_DUPLICATE_RATE = 0.05;

    @Override
    public String prefix() {
        return "synth";
    }

    @Override
    public int order() {
        return 40;
    }

    @Override
    public List<Figure> run(BenchContext ctx) {
        long seed = ctx.settings().getLong("millrace.synth.seed");
        var glosses = WordNetGlosses.fromCorpus(CorpusSettings.fromConfig(ctx.settings()).corpusDir());
        ProgrammaticSynth synth = new ProgrammaticSynth(seed, glosses);
        synth.documents(0, 1000).forEach(d -> { }); // warm-up
        long start = System.nanoTime();
        List<Document> docs = synth.documents(0, DOCUMENTS).toList();
        double seconds = (System.nanoTime() - start) / 1e9;
        MinHashDedup dedup = new MinHashDedup();
        docs.forEach(d -> dedup.add(d.text()));
        ctx.progress().accept(String.format("%,d documents (lessons %s) in %.2f s; %,d near duplicates (%.2f%%)", DOCUMENTS,
                synth.lessons(), seconds, dedup.duplicates(), 100 * dedup.duplicateRate()));
        return List.of(new Figure("synth.docs_per_s", DOCUMENTS / seconds, "docs/s", null, true),
                new Figure("synth.near_duplicate_rate", dedup.duplicateRate(), "fraction", GOAL_NEAR_DUPLICATE_RATE, false));
    }
}
