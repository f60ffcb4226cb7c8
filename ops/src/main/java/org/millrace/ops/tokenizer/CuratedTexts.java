package org.millrace.ops.tokenizer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.millrace.common.CuratedDocument;
import org.millrace.common.Json;

/**
 * The texts of the committed records on the curated topic, from the beginning up to the end it had when
 * reading started (or as far as the caller reads). Records that are not curated documents are skipped
 * and counted.
 */
public final class CuratedTexts implements Iterator<String>, AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<TopicPartition, Long> end;
    private final Duration timeout;
    private final List<String> buffered = new ArrayList<>();
    private int next;
    private long skipped;

    public CuratedTexts(Map<String, Object> kafka, String topic, Duration timeout) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-tokenizer-sample");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.timeout = timeout;
        List<TopicPartition> parts = consumer.partitionsFor(topic, timeout).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        this.end = consumer.endOffsets(parts, timeout);
    }

    @Override
    public boolean hasNext() {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (next >= buffered.size()) {
            if (reachedEnd()) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the curated topic gave no records for " + timeout + " before its end");
            }
            buffered.clear();
            next = 0;
            for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                try {
                    CuratedDocument doc = Json.read(r.value(), CuratedDocument.class);
                    buffered.add(doc.document().text());
                } catch (RuntimeException e) {
                    skipped++;
                }
            }
        }
        return true;
    }

    @Override
    public String next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return buffered.get(next++);
    }

    /** Records that were not curated documents. */
    public long skipped() {
        return skipped;
    }

    private boolean reachedEnd() {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            // under read_committed the position passes transaction markers too, so >= is the test
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
