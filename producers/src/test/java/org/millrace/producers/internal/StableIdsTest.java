package org.millrace.producers.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.millrace.common.Document;

/** The readers' ids are {@link Document#stableId}'s, on every thread. */
class StableIdsTest {
    @Test
    void theSameIdsAsTheDocumentsOwnOnSeveralThreads() throws Exception {
        List<String[]> cases = List.of(new String[] {"corpus", "a/b.txt"}, new String[] {"", ""}, new String[] {"mail", "x.mbox#17"},
                new String[] {"nlp-corpus", "nlp-corpus.jsonl#id=doc-0/0"}, new String[] {"Überall", "中文/€.md"});
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 50; round++) {
                List<Future<String>> checks = new java.util.ArrayList<>();
                for (String[] c : cases) {
                    checks.add(pool.submit(() -> {
                        assertEquals(Document.stableId(c[0], c[1]), StableIds.of(c[0], c[1]), String.join(" | ", c));
                        return c[1];
                    }));
                }
                for (Future<String> f : checks) {
                    f.get();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
