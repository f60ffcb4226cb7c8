package org.millrace.evaluation.scoring;

/**
 * One metric of one task on one model.
 *
 * @param metric {@code bits_per_byte}, {@code loss}, {@code acc}, {@code acc_norm}, {@code exact_match}
 * @param value  the value
 * @param stderr its standard error, NaN where not defined
 * @param n      items (or, for {@code loss}, tokens) it was computed over
 */
public record Score(String metric, double value, double stderr, long n) {
}
