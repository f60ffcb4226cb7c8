package org.millrace.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.millrace.common.Json;
import org.millrace.training.feed.FedBatch;
import org.millrace.training.checkpoint.CheckpointManifest;

/**
 * The batches a run has trained on, one JSON line per step, appended to
 * {@code <checkpoints>/<run>/lineage.jsonl} by every process that trains the run (about 150 bytes a step).
 * Each process first writes where it resumed from; the steps a crash threw away (trained after the last
 * checkpoint) stay in the file, and {@link #lineage} drops them. What remains is the checkpoint lineage:
 * which batch, from which partition and offset, each step of the model trained on, and with what loss. It
 * answers "what data did this model see", and lets tests check that no batch was skipped or trained twice.
 */
public final class LineageLog implements AutoCloseable {
    public static final String FILE = "lineage.jsonl";

    /** One line of the log. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String type, long step, String bucket, String partition, Long offset, Integer epoch, String batch,
                        Double loss, String checkpoint) {
        public static final String TRAINED = "trained";
        /** A batch consumed without a step (no row had a target); {@code step} is the step it would have been. */
        public static final String SKIPPED = "skipped";
        /** A process resumed the run after {@code step} (0: from the beginning), from {@code checkpoint}. */
        public static final String RESUMED = "resumed";

        /** {@code topic:partition@offset}: the record the batch was. */
        public String record() {
            return partition + "@" + offset;
        }
    }

    private final OutputStream out;

    private LineageLog(OutputStream out) {
        this.out = out;
    }

    /** Opens the run's log for appending and records where this process resumed. */
    static LineageLog open(Path runDir, long resumedAfter, Path checkpoint) {
        try {
            Files.createDirectories(runDir);
            OutputStream out = Files.newOutputStream(runDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            LineageLog log = new LineageLog(out);
            log.append(new Entry(Entry.RESUMED, resumedAfter, null, null, null, null, null, null,
                    checkpoint == null ? null : checkpoint.getFileName().toString()));
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the lineage log in " + runDir + ": " + e.getMessage(), e);
        }
    }

    void trained(long step, FedBatch fed, double loss) {
        append(new Entry(Entry.TRAINED, step, fed.bucket(), CheckpointManifest.key(fed.partition()), fed.offset(), fed.epoch(),
                fed.batch().batchId(), loss, null));
    }

    void skipped(long step, FedBatch fed) {
        append(new Entry(Entry.SKIPPED, step, fed.bucket(), CheckpointManifest.key(fed.partition()), fed.offset(), fed.epoch(),
                fed.batch().batchId(), null, null));
    }

    /** One write per line, unbuffered: what a crash leaves is every line up to the crash (the OS holds it). */
    private void append(Entry e) {
        byte[] line = Json.write(e);
        byte[] withNewline = java.util.Arrays.copyOf(line, line.length + 1);
        withNewline[line.length] = '\n';
        try {
            out.write(withNewline);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot append to the lineage log: " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            // the lines are written; nothing to flush
        }
    }

    /**
     * The lineage of the run whose log is {@code file}: the trained and skipped entries that the last checkpoint
     * chain holds, in order. A {@code resumed} line at step S drops the entries after step S before it; a line
     * cut short by a crash (the last one) is ignored.
     */
    public static List<Entry> lineage(Path file) {
        List<Entry> kept = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String line;
            while ((line = in.readLine()) != null) {
                Entry e;
                try {
                    e = Json.read(line.getBytes(java.nio.charset.StandardCharsets.UTF_8), Entry.class);
                } catch (RuntimeException truncated) {
                    continue;
                }
                if (Entry.RESUMED.equals(e.type())) {
                    kept.removeIf(k -> k.step() > e.step());
                } else {
                    kept.add(e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lineage log " + file + ": " + e.getMessage(), e);
        }
        return kept;
    }

    /** Every line of the log, as written (resumed lines included). */
    public static List<Entry> entries(Path file) {
        List<Entry> all = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                try {
                    all.add(Json.read(line.getBytes(java.nio.charset.StandardCharsets.UTF_8), Entry.class));
                } catch (RuntimeException truncated) {
                    // a line cut short by a crash
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lineage log " + file + ": " + e.getMessage(), e);
        }
        return all;
    }
}
