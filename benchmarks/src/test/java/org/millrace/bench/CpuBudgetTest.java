package org.millrace.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.millrace.bench.CpuBudget.Group;

class CpuBudgetTest {

    @Test
    void threadsAreGroupedByTheirKernelNames() {
        assertEquals(Group.READING, Group.of("millrace-ingest"));
        assertEquals(Group.MAIN, Group.of("java"));
        assertEquals(Group.PRODUCER, Group.of("kafka-producer-"));
        assertEquals(Group.JIT, Group.of("C2 CompilerThre"));
        assertEquals(Group.JIT, Group.of("C1 CompilerThre"));
        assertEquals(Group.GC, Group.of("GC Thread#1"));
        assertEquals(Group.GC, Group.of("G1 Conc#0"));
        assertEquals(Group.GC, Group.of("VM Thread"));
        assertEquals(Group.OTHER, Group.of("Signal Dispatch"));
        assertEquals(Group.BROKER, Group.of("data-plane-kafk"));
        assertEquals(Group.BROKER, Group.of("kafka-1-raft-io"));
    }

    @Test
    void theBudgetCountsEachThreadsTimeInBetweenAndWhatEndedThreadsSpent() {
        CpuBudget.Snapshot before = new CpuBudget.Snapshot(Map.of(1L, 1_000_000L, 2L, 5_000_000L, 3L, 0L),
                Map.of(1L, Group.BROKER, 2L, Group.JIT, 3L, Group.READING), 10_000_000L);
        // thread 3 ended; thread 4 (a reading thread) started; the process spent 30 ms in all
        CpuBudget.Snapshot after = new CpuBudget.Snapshot(Map.of(1L, 7_000_000L, 2L, 9_000_000L, 4L, 3_000_000L),
                Map.of(1L, Group.BROKER, 2L, Group.JIT, 4L, Group.READING), 40_000_000L);
        CpuBudget budget = CpuBudget.between(before, after, 2.0, Map.of());
        assertEquals(3.0, budget.msPerMb(Group.BROKER), 1e-9); // 6 ms over 2 MB
        assertEquals(2.0, budget.msPerMb(Group.JIT), 1e-9);
        assertEquals(1.5, budget.msPerMb(Group.READING), 1e-9);
        assertEquals(8.5, budget.msPerMb(Group.ENDED), 1e-9); // 30 - 6 - 4 - 3 = 17 ms
        assertEquals(15.0, budget.totalMsPerMb(), 1e-9);

        CpuBudget known = CpuBudget.between(before, after, 2.0, Map.of(Group.READING, 12_000_000L));
        assertEquals(6.0, known.msPerMb(Group.READING), 1e-9); // the reported time, not the snapshot's again
        assertEquals(4.0, known.msPerMb(Group.ENDED), 1e-9); // 30 - 6 - 4 - 12 = 8 ms
        assertTrue(known.toString().contains("reading threads 6.0"), known.toString());
    }
}
