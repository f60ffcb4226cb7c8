package org.millrace.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * Where this JVM's CPU time went between two snapshots, by kind of thread: the threads that read and
 * encode, the Kafka producer's network thread, the in-process broker, the JIT's compiler threads, GC.
 * Read from {@code /proc/self/task} (Linux; on other systems only the process total is known): the
 * JVM's {@code ThreadMXBean} sees Java threads only, not the compiler and GC threads, which on two
 * cores take a share worth showing. Each thread's {@code schedstat} gives its CPU time in nanoseconds,
 * its {@code comm} its name (cut to 15 characters by the kernel), which decides its group.
 */
final class CpuBudget {
    private static final Path TASKS = Path.of("/proc/self/task");

    /** Kinds of thread, in the order they are printed. */
    enum Group {
        READING("reading threads"), MAIN("main thread"), PRODUCER("producer network thread"), BROKER("in-process broker"),
        JIT("JIT compilers"), GC("GC and VM thread"), OTHER("other JVM threads"),
        ENDED("threads that ended in the pass");

        final String label;

        Group(String label) {
            this.label = label;
        }

        /** The group of a thread by its kernel name; a Java thread of no other group belongs to the broker. */
        static Group of(String comm) {
            if (comm.startsWith("millrace-ingest")) {
                return READING;
            } else if (comm.equals("java")) { // the launcher's main thread keeps the process's name
                return MAIN;
            } else if (comm.startsWith("kafka-producer-")) {
                return PRODUCER;
            } else if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre") || comm.startsWith("Sweeper thread")) {
                return JIT;
            } else if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread")) {
                return GC;
            } else if (Stream.of("Signal Dispatch", "Finalizer", "Reference Handl", "Common-Cleaner", "Service Thread",
                    "Monitor Deflati", "Notification Th", "Attach Listener", "VM Periodic Tas", "kafka-admin-cli").anyMatch(comm::startsWith)) {
                return OTHER;
            }
            return BROKER;
        }
    }

    /** CPU nanoseconds of each live thread (by id) and of the whole process, at one moment. */
    record Snapshot(Map<Long, Long> threadNanos, Map<Long, Group> groups, long processNanos) {
    }

    private final Map<Group, Long> nanos;
    private final double megabytes;

    private CpuBudget(Map<Group, Long> nanos, double megabytes) {
        this.nanos = nanos;
        this.megabytes = megabytes;
    }

    static Snapshot snapshot() {
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, Group> groups = new HashMap<>();
        try (Stream<Path> tasks = Files.list(TASKS)) {
            tasks.forEach(task -> {
                try {
                    long tid = Long.parseLong(task.getFileName().toString());
                    String schedstat = Files.readString(task.resolve("schedstat"));
                    cpu.put(tid, Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))));
                    groups.put(tid, Group.of(Files.readString(task.resolve("comm")).strip()));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read: the process total still holds its time
                }
            });
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux): the budget holds the process total only, as threads that ended
        }
        return new Snapshot(cpu, groups, ProcessCpu.nanos());
    }

    /**
     * The budget from {@code before} to {@code after} per MB of {@code megabytes}; threads that ended in
     * between (their time is in the process total only) are {@link Group#ENDED}.
     *
     * @param known CPU time of groups measured otherwise (threads that end before {@code after}, which report
     *              their own time); their threads' time in the snapshots is not counted again
     */
    static CpuBudget between(Snapshot before, Snapshot after, double megabytes, Map<Group, Long> known) {
        Map<Group, Long> nanos = new EnumMap<>(Group.class);
        for (Group g : Group.values()) {
            nanos.put(g, known.getOrDefault(g, 0L));
        }
        after.threadNanos().forEach((tid, n) -> {
            Group g = after.groups().get(tid);
            if (!known.containsKey(g)) {
                nanos.merge(g, n - before.threadNanos().getOrDefault(tid, 0L), Long::sum);
            }
        });
        long counted = nanos.values().stream().mapToLong(Long::longValue).sum();
        nanos.merge(Group.ENDED, Math.max(0, after.processNanos() - before.processNanos() - counted), Long::sum);
        return new CpuBudget(nanos, megabytes);
    }

    /** Milliseconds of CPU per MB spent by a group's threads. */
    double msPerMb(Group g) {
        return nanos.get(g) / 1e6 / megabytes;
    }

    double totalMsPerMb() {
        return nanos.values().stream().mapToLong(Long::longValue).sum() / 1e6 / megabytes;
    }

    /** One line: the groups that spent anything, in ms of CPU per MB, and the total. */
    @Override
    public String toString() {
        StringJoiner line = new StringJoiner(", ", "CPU ms per MB: ", "");
        for (Group g : Group.values()) {
            if (nanos.get(g) >= 500_000) {
                line.add(String.format(java.util.Locale.ROOT, "%s %.1f", g.label, msPerMb(g)));
            }
        }
        return line + String.format(java.util.Locale.ROOT, "; total %.1f", totalMsPerMb());
    }
}
