package org.millrace.common;

/**
 * One record on {@code millrace.eval.results}: one metric of one task on one checkpoint.
 *
 * @param run        run id
 * @param checkpoint checkpoint path the model came from
 * @param step       training step of that checkpoint
 * @param tokens     training tokens seen at that checkpoint
 * @param task       task name, e.g. {@code heldout_loss}, {@code bpb_prose}
 * @param metric     metric name, e.g. {@code loss}, {@code bits_per_byte}, {@code acc}
 * @param value      the value
 * @param stderr     its standard error, null where not defined
 * @param n          number of items or tokens it was computed over
 * @param time       epoch milliseconds when it was computed
 */
public record EvalResult(String run, String checkpoint, long step, long tokens, String task, String metric,
                         double value, Double stderr, long n, long time) {
}
