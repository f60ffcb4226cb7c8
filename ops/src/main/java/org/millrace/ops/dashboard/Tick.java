package org.millrace.ops.dashboard;

import java.util.List;
import java.util.Map;

/**
 * One sample of the dashboard, as pushed to the page (JSON). Rates are per second over the last few
 * samples; a figure nothing has reported yet is null.
 *
 * @param time       epoch milliseconds
 * @param funnel     documents per filter and outcome, since the process started
 * @param throughput documents, batches and tokens per second
 * @param lag        records still to read, per "group · topic"
 * @param train      the trainer's latest figures, null before its first step
 * @param mixture    share of the training tokens per curriculum bucket over the last samples
 * @param eval       the latest evaluation, null before the first
 * @param memory     heap, native and Arrow memory
 * @param cluster    the members of the cluster
 */
public record Tick(long time, Map<String, Funnel> funnel, Throughput throughput, Map<String, Long> lag, Train train,
                   Map<String, Double> mixture, Eval eval, Memory memory, Cluster cluster) {

    /** Documents through one filter. */
    public record Funnel(long kept, long dropped, long modified) {
    }

    /** Per second. */
    public record Throughput(Double documentsIn, Double curated, Double batches, Double trainTokens) {
    }

    /** The trainer's latest step. */
    public record Train(String run, long step, long tokens, Double loss, Double learningRate, Double gradNorm,
                        Double tokensPerSecond) {
    }

    /** The latest evaluated checkpoint and its values per "task/metric". */
    public record Eval(String run, long step, long tokens, Map<String, Double> values) {
    }

    /** Bytes. */
    public record Memory(Long heapUsed, Long nativeEstimate, Long arrow) {
    }

    /** Who runs what: {@code mode} is "single node" until clustering exists. */
    public record Cluster(String mode, List<Member> members) {
    }

    /** One node. */
    public record Member(String address, List<String> roles, String status, long upSince) {
    }
}
