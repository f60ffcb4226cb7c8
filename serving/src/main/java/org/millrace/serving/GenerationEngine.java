package org.millrace.serving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.millrace.serving.internal.Choice;
import org.millrace.serving.internal.RequestState;
import org.millrace.serving.internal.Sampler;
import org.millrace.serving.internal.SlotDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates every request on one worker thread, many sequences per forward pass.
 *
 * <p>Requests wait in a bounded queue ({@code queue-capacity}); {@link #submit} refuses one when the
 * queue is full, and the API answers 429. Between two decoding rounds the worker admits waiting
 * requests while fewer than {@code max-active-sequences} sequences generate. Each admitted prompt is
 * read once (prefill) into a slot of its model's {@link SlotDecoder}; the {@code n} choices of a
 * prompt copy that slot instead of reading the prompt again. Each round then steps <em>every</em>
 * sequence of a model together, up to {@code max-batch} per forward pass, whatever its position:
 * requests that arrived at different times and prompts of different lengths share the pass
 * (continuous batching). A finished sequence leaves at once; its slot is refilled by compaction. When
 * idle, the worker waits {@code batch-window} after a first request for others to start with it.
 * Requests on a replaced model keep stepping on it in their own batch until they finish.
 */
public final class GenerationEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationEngine.class);

    private final ServingSettings settings;
    // unbounded as a structure so that the worker can put back a request that does not fit yet;
    // bounded by the count of waiting requests, checked on submit
    private final BlockingDeque<GenerationRequest> queue = new LinkedBlockingDeque<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Map<ServedModel, SlotBatch> batches = new LinkedHashMap<>();
    private final Thread worker;
    private volatile boolean running = true;
    private final AtomicLong forwards = new AtomicLong();
    private final AtomicLong rowsForwarded = new AtomicLong();
    private final AtomicLong largestBatch = new AtomicLong();

    public GenerationEngine(ServingSettings settings) {
        this.settings = settings;
        this.worker = new Thread(this::work, "millrace-serving-generator");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Queues a request; false when the queue is full (the caller answers 429 and gives the model lease
     * back). Once accepted, the engine reports to the request's listener and gives its lease back.
     */
    public boolean submit(GenerationRequest request) {
        if (request.sequences() > settings.maxActiveSequences()) {
            throw new IllegalArgumentException(request.sequences() + " sequences exceed millrace.serving.max-active-sequences "
                    + settings.maxActiveSequences());
        }
        while (true) {
            int n = waiting.get();
            if (!running || n >= settings.queueCapacity()) {
                return false;
            }
            if (waiting.compareAndSet(n, n + 1)) {
                queue.add(request);
                return true;
            }
        }
    }

    /** Requests waiting to start. */
    public int queued() {
        return waiting.get();
    }

    /** Figures of the batching so far: forward passes, and sequences stepped by them. */
    public Stats stats() {
        return new Stats(forwards.get(), rowsForwarded.get(), largestBatch.get());
    }

    /** @param forwards forward passes; rowsForwarded sequences they stepped; largestBatch most in one */
    public record Stats(long forwards, long rowsForwarded, long largestBatch) {
        public double meanBatch() {
            return forwards == 0 ? 0 : (double) rowsForwarded / forwards;
        }
    }

    private void work() {
        try {
            while (running) {
                admit();
                for (SlotBatch batch : List.copyOf(batches.values())) {
                    round(batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Error e) {
            LOG.error("generation worker died", e);
            throw e;
        }
    }

    /** One token for every sequence of a model's batch; drops finished sequences and idle batches. */
    private void round(SlotBatch batch) {
        try {
            batch.compact();
            for (int first = 0; first < batch.rows.size(); first += settings.maxBatch()) {
                int b = Math.min(settings.maxBatch(), batch.rows.size() - first);
                int[] tokens = new int[b];
                int[] positions = new int[b];
                for (int r = 0; r < b; r++) {
                    Row row = batch.rows.get(first + r);
                    tokens[r] = row.choice.lastToken();
                    positions[r] = row.position;
                }
                float[] logits = batch.decoder.step(first, tokens, positions);
                counted(b);
                for (int r = 0; r < b; r++) {
                    Row row = batch.rows.get(first + r);
                    row.position++;
                    sample(row.choice, logits, r, batch.decoder.model());
                }
            }
            batch.compact();
            if (batch.rows.isEmpty() && batch.decoder.model().retired()) {
                close(batch);
            }
        } catch (RuntimeException e) {
            LOG.warn("generation on model {} failed: {}", batch.decoder.model().id(), e.toString());
            batch.rows.stream().map(r -> r.choice.owner()).distinct().forEach(o -> o.fail(e));
            batch.rows.clear();
            close(batch);
        }
    }

    private void close(SlotBatch batch) {
        batches.remove(batch.decoder.model());
        try {
            batch.decoder.close();
        } catch (RuntimeException e) {
            LOG.warn("freeing the cache of model {} failed: {}", batch.decoder.model().id(), e.toString());
        }
    }

    private void counted(int rows) {
        forwards.incrementAndGet();
        rowsForwarded.addAndGet(rows);
        largestBatch.accumulateAndGet(rows, Math::max);
    }

    private static void sample(Choice choice, float[] logits, int row, ServedModel model) {
        if (!choice.done()) {
            int vocab = model.config().vocabSize();
            choice.accept(Sampler.pick(logits, row * vocab, model.tokenizer().vocabSize(),
                    choice.owner().request().sampling(), choice.random()));
        }
    }

    private void admit() throws InterruptedException {
        int active = batches.values().stream().mapToInt(batch -> batch.rows.size()).sum();
        List<GenerationRequest> taken = new ArrayList<>();
        boolean idle = active == 0;
        long deadline = System.nanoTime();
        if (idle) {
            GenerationRequest first = queue.poll(100, TimeUnit.MILLISECONDS);
            if (first == null) {
                return;
            }
            taken.add(first);
            active += first.sequences();
            deadline = System.nanoTime() + settings.batchWindow().toNanos();
        }
        while (active < settings.maxActiveSequences()) {
            long left = idle ? deadline - System.nanoTime() : 0;
            GenerationRequest next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                break;
            }
            if (active + next.sequences() > settings.maxActiveSequences()) {
                queue.addFirst(next); // waits, first in line, until enough sequences finish
                break;
            }
            taken.add(next);
            active += next.sequences();
        }
        waiting.addAndGet(-taken.size());
        start(taken);
    }

    /** Reads each prompt into a slot (once for its n choices) and picks every choice's first token. */
    private void start(List<GenerationRequest> requests) {
        for (GenerationRequest r : requests) {
            RequestState state = new RequestState(r);
            try {
                SlotBatch batch = batches.get(r.model());
                if (batch == null) {
                    batch = new SlotBatch(new SlotDecoder(r.model(), settings.maxActiveSequences()));
                    batches.put(r.model(), batch);
                }
                for (int p = 0; p < r.prompts().size(); p++) {
                    int[] prompt = r.prompts().get(p);
                    int slot = batch.rows.size();
                    float[] logits = batch.decoder.prefill(slot, prompt);
                    counted(1);
                    for (int j = 0; j < r.n(); j++) {
                        Choice choice = state.choices().get(p * r.n() + j);
                        batch.decoder.copy(slot, slot + j, prompt.length);
                        batch.rows.add(new Row(choice, prompt.length));
                        sample(choice, logits, 0, r.model());
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("starting a request on model {} failed: {}", r.model().id(), e.toString());
                state.fail(e);
            }
        }
    }

    /** A sequence in a slot: the position its next token goes to. */
    private static final class Row {
        final Choice choice;
        int position;

        Row(Choice choice, int position) {
            this.choice = choice;
            this.position = position;
        }
    }

    /** The sequences of one model; row i lives in slot i of the decoder. */
    private static final class SlotBatch {
        final SlotDecoder decoder;
        final List<Row> rows = new ArrayList<>();

        SlotBatch(SlotDecoder decoder) {
            this.decoder = decoder;
        }

        /** Removes finished rows, moving the last row into each freed slot. */
        void compact() {
            int i = 0;
            while (i < rows.size()) {
                if (!rows.get(i).choice.done()) {
                    i++;
                    continue;
                }
                int last = rows.size() - 1;
                Row moved = rows.remove(last);
                if (i < last) {
                    decoder.copy(last, i, moved.position);
                    rows.set(i, moved);
                }
            }
        }
    }

    /** Stops the worker; requests still queued or generating fail with "the server is stopping". */
    @Override
    public void close() {
        running = false;
        worker.interrupt();
        try {
            worker.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IllegalStateException stopping = new IllegalStateException("the server is stopping");
        for (SlotBatch batch : List.copyOf(batches.values())) {
            batch.rows.stream().map(r -> r.choice.owner()).distinct().forEach(o -> o.fail(stopping));
            batch.rows.clear();
            close(batch);
        }
        GenerationRequest r;
        while ((r = queue.poll()) != null) {
            try {
                r.listener().onError(stopping);
            } finally {
                r.model().release();
            }
        }
    }
}
