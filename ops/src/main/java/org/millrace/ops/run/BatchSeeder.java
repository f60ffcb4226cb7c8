package org.millrace.ops.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.millrace.common.Document;
import org.millrace.common.DocumentCodec;
import org.millrace.common.Tokenizer;
import org.millrace.common.Topics;
import org.millrace.processing.CurationSettings;
import org.millrace.processing.Curator;

/**
 * Curates documents with the real {@link Curator} (filters, tokenizer, sequence packer) and publishes only
 * the token batches to the bucket topics, without the curation stream: training tests and benchmarks start
 * from batches of real text this way in a second or two.
 */
public final class BatchSeeder {
    private BatchSeeder() {
    }

    /**
     * @param groupSize documents curated together (one Kafka transaction's worth in the stream: rows are
     *                  padded at the end of each group)
     * @return batches published per bucket
     */
    public static Map<String, Integer> publish(Map<String, Object> kafka, CurationSettings curation, Topics topics,
                                               Tokenizer tokenizer, List<Document> documents, int groupSize) {
        Map<String, Integer> published = new LinkedHashMap<>();
        Map<String, Object> props = new java.util.HashMap<>(kafka);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (BufferAllocator allocator = new RootAllocator();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            Curator curator = new Curator(curation, topics, tokenizer, allocator);
            String source = topics.docsWeb();
            for (int from = 0; from < documents.size(); from += groupSize) {
                List<ConsumerRecord<String, byte[]>> group = new ArrayList<>();
                for (int i = from; i < Math.min(documents.size(), from + groupSize); i++) {
                    Document d = documents.get(i);
                    group.add(new ConsumerRecord<>(source, 0, i, d.id(), DocumentCodec.encode(d)));
                }
                for (ProducerRecord<String, byte[]> r : curator.curate(group)) {
                    if (topics.batchTopics().contains(r.topic())) {
                        producer.send(r);
                        published.merge(topics.bucketOf(r.topic()), 1, Integer::sum);
                    }
                }
            }
            producer.flush();
        }
        return published;
    }
}
