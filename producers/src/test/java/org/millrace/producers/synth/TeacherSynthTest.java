package org.millrace.producers.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.producers.DocumentSink;

/** Teacher mode against a real local HTTP server that speaks the chat-completions protocol. */
class TeacherSynthTest {
    private static final PromptSeeds SEEDS = new PromptSeeds(IntStream.range(0, 200).mapToObj(i -> "topic " + i).toList(), "test");

    private static TeacherSettings settings(FakeTeacher teacher, int concurrency, double rate) {
        return new TeacherSettings(teacher.url(), "tiny-teacher", "PATH", concurrency, rate, 3, Duration.ofMillis(10),
                Duration.ofMillis(100), Duration.ofSeconds(2), 300, 0.7);
    }

    private static final class Collecting implements DocumentSink {
        final List<Document> docs = Collections.synchronizedList(new ArrayList<>());
        boolean flushed;

        @Override
        public void accept(Document document) {
            docs.add(document);
        }

        @Override
        public void flush() {
            flushed = true;
        }
    }

    @Test
    void onePublishedDocumentPerPromptAfterRetryingOn429And500AndTimeouts() throws Exception {
        AtomicInteger slow = new AtomicInteger();
        FakeTeacher.Script script = (prompt, attempt) -> {
            int kind = Math.floorMod(prompt.hashCode(), 4);
            if (attempt == 0 && kind == 0) {
                return FakeTeacher.Answer.status(429);
            }
            if (attempt == 0 && kind == 1) {
                return FakeTeacher.Answer.status(500 + Math.floorMod(prompt.hashCode(), 4)); // 500..503
            }
            if (attempt == 0 && kind == 2) {
                slow.incrementAndGet();
                return FakeTeacher.Answer.slow("too late", 5000);
            }
            return FakeTeacher.Answer.ok("# A lesson\n\nWritten for: " + prompt);
        };
        try (FakeTeacher teacher = new FakeTeacher(script)) {
            Collecting sink = new Collecting();
            List<String> retries = Collections.synchronizedList(new ArrayList<>());
            SynthListener listener = new SynthListener() {
                @Override
                public void retried(long index, String reason) {
                    retries.add(reason);
                }
            };
            SynthStats stats = new TeacherSynth(settings(teacher, 3, 200), SEEDS, 42, listener).run(0, 16, sink);

            List<String> prompts = IntStream.range(0, 16).mapToObj(i -> SEEDS.prompt(42, i).user()).toList();
            long distinct = prompts.stream().distinct().count();
            assertEquals(distinct, stats.published(), stats.toString());
            assertEquals(16 - distinct, stats.duplicates());
            assertEquals(0, stats.failed(), stats.toString());
            assertEquals(teacher.errorsServed.get() + slow.get(), stats.retries(), "every 429, 5xx and timeout is retried once");
            assertTrue(teacher.errorsServed.get() + slow.get() > 0, "the script exercised retries");
            assertTrue(retries.stream().anyMatch(r -> r.startsWith("HTTP 429")), retries.toString());
            assertTrue(retries.stream().anyMatch(r -> r.startsWith("timed out")), retries.toString());
            assertTrue(sink.flushed);
            assertTrue(teacher.maxInFlight() <= 3, "concurrency limit: " + teacher.maxInFlight());

            for (Document d : sink.docs) {
                long index = (Long) d.metadata().get("index");
                String prompt = SEEDS.prompt(42, index).user();
                assertEquals("# A lesson\n\nWritten for: " + prompt, d.text());
                assertEquals(Document.stableId(TeacherSynth.SOURCE, "tiny-teacher/42/" + index), d.id());
                assertEquals(DocumentKind.SYNTHETIC, d.kind());
                assertEquals("teacher", d.metadata().get("generator"));
                assertEquals(42L, d.metadata().get("seed"));
                assertEquals(prompt, d.metadata().get("prompt"));
                assertEquals("tiny-teacher", d.metadata().get("model"));
                assertEquals("test", d.metadata().get("topic_source"));
            }
            FakeTeacher.Request r = teacher.requests.get(0);
            assertEquals("tiny-teacher", r.model());
            assertEquals(List.of("system", "user"), r.roles());
            assertEquals(300, r.maxTokens());
            assertEquals("Bearer " + System.getenv("PATH"), r.authorization(), "the key comes from the named variable");
        }
    }

    @Test
    void duplicateGenerationsAreDroppedAndA400FailsAtOnceWithoutStoppingTheRest() throws Exception {
        String failing = SEEDS.prompt(7, 3).user();
        FakeTeacher.Script script = (prompt, attempt) -> prompt.equals(failing)
                ? FakeTeacher.Answer.status(400) : FakeTeacher.Answer.ok("The same   text, whatever was asked.");
        try (FakeTeacher teacher = new FakeTeacher(script)) {
            Collecting sink = new Collecting();
            Map<Long, String> failures = new java.util.concurrent.ConcurrentHashMap<>();
            SynthListener listener = new SynthListener() {
                @Override
                public void failed(long index, String reason) {
                    failures.put(index, reason);
                }
            };
            SynthStats stats = new TeacherSynth(settings(teacher, 2, 200), SEEDS, 7, listener).run(0, 8, sink);
            assertEquals(1, stats.published());
            assertEquals(6, stats.duplicates());
            assertEquals(1, stats.failed());
            assertEquals(0, stats.retries(), "a 400 is not retried");
            assertEquals(Set.of(3L), failures.keySet());
            assertTrue(failures.get(3L).contains("HTTP 400"), failures.toString());
            assertEquals(8, teacher.requests.size());
        }
    }

    @Test
    void requestStartsAreSpacedByTheRateLimit() throws Exception {
        try (FakeTeacher teacher = new FakeTeacher((prompt, attempt) -> FakeTeacher.Answer.ok("Text for " + prompt))) {
            Collecting sink = new Collecting();
            long start = System.nanoTime();
            new TeacherSynth(settings(teacher, 4, 20), SEEDS, 1, SynthListener.NONE).run(0, 6, sink);
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            // six starts at most 20 per second: the last starts at least 5 × 50 ms after the first
            assertTrue(elapsedMillis >= 250, "6 requests at 20/s took " + elapsedMillis + " ms");
            assertEquals(6, teacher.requests.size());
            assertEquals(Set.of("Text for"), sink.docs.stream().map(d -> d.text().substring(0, 8)).collect(Collectors.toSet()));
        }
    }
}
