package org.millrace.ops.bench;

import java.util.List;

/**
 * A group of figures measured together, found through {@link java.util.ServiceLoader} so that the
 * {@code benchmarks} module (which depends on everything) can add suites to {@code millrace bench}.
 * Suites run in the order of {@link #order()}; a later suite may read earlier figures of the same run
 * (ratios between figures of one run are what a noisy shared machine can compare).
 */
public interface BenchSuite {
    /** Prefix of every figure the suite makes, e.g. {@code kafka}; {@code --only} selects by it. */
    String prefix();

    /** Lower runs first. */
    default int order() {
        return 100;
    }

    List<Figure> run(BenchContext context) throws Exception;
}
