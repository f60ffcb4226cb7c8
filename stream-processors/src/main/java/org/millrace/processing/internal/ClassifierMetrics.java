package org.millrace.processing.internal;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.millrace.processing.internal.ClassifierExamples.Example;

/** Precision, recall and F1 of the positive class at a threshold, and ROC-AUC, of scored examples. */
public record ClassifierMetrics(double precision, double recall, double f1, double rocAuc) {

    public static ClassifierMetrics of(List<Example> examples, ToDoubleFunction<int[]> scorer, double threshold) {
        int n = examples.size();
        double[] scores = new double[n];
        boolean[] labels = new boolean[n];
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < n; i++) {
            Example e = examples.get(i);
            scores[i] = scorer.applyAsDouble(e.ids());
            labels[i] = e.positive();
            boolean predicted = scores[i] >= threshold;
            if (predicted && labels[i]) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (labels[i]) {
                fn++;
            }
        }
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ClassifierMetrics(precision, recall, f1, rocAuc(scores, labels));
    }

    /** The Mann–Whitney form: the chance that a random positive outscores a random negative (ties count half). */
    static double rocAuc(double[] scores, boolean[] labels) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(scores[x], scores[y]));
        double rankSumPositive = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1; // average rank of a run of ties
            for (int k = i; k <= j; k++) {
                if (labels[order[k]]) {
                    rankSumPositive += rank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
