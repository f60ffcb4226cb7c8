package org.millrace.training.checkpoint;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * What a checkpoint holds besides tensors: enough to resume the run exactly (version {@value #VERSION}).
 *
 * @param version   format version; loading another version fails with a message saying so
 * @param run       run id
 * @param step      optimizer steps done
 * @param tokens    training tokens seen
 * @param epoch     passes over the batch topics begun
 * @param offsets   next offset to read per batch partition ({@code topic:partition})
 * @param tokenizer tokenizer the model was trained with
 * @param model     model configuration (name → value), compared on load
 * @param rngSeed   seed of the next step's randomness (dropout, curriculum sampling)
 * @param loss      training loss of the last step
 * @param time      epoch milliseconds when written
 */
public record CheckpointManifest(int version, String run, long step, long tokens, int epoch, Map<String, Long> offsets,
                                 String tokenizer, Map<String, Object> model, long rngSeed, double loss, long time) {
    public static final int VERSION = 1;

    public CheckpointManifest {
        offsets = new TreeMap<>(offsets);
        model = new TreeMap<>(model);
    }

    public static String key(TopicPartition tp) {
        return tp.topic() + ":" + tp.partition();
    }

    /** Offsets as Kafka partitions. */
    public Map<TopicPartition, Long> partitionOffsets() {
        Map<TopicPartition, Long> out = new java.util.HashMap<>();
        offsets.forEach((k, v) -> {
            int colon = k.lastIndexOf(':');
            out.put(new TopicPartition(k.substring(0, colon), Integer.parseInt(k.substring(colon + 1))), v);
        });
        return out;
    }
}
