package org.millrace.ops.broker;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * A topic the project needs.
 *
 * @param name       topic name
 * @param partitions number of partitions (at least 1)
 * @param config     topic-level configs, e.g. {@code cleanup.policy}, {@code retention.ms}; may be empty
 */
public record TopicSpec(String name, int partitions, Map<String, String> config) {

    public TopicSpec {
        Objects.requireNonNull(name, "topic name must be given");
        try {
            Topic.validate(name);
        } catch (InvalidTopicException e) {
            throw new IllegalArgumentException("topic name '" + name + "' is not valid: " + e.getMessage(), e);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + " needs at least 1 partition, was " + partitions);
        }
        Objects.requireNonNull(config, "config of topic " + name + " must be given (may be empty)");
        config = Map.copyOf(config);
    }

    /** A topic with broker-default configs. */
    public static TopicSpec of(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of());
    }
}
