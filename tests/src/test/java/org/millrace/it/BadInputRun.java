package org.millrace.it;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.millrace.common.ByteTokenizer;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.ops.KafkaConnection;
import org.millrace.processing.CurationSettings;
import org.millrace.processing.CurationStream;
import org.millrace.producers.DocumentPublisher;
import org.millrace.producers.DocumentSink;
import org.millrace.producers.Ingest;
import org.millrace.producers.IngestListener;
import org.millrace.producers.IngestStats;
import org.millrace.producers.readers.ReaderOptions;
import org.millrace.producers.readers.Readers;
import org.millrace.producers.readers.SkipReport;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;

/**
 * The child JVM of {@link BadInputTest}: ingests the bad-input corpus into Kafka, curates everything it
 * published, and reports on stdout, one tab-separated line each: every skip ({@code SKIP file record
 * reason}), the documents published, and the peaks of heap, direct buffers, Arrow and resident memory.
 * Exits 0 only when all of it ran to the end.
 *
 * <p>Arguments: bootstrap servers, corpus directory, data directory, topic prefix.
 */
public final class BadInputRun {
    private BadInputRun() {
    }

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args[1]);
        Path dataDir = Path.of(args[2]);
        Map<String, Object> settings = new HashMap<>();
        settings.put("millrace.kafka.bootstrap-servers", args[0]);
        settings.put("millrace.data-dir", dataDir.toString());
        settings.put("millrace.topics.prefix", args[3]);
        settings.put("millrace.tokenizer.kind", "byte");
        // the stream waits this long on shutdown (see reference.conf); the test does not need the default 5 s
        settings.put("millrace.curation.revoke-drain-timeout", "1s");
        // every filter but the classifier, which needs a trained model
        settings.put("millrace.curation.pipeline", List.of("size", "html-extract", "normalize", "language",
                "gopher-quality", "gopher-repetition", "c4-lines", "code-quality", "pii", "dedup", "decontaminate"));
        Config config = ConfigFactory.parseMap(settings).withFallback(Settings.load(null)).resolve();
        Topics topics = Topics.fromConfig(config);

        MemoryPeaks peaks = new MemoryPeaks();
        Thread sampler = new Thread(peaks::sampleUntilInterrupted, "memory-sampler");
        sampler.setDaemon(true);
        sampler.start();

        try (KafkaConnection kafka = KafkaConnection.open(config, dataDir)) {
            kafka.ensureTopics(topics);
            IngestListener listener = new IngestListener() {
                @Override
                public void skipped(SkipReport r) {
                    synchronized (System.out) {
                        System.out.println("SKIP\t" + corpus.relativize(Path.of(r.file())) + "\t" + r.record() + "\t"
                                + r.reason().replace('\n', ' ').replace('\t', ' '));
                    }
                }
            };
            long ingestStart = System.nanoTime();
            IngestStats stats;
            try (DocumentPublisher publisher = new DocumentPublisher(kafka.clientProperties(), topics)) {
                stats = new Ingest(Duration.ofSeconds(1), 2, listener)
                        .run(Readers.forPath(corpus, ReaderOptions.fromConfig(config)), DocumentSink.of(publisher));
            }
            System.out.println("PUBLISHED\t" + stats.documents());
            System.out.println("INGEST_MS\t" + (System.nanoTime() - ingestStart) / 1_000_000);
            long curationStart = System.nanoTime();

            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bad-input", config);
            try {
                CurationSettings curation = CurationSettings.fromConfig(config, topics);
                CurationStream stream = CurationStream.start(system, curation, topics, new ByteTokenizer(),
                        kafka.clientProperties(), "bad-input");
                awaitCommitted(kafka.clientProperties(), curation.consumerGroup(),
                        List.of(topics.docsWeb(), topics.docsSynthetic()), Duration.ofSeconds(90));
                System.out.println("CURATION_MS\t" + (System.nanoTime() - curationStart) / 1_000_000);
                stream.drainAndShutdown(system.executionContext()).toCompletableFuture().get(60, TimeUnit.SECONDS);
            } finally {
                system.terminate();
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
        sampler.interrupt();
        peaks.sample();
        System.out.println("HEAP_PEAK\t" + peaks.heap.get());
        System.out.println("DIRECT_PEAK\t" + peaks.direct.get());
        System.out.println("ARROW_PEAK\t" + peaks.arrow.get());
        System.out.println("RSS_PEAK_KB\t" + procStatus("VmHWM"));
        System.out.println("DONE");
        System.out.flush();
        System.exit(0);
    }

    /** Waits until the curation group's committed offsets reach the end of every partition of {@code topics}. */
    private static void awaitCommitted(Map<String, Object> kafka, String group, List<String> topicNames, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(kafka)) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topicNames).allTopicNames().get().forEach((name, d) -> d.partitions()
                    .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, r) -> ends.put(tp, r.offset()));
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                boolean done = ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue()));
                if (done) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("curation did not commit " + ends + " within " + timeout
                            + "; committed " + committed);
                }
                Thread.sleep(100); // polling the group's offsets, not waiting for time to pass
            }
        }
    }

    static long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Highest heap in use, direct buffers and Arrow allocations seen, sampled every 20 ms. */
    static final class MemoryPeaks {
        final AtomicLong heap = new AtomicLong();
        final AtomicLong direct = new AtomicLong();
        final AtomicLong arrow = new AtomicLong();

        void sampleUntilInterrupted() {
            while (!Thread.currentThread().isInterrupted()) {
                sample();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void sample() {
            heap.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
            long d = 0;
            for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                d += pool.getMemoryUsed();
            }
            direct.accumulateAndGet(d, Math::max);
            long a = 0;
            for (var snapshot : PrometheusRegistry.defaultRegistry.scrape(name -> name.startsWith("millrace_memory_arrow"))) {
                if (snapshot instanceof GaugeSnapshot g) {
                    for (GaugeSnapshot.GaugeDataPointSnapshot p : g.getDataPoints()) {
                        a += (long) p.getValue();
                    }
                }
            }
            arrow.accumulateAndGet(a, Math::max);
        }
    }
}
