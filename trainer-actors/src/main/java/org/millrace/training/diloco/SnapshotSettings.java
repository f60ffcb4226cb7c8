package org.millrace.training.diloco;

import com.typesafe.config.Config;
import org.millrace.common.Settings;

/**
 * The {@code millrace.diloco.snapshots} block: whether and how often the coordinator stores a
 * {@link CoordinatorSnapshot}, and the topic that holds them on a cluster.
 *
 * @param enabled     whether the coordinator writes snapshots and resumes from the latest
 * @param topic       the snapshot topic
 * @param everyRounds a snapshot after every this many completed rounds
 */
public record SnapshotSettings(boolean enabled, String topic, int everyRounds) {
    private static final String P = "millrace.diloco.snapshots.";

    public SnapshotSettings {
        if (everyRounds < 1) {
            throw new IllegalArgumentException(P + "every-rounds must be >= 1 (got " + everyRounds + ")");
        }
    }

    /**
     * Reads the block; an empty topic is {@code <millrace.topics.prefix>.diloco.<millrace.run-id>.coordinator}, so that
     * a new run does not resume from another run's snapshot.
     */
    public static SnapshotSettings fromConfig(Config c) {
        String topic = c.getString(P + "topic").trim();
        if (topic.isEmpty()) {
            String run = c.getString("millrace.run-id");
            if (!run.matches("[A-Za-z0-9._-]+")) {
                throw Settings.invalid(c, "millrace.run-id", run, "cannot name the DiLoCo snapshot topic (Kafka allows "
                        + "letters, digits, '.', '_' and '-'); set " + P + "topic");
            }
            topic = c.getString("millrace.topics.prefix") + ".diloco." + run + ".coordinator";
        }
        return new SnapshotSettings(c.getBoolean(P + "enabled"), topic, Settings.positiveInt(c, P + "every-rounds"));
    }
}
