package org.millrace.ops.bench;

/**
 * One measured figure of a benchmark run.
 *
 * @param name           dotted name, e.g. {@code kafka.produce.mb_per_s}
 * @param value          the measured value
 * @param unit           its unit
 * @param goal           the value it should reach, or null where there is none
 * @param higherIsBetter whether larger values are better
 */
public record Figure(String name, double value, String unit, Double goal, boolean higherIsBetter) {
    public Boolean meetsGoal() {
        if (goal == null) {
            return null;
        }
        return higherIsBetter ? value >= goal : value <= goal;
    }
}
