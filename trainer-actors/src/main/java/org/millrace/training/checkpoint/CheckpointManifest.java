package org.millrace.training.checkpoint;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.millrace.training.curriculum.CurriculumState;
import org.millrace.training.curriculum.RngState;

/**
 * What a checkpoint holds besides tensors: enough to resume the run exactly (format version {@value #VERSION}).
 *
 * <p>Version 2 added the curriculum state, the state of the bucket-drawing RNG and an epoch per bucket; version 1
 * had one epoch for all batch topics and an RNG seed. Version-1 manifests are migrated on reading (see
 * {@link ManifestReader}).
 *
 * @param version      format version
 * @param run          run id
 * @param step         optimizer steps done
 * @param tokens       training tokens seen (real tokens, padding not counted)
 * @param offsets      next offset to read per batch partition ({@code topic:partition})
 * @param bucketEpochs per bucket, the epoch of the last batch trained (the pass it was read in, 0 the first)
 * @param tokenizer    tokenizer the model was trained with
 * @param model        model configuration (name → value), compared on load
 * @param seed         {@code millrace.trainer.seed} of the run
 * @param curriculum   the curriculum's phase, tokens per bucket and live mixtures; null only when migrated from version 1
 * @param rng          state of the generator drawing the buckets
 * @param loss         training loss of the last step
 * @param time         epoch milliseconds when written
 */
public record CheckpointManifest(int version, String run, long step, long tokens, Map<String, Long> offsets,
                                 Map<String, Integer> bucketEpochs, String tokenizer, Map<String, Object> model, long seed,
                                 CurriculumState curriculum, RngState rng, double loss, long time) {
    public static final int VERSION = 2;

    public CheckpointManifest {
        offsets = new TreeMap<>(offsets);
        bucketEpochs = new TreeMap<>(bucketEpochs == null ? Map.of() : bucketEpochs);
        model = new TreeMap<>(model);
    }

    /**
     * A checkpoint of a model alone, with no feed offsets, curriculum or RNG state: what evaluation,
     * serving and export need, e.g. for a model trained outside the training loop. A trainer that
     * resumes from it starts its feed and curriculum from the beginning.
     */
    public static CheckpointManifest modelOnly(String run, long step, long tokens, String tokenizer, Map<String, Object> model,
                                               long seed, double loss, long time) {
        return new CheckpointManifest(VERSION, run, step, tokens, Map.of(), Map.of(), tokenizer, model, seed, null, null, loss, time);
    }

    public static String key(TopicPartition tp) {
        return tp.topic() + ":" + tp.partition();
    }

    public static TopicPartition partition(String key) {
        int colon = key.lastIndexOf(':');
        return new TopicPartition(key.substring(0, colon), Integer.parseInt(key.substring(colon + 1)));
    }

    /** Offsets as Kafka partitions. */
    public Map<TopicPartition, Long> partitionOffsets() {
        Map<TopicPartition, Long> out = new HashMap<>();
        offsets.forEach((k, v) -> out.put(partition(k), v));
        return out;
    }
}
