package org.millrace.processing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.kafka.ConsumerMessage;
import org.apache.pekko.kafka.ConsumerSettings;
import org.apache.pekko.kafka.ProducerMessage;
import org.apache.pekko.kafka.ProducerSettings;
import org.apache.pekko.kafka.Subscriptions;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.kafka.javadsl.Transactional;
import org.millrace.common.ArrowMemoryMetrics;
import org.millrace.common.Tokenizer;
import org.millrace.common.Topics;

/**
 * The curation graph: documents from {@code millrace.docs.*} to curated, rejected and batch topics,
 * exactly once. Records are grouped per source partition, each group is curated and produced in the
 * same Kafka transaction as its consumer offset (pekko-connectors-kafka's {@code Transactional}
 * source and sink), so a crash never loses nor repeats a document in any output topic.
 */
public final class CurationStream implements AutoCloseable {
    private static final int MAX_PARTITIONS = 1024;
    /** The curation consumer's dispatcher (reference.conf). */
    static final String CONSUMER_DISPATCHER = "millrace.curation.consumer-dispatcher";

    private final Consumer.DrainingControl<Done> control;
    private final BufferAllocator allocator;
    private final Curator curator;
    private final CompletableFuture<Void> consumerClosed;

    private CurationStream(Consumer.DrainingControl<Done> control, BufferAllocator allocator, Curator curator,
                           CompletableFuture<Void> consumerClosed) {
        this.control = control;
        this.allocator = allocator;
        this.curator = curator;
        this.consumerClosed = consumerClosed;
        // Filters with state (the dedup store) are closed when the stream ends, also when it fails,
        // so that a restarted stream can open them again.
        control.streamCompletion().whenComplete((d, e) -> curator.close());
    }

    /**
     * Starts the stream.
     *
     * @param kafka     client properties (bootstrap servers and pass-through settings)
     * @param nodeId    distinguishes this node's transactional id from other curation nodes'
     */
    public static CurationStream start(ActorSystem<?> system, CurationSettings settings, Topics topics,
                                       Tokenizer tokenizer, Map<String, Object> kafka, String nodeId) {
        return start(system, settings, topics, tokenizer, kafka, nodeId, Map.of());
    }

    /**
     * Starts the stream with the filters of {@code replacements} in place of the configured ones of the
     * same name (a cluster node replaces {@code dedup} with {@link GlobalDedupFilter}).
     */
    public static CurationStream start(ActorSystem<?> system, CurationSettings settings, Topics topics,
                                       Tokenizer tokenizer, Map<String, Object> kafka, String nodeId,
                                       Map<String, java.util.function.Supplier<? extends DocumentFilter>> replacements) {
        BufferAllocator allocator = new RootAllocator();
        ArrowMemoryMetrics.track("curation", allocator);
        Curator curator = new Curator(settings, topics, tokenizer, allocator, replacements);
        // Set here rather than in reference.conf: pekko-connectors-kafka's own reference.conf sets the same
        // keys, and which of two reference.conf files wins depends on the class path order.
        ConsumerSettings<String, byte[]> consumerSettings = ConsumerSettings
                .create(system, new StringDeserializer(), new ByteArrayDeserializer())
                .withGroupId(settings.consumerGroup())
                .withProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .withProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024))
                // drainAndShutdown commits what is in flight first: no extra delay before the consumer stops
                .withStopTimeout(java.time.Duration.ZERO)
                .withCommitTimeout(settings.revokeDrainTimeout())
                // One thread for the consumer: the JDK caches a direct buffer as large as the largest
                // record read on every thread that reads a socket, and pekko-connectors' default dispatcher
                // has 16 threads; a 50 MB record re-fetched on each of them exhausted direct memory.
                .withDispatcher(CONSUMER_DISPATCHER);
        if (settings.staticMembership()) {
            // A restarted node (after a crash, too) takes its partitions back at once instead of waiting
            // for the group to time its old consumer out (session.timeout.ms, 45 s by default).
            consumerSettings = consumerSettings.withProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                    settings.consumerGroup() + "-" + nodeId);
        }
        for (Map.Entry<String, Object> e : kafka.entrySet()) {
            consumerSettings = consumerSettings.withProperty(e.getKey(), String.valueOf(e.getValue()));
        }
        CompletableFuture<Void> consumerClosed = new CompletableFuture<>();
        consumerSettings = consumerSettings.withConsumerFactory(s -> new ClosingConsumer(s.getProperties(), consumerClosed));
        ProducerSettings<String, byte[]> producerSettings = ProducerSettings
                .create(system, new StringSerializer(), new ByteArraySerializer())
                .withProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(64 * 1024 * 1024))
                .withProperty(ProducerConfig.LINGER_MS_CONFIG, "5")
                .withProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        for (Map.Entry<String, Object> e : kafka.entrySet()) {
            producerSettings = producerSettings.withProperty(e.getKey(), String.valueOf(e.getValue()));
        }

        Consumer.DrainingControl<Done> control = Transactional
                .source(consumerSettings, Subscriptions.topics(topics.docsWeb(), topics.docsSynthetic()))
                // One substream per source partition, so that a group's records and its offset go
                // into one envelope and hence into one transaction.
                .groupBy(MAX_PARTITIONS, m -> m.record().topic() + "/" + m.record().partition())
                .groupedWithin(settings.groupMaxDocs(), settings.groupMaxWait())
                .map(group -> envelope(curator, group))
                .async()
                .mergeSubstreams()
                .toMat(Transactional.sink(producerSettings, settings.transactionalId() + "-" + nodeId),
                        Consumer::createDrainingControl)
                .run(system);
        return new CurationStream(control, allocator, curator, consumerClosed);
    }

    /**
     * The stream's Kafka consumer, which says when it has been closed. A failed stream completes before its
     * consumer has closed: the consumer actor may still be blocked in a rebalance callback, and after it returns
     * the consumer rejoins the group under the node's static group.instance.id.
     */
    private static final class ClosingConsumer extends KafkaConsumer<String, byte[]> {
        private final CompletableFuture<Void> closed;

        ClosingConsumer(Map<String, Object> properties, CompletableFuture<Void> closed) {
            super(properties, new StringDeserializer(), new ByteArrayDeserializer());
            this.closed = closed;
        }

        @Override
        public void close() {
            try {
                super.close();
            } finally {
                closed.complete(null);
            }
        }

        @Override
        public void close(java.time.Duration timeout) {
            try {
                super.close(timeout);
            } finally {
                closed.complete(null);
            }
        }
    }

    private static ProducerMessage.Envelope<String, byte[], ConsumerMessage.PartitionOffset> envelope(
            Curator curator, List<ConsumerMessage.TransactionalMessage<String, byte[]>> group) {
        List<ConsumerRecord<String, byte[]>> records = group.stream().map(ConsumerMessage.TransactionalMessage::record).toList();
        ConsumerMessage.PartitionOffset last = group.get(group.size() - 1).partitionOffset();
        return ProducerMessage.multi(curator.curate(records), last);
    }

    /** Completes when the stream has failed or been drained. */
    public CompletionStage<Done> completion() {
        return control.streamCompletion();
    }

    /**
     * Completes when the stream's Kafka consumer has closed, which may be well after {@link #completion()} of a
     * failed stream. A new stream of the same node must not start before: with static membership the two
     * consumers would share one group.instance.id, and whichever joins last fences the other.
     */
    public CompletionStage<Void> consumerClosed() {
        return consumerClosed;
    }

    /** Stops consuming, lets the records in flight be produced and committed, then stops. */
    public CompletionStage<Done> drainAndShutdown(java.util.concurrent.Executor executor) {
        return control.drainAndShutdown(executor).whenComplete((d, e) -> {
            curator.close();
            ArrowMemoryMetrics.untrack("curation");
            allocator.close();
        });
    }

    @Override
    public void close() {
        drainAndShutdown(Runnable::run).toCompletableFuture().join();
    }
}
