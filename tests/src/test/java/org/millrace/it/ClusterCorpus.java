package org.millrace.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.millrace.common.Document;
import org.millrace.common.DocumentCodec;
import org.millrace.common.DocumentKind;
import org.millrace.common.Json;
import org.millrace.common.Rejection;
import org.millrace.common.Topics;

/**
 * The documents of {@link ClusterTest}: unique texts, near-duplicate pairs and exact copies, the two of a pair on
 * different partitions (so curated by different nodes), with what it takes to publish them and to account for
 * them in the read_committed output.
 *
 * @param records    web documents keyed by id, each with its partition of the web topic (the topic is set on publish)
 * @param nearPairs  ids of near duplicates (one word in 75 replaced)
 * @param exactPairs ids of exact copies after normalisation (upper-cased)
 */
record ClusterCorpus(List<ProducerRecord<String, byte[]>> records, List<String[]> nearPairs, List<String[]> exactPairs) {

    /**
     * @param idPrefix   prefix of the ids, so that two corpora of one test do not share any
     * @param partitions partitions of the web topic
     */
    static ClusterCorpus make(Random random, String idPrefix, int partitions, int unique, int near, int exact) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        List<String[]> nearPairs = new ArrayList<>();
        List<String[]> exactPairs = new ArrayList<>();
        for (int i = 0; i < unique; i++) {
            String text = text(random, 150);
            String id = idPrefix + i;
            int partition = i % partitions;
            records.add(record(id, text, partition));
            if (i < near) {
                String copy = id + "-near";
                records.add(record(copy, edited(text), (partition + partitions / 2) % partitions));
                nearPairs.add(new String[] {id, copy});
            } else if (i < near + exact) {
                String copy = id + "-copy";
                records.add(record(copy, text.toUpperCase(Locale.ROOT), (partition + 2) % partitions));
                exactPairs.add(new String[] {id, copy});
            }
        }
        // interleave, so that both halves hold pairs
        Collections.shuffle(records, random);
        return new ClusterCorpus(records, nearPairs, exactPairs);
    }

    List<String> ids() {
        return records.stream().map(ProducerRecord::key).toList();
    }

    /** Sends records (of this corpus) to the web topic, on their partitions, and waits until all are acknowledged. */
    static void publish(Map<String, Object> props, Topics topics, List<ProducerRecord<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> r : records) {
                producer.send(new ProducerRecord<>(topics.docsWeb(), r.partition(), r.key(), r.value()));
            }
            producer.flush();
        }
    }

    private static ProducerRecord<String, byte[]> record(String id, String text, int partition) {
        Document d = Document.of(id, text, "cluster-test", DocumentKind.WEB);
        return new ProducerRecord<>("", partition, id, DocumentCodec.encode(d));
    }

    private static String text(Random random, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            b.append(i == 0 ? "" : " ").append("w").append(Integer.toString(random.nextInt(20000), 36));
        }
        return b.append('.').toString();
    }

    /** One word in 75 replaced: Jaccard about 0.9, caught by 14 x 8 LSH bands with near certainty. */
    private static String edited(String text) {
        String[] words = text.split(" ");
        for (int i = 37; i < words.length; i += 75) {
            words[i] = "harpoon";
        }
        return String.join(" ", words);
    }

    /**
     * What curation has committed so far.
     *
     * @param curated  times each id is on the curated topic
     * @param rejected times each id is on the rejected topic
     * @param filters  the filter that rejected each rejected id
     */
    record Accounting(Map<String, Integer> curated, Map<String, Integer> rejected, Map<String, String> filters) {
        Set<String> ids() {
            Set<String> all = new HashSet<>(curated.keySet());
            all.addAll(rejected.keySet());
            return all;
        }

        /** Everything committed to curated and rejected so far, read from the start with read_committed. */
        static Accounting read(Map<String, Object> props, Topics topics) {
            Map<String, Object> p = new HashMap<>(props);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
            Map<String, Integer> curated = new HashMap<>();
            Map<String, Integer> rejected = new HashMap<>();
            Map<String, String> filters = new HashMap<>();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> parts = new ArrayList<>();
                for (String t : List.of(topics.curated(), topics.rejected())) {
                    consumer.partitionsFor(t).forEach(i -> parts.add(new TopicPartition(t, i.partition())));
                }
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                Map<TopicPartition, Long> end = consumer.endOffsets(parts);
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.topic().equals(topics.curated())) {
                            curated.merge(r.key(), 1, Integer::sum);
                        } else {
                            rejected.merge(r.key(), 1, Integer::sum);
                            filters.put(r.key(), Json.read(r.value(), Rejection.class).filter());
                        }
                    }
                }
            }
            return new Accounting(curated, rejected, filters);
        }
    }
}
