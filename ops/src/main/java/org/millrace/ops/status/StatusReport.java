package org.millrace.ops.status;

import java.util.List;

/**
 * What {@code millrace status} shows: one screen about a Millrace deployment, read from Kafka.
 *
 * @param bootstrapServers the cluster asked
 * @param brokers          its broker addresses
 * @param cluster          Millrace's own members ("single node" until clustering exists)
 * @param topics           every Millrace topic with its size and the lag of each group reading it
 * @param trainers         the latest progress of each run on the train events topic
 * @param evals            the latest result of each run, task and metric on the eval results topic
 * @param time             epoch milliseconds of the report
 */
public record StatusReport(String bootstrapServers, List<String> brokers, String cluster, List<TopicRow> topics,
                           List<TrainerRow> trainers, List<EvalRow> evals, long time) {

    /**
     * @param offsets records and transaction markers on the topic (end minus start offsets)
     * @param lags    lag per consumer group; empty when no group commits offsets on it
     */
    public record TopicRow(String topic, boolean exists, long offsets, List<GroupLag> lags) {
    }

    public record GroupLag(String group, long lag) {
    }

    /**
     * @param tokensPerSecond over the last two events of the run; null with one event
     * @param lastEventTime   epoch milliseconds of the newest event
     */
    public record TrainerRow(String run, long step, double loss, long tokens, Double tokensPerSecond, long lastEventTime) {
    }

    public record EvalRow(String run, String task, String metric, double value, long step, long tokens, long time) {
    }
}
