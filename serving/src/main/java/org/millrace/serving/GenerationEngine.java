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
import org.millrace.serving.internal.Cohort;
import org.millrace.serving.internal.RequestState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates every request on one worker thread, several sequences per forward pass.
 *
 * <p>Requests wait in a bounded queue ({@code queue-capacity}); {@link #submit} refuses one when the
 * queue is full, and the API answers 429. Between two decoding rounds the worker admits waiting
 * requests while fewer than {@code max-active-sequences} sequences generate, groups their sequences by
 * model and prompt length into cohorts of at most {@code max-batch} (each shares one KV cache, so one
 * forward pass steps all of them), and reads each cohort's prompts in one batched prefill. Each round
 * then steps every cohort by one token: requests of different lengths progress together, interleaved,
 * and a request never waits for another to finish. When idle, the worker waits {@code batch-window}
 * after a first request for others to join its cohort.
 */
public final class GenerationEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationEngine.class);

    private final ServingSettings settings;
    // unbounded as a structure so that the worker can put back a request that does not fit yet;
    // bounded by the count of waiting requests, checked on submit
    private final BlockingDeque<GenerationRequest> queue = new LinkedBlockingDeque<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final List<Cohort> cohorts = new ArrayList<>();
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
                for (Cohort cohort : List.copyOf(cohorts)) {
                    if (!cohort.finished()) {
                        run(cohort, false);
                    }
                    if (cohort.finished()) {
                        cohorts.remove(cohort);
                        closeQuietly(cohort);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Error e) {
            LOG.error("generation worker died", e);
            throw e;
        }
    }

    private static void closeQuietly(Cohort cohort) {
        try {
            cohort.close();
        } catch (RuntimeException e) {
            LOG.warn("closing a batch of model {} failed: {}", cohort.model().id(), e.toString());
        }
    }

    private void admit() throws InterruptedException {
        int active = cohorts.stream().mapToInt(Cohort::size).sum();
        List<GenerationRequest> taken = new ArrayList<>();
        boolean idle = cohorts.isEmpty();
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

    private void start(List<GenerationRequest> requests) {
        Map<String, List<Choice>> groups = new LinkedHashMap<>();
        for (GenerationRequest r : requests) {
            RequestState state = new RequestState(r);
            for (Choice c : state.choices()) {
                groups.computeIfAbsent(r.model().id() + "/" + c.prompt().length, k -> new ArrayList<>()).add(c);
            }
        }
        for (List<Choice> group : groups.values()) {
            for (int i = 0; i < group.size(); i += settings.maxBatch()) {
                List<Choice> rows = group.subList(i, Math.min(group.size(), i + settings.maxBatch()));
                Cohort cohort;
                try {
                    cohort = new Cohort(rows.get(0).owner().request().model(), rows);
                } catch (RuntimeException e) {
                    rows.stream().map(Choice::owner).distinct().forEach(o -> o.fail(e));
                    continue;
                }
                cohorts.add(cohort);
                run(cohort, true);
            }
        }
    }

    private void run(Cohort cohort, boolean prefill) {
        try {
            if (prefill) {
                cohort.prefill();
            } else {
                cohort.step();
            }
            forwards.incrementAndGet();
            rowsForwarded.addAndGet(cohort.size());
            largestBatch.accumulateAndGet(cohort.size(), Math::max);
        } catch (RuntimeException e) {
            LOG.warn("generation on model {} failed: {}", cohort.model().id(), e.toString());
            failAll(cohort, e);
        }
    }

    private static void failAll(Cohort cohort, RuntimeException e) {
        Set<RequestState> owners = new LinkedHashSet<>();
        cohort.rows().forEach(c -> owners.add(c.owner()));
        owners.forEach(o -> o.fail(e));
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
        for (Cohort cohort : cohorts) {
            failAll(cohort, stopping);
            closeQuietly(cohort);
        }
        cohorts.clear();
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
