package org.millrace.producers.synth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.producers.DocumentSink;
import org.millrace.producers.synth.internal.ChatCompletions;
import org.millrace.producers.synth.internal.RateLimiter;

/**
 * Teacher mode: synthetic textbooks written by a model behind any OpenAI-compatible
 * {@code /v1/chat/completions} endpoint (a hosted model, a local vLLM or llama.cpp server, Millrace's
 * own serving module). Prompts come from {@link PromptSeeds}; at most {@code concurrency} requests are
 * in flight and at most {@code requests-per-second} start each second; 429/5xx/timeouts are retried
 * with backoff; generations whose normalised text was already produced are dropped as duplicates.
 */
public final class TeacherSynth {
    public static final String GENERATOR = "teacher";
    public static final String SOURCE = "synth-teacher";
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private final TeacherSettings settings;
    private final PromptSeeds seeds;
    private final long seed;
    private final SynthListener listener;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicReference<RuntimeException> sinkFailure = new java.util.concurrent.atomic.AtomicReference<>();

    public TeacherSynth(TeacherSettings settings, PromptSeeds seeds, long seed, SynthListener listener) {
        this.settings = settings;
        this.seeds = seeds;
        this.seed = seed;
        this.listener = listener;
    }

    /** Generates documents for prompts {@code first} .. {@code first + count - 1} into {@code sink}, then flushes it. */
    public SynthStats run(long first, long count, DocumentSink sink) throws InterruptedException {
        ChatCompletions client = new ChatCompletions(settings);
        RateLimiter limiter = new RateLimiter(settings.requestsPerSecond());
        Counters c = new Counters();
        long start = System.nanoTime();
        Semaphore inFlight = new Semaphore(settings.concurrency());
        ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "millrace-teacher");
            t.setDaemon(true);
            return t;
        });
        long nextReport = start + 1_000_000_000L;
        try {
            for (long i = first; i < first + count && sinkFailure.get() == null; i++) {
                while (!inFlight.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    nextReport = report(c, start, nextReport);
                }
                nextReport = report(c, start, nextReport);
                long index = i;
                c.requested.incrementAndGet();
                pool.execute(() -> {
                    try {
                        generate(index, client, limiter, sink, c);
                    } finally {
                        inFlight.release();
                    }
                });
            }
            while (!inFlight.tryAcquire(settings.concurrency(), 200, TimeUnit.MILLISECONDS)) {
                nextReport = report(c, start, nextReport);
            }
        } finally {
            pool.shutdownNow();
        }
        if (sinkFailure.get() != null) {
            throw sinkFailure.get();
        }
        sink.flush();
        SynthStats total = c.stats(start);
        listener.finished(total);
        return total;
    }

    private long report(Counters c, long start, long nextReport) {
        long now = System.nanoTime();
        if (now < nextReport) {
            return nextReport;
        }
        listener.progress(c.stats(start));
        return now + 1_000_000_000L;
    }

    private void generate(long index, ChatCompletions client, RateLimiter limiter, DocumentSink sink, Counters c) {
        PromptSeeds.Prompt prompt = seeds.prompt(seed, index);
        try {
            limiter.acquire();
            ChatCompletions.Completion completion = client.complete(prompt.system(), prompt.user(), seed * 1_000_003L + index,
                    reason -> {
                        c.retries.incrementAndGet();
                        listener.retried(index, reason);
                    });
            String text = completion.content().strip();
            if (text.isEmpty()) {
                c.failed.incrementAndGet();
                listener.failed(index, "the teacher returned an empty message");
                return;
            }
            if (!seen.add(fingerprint(text))) {
                c.duplicates.incrementAndGet();
                return;
            }
            Document d = document(index, prompt, completion, text);
            synchronized (sink) {
                sink.accept(d);
            }
            c.published.incrementAndGet();
            c.bytes.addAndGet(text.getBytes(StandardCharsets.UTF_8).length);
        } catch (ChatCompletions.TeacherException e) {
            c.failed.incrementAndGet();
            listener.failed(index, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            sinkFailure.compareAndSet(null, e); // the sink (Kafka) failed: stop the run, it is not the teacher's fault
        }
    }

    private Document document(long index, PromptSeeds.Prompt prompt, ChatCompletions.Completion completion, String text) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("generator", GENERATOR);
        metadata.put("seed", seed);
        metadata.put("index", index);
        metadata.put("prompt", prompt.user());
        metadata.put("model", settings.model());
        metadata.put("topic", prompt.topic());
        metadata.put("topic_source", seeds.topicSource());
        metadata.put("audience", prompt.audience());
        metadata.put("style", prompt.style());
        metadata.put("task", prompt.task());
        if (completion.finishReason() != null) {
            metadata.put("finish_reason", completion.finishReason());
        }
        return new Document(Document.stableId(SOURCE, settings.model() + "/" + seed + "/" + index), text, SOURCE,
                DocumentKind.SYNTHETIC, null, metadata);
    }

    /** Exact duplicates up to case, punctuation and spacing: SHA-256 of the normalised words. */
    static String fingerprint(String text) {
        String normal = NOT_WORD.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(normal.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static final class Counters {
        final AtomicLong requested = new AtomicLong();
        final AtomicLong published = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();

        SynthStats stats(long start) {
            return new SynthStats(requested.get(), published.get(), duplicates.get(), failed.get(), retries.get(), bytes.get(),
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
