package org.millrace.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.millrace.ops.bench.BenchContext;
import org.millrace.ops.bench.BenchSuite;
import org.millrace.ops.bench.Figure;

class BenchFigureNamesTest {
    private static final BenchSuite JMH = new BenchSuite() {
        @Override
        public String prefix() {
            return "jmh";
        }

        @Override
        public List<Figure> run(BenchContext context) {
            return List.of();
        }
    };

    @Test
    void ambiguousAndAlreadyMeasuredNamesAreDropped() {
        List<Figure> earlier = List.of(new Figure("jmh.Tokenizer.encode:kind=byte", 1, "ops/s", null, true));
        List<Figure> measured = List.of(
                new Figure("jmh.Tokenizer.encode", 2, "ops/s", null, true),
                new Figure("jmh.Tokenizer.encode", 3, "ops/s", null, true),
                new Figure("jmh.Tokenizer.encode:kind=byte", 4, "ops/s", null, true),
                new Figure("jmh.Filters.pii", 5, "ops/s", null, true));
        assertEquals(List.of("jmh.Filters.pii"), BenchCommand.uniqueNames(JMH, measured, earlier).stream().map(Figure::name).toList());
    }
}
