package org.millrace.training.curriculum;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.millrace.common.CurriculumUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the bucket of every training step by seeded weighted sampling, so that a run (and a run resumed
 * from a checkpoint) draws the same buckets in the same order.
 *
 * <p>The weights in force are those of the current phase, each phase lasting for its token budget, unless
 * a mixture received on {@code millrace.curriculum} is in force: it rules from its step until the next one
 * (an update with empty weights hands the mixture back to the phases). Phase budgets count every token
 * trained, live mixture or not. A mixture that arrives after its stated step takes effect from the next step.
 *
 * <p>Not thread-safe: the training loop's thread alone uses it.
 */
public final class CurriculumScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(CurriculumScheduler.class);
    private static final double MAX_CATCH_UP = 4.0;

    private final CurriculumSettings settings;
    private final List<String> buckets;
    private final long seed;
    private SplitMix64 rng;
    private int phase;
    private long phaseTokens;
    private final Map<String, Long> bucketTokens = new LinkedHashMap<>();
    private final Map<String, Long> segmentTokens = new LinkedHashMap<>();
    private CurriculumUpdate live;
    private final List<CurriculumUpdate> pending = new ArrayList<>();
    private final Map<String, Long> updateOffsets = new java.util.TreeMap<>();

    /**
     * @param buckets the configured buckets, in the order draws walk them
     * @param seed    seed of the draws ({@code millrace.trainer.seed})
     */
    public CurriculumScheduler(CurriculumSettings settings, List<String> buckets, long seed) {
        this.settings = settings;
        this.buckets = List.copyOf(buckets);
        this.seed = seed;
        this.rng = new SplitMix64(seed);
        for (CurriculumPhase p : settings.phases()) {
            Mixtures.knownBuckets(p.weights(), this.buckets, "phase " + p.name());
        }
        resetCounts();
    }

    private void resetCounts() {
        buckets.forEach(b -> {
            bucketTokens.put(b, 0L);
            segmentTokens.put(b, 0L);
        });
    }

    /** Continues from a checkpoint's state. */
    public void restore(CurriculumState state, RngState rngState) {
        resetCounts();
        int index = Math.min(Math.max(0, state.phase()), settings.phases().size() - 1);
        for (int i = 0; i < settings.phases().size(); i++) {
            if (settings.phases().get(i).name().equals(state.phaseName())) {
                index = i;
            }
        }
        if (!settings.phases().get(index).name().equals(state.phaseName())) {
            LOG.warn("the checkpoint was in curriculum phase {} (#{}); the configured curriculum ({}) has no such phase: "
                    + "continuing in phase {}", state.phaseName(), state.phase(), settings.describe(), settings.phases().get(index).name());
        }
        phase = index;
        phaseTokens = state.phaseTokens();
        state.bucketTokens().forEach(bucketTokens::put);
        state.segmentTokens().forEach(segmentTokens::put);
        live = state.live();
        pending.clear();
        pending.addAll(state.pending());
        updateOffsets.clear();
        updateOffsets.putAll(state.updateOffsets());
        rng = new SplitMix64(rngState.state());
    }

    public CurriculumState state() {
        return new CurriculumState(phase, phase().name(), phaseTokens, bucketTokens, segmentTokens, live, pending, updateOffsets);
    }

    public RngState rngState() {
        return new RngState(SplitMix64.ALGORITHM, rng.state());
    }

    /**
     * Takes a mixture received on the curriculum topic.
     *
     * @param update      as received
     * @param nextStep    the step the loop trains next: an update stating an earlier step takes effect here
     * @param partition   the curriculum topic partition it came from ({@code topic:partition})
     * @param offsetAfter the offset after the update's record (recorded so a resumed trainer reads on from there)
     * @return the step the mixture takes effect from
     * @throws IllegalArgumentException if it names an unknown bucket or a bad weight (the update is ignored)
     */
    public long offer(CurriculumUpdate update, long nextStep, String partition, long offsetAfter) {
        updateOffsets.merge(partition, offsetAfter, Math::max);
        if (!update.resetsToPhases()) {
            Mixtures.knownBuckets(Mixtures.checked(update.weights(), "curriculum update"), buckets, "curriculum update");
        }
        long from = Math.max(update.fromStep(), nextStep);
        pending.add(new CurriculumUpdate(update.weights(), from));
        pending.sort(Comparator.comparingLong(CurriculumUpdate::fromStep)); // stable: equal steps keep arrival order
        return from;
    }

    /** Moves mixtures whose step has come into force. */
    private void promote(long step) {
        while (!pending.isEmpty() && pending.get(0).fromStep() <= step) {
            CurriculumUpdate u = pending.remove(0);
            live = u.resetsToPhases() ? null : u;
            buckets.forEach(b -> segmentTokens.put(b, 0L));
            LOG.info("curriculum mixture from step {}: {}", u.fromStep(), live == null ? "back to phase " + phase().name() : live.weights());
        }
    }

    /** The mixture in force at {@code step}, normalised, in bucket order. */
    public Map<String, Double> mixture(long step) {
        promote(step);
        return Mixtures.normalised(live != null ? live.weights() : phase().weights(), buckets);
    }

    /**
     * Draws the bucket of {@code step}. Under {@link DryPolicy#WAIT} dry buckets are drawn like any other
     * (the step waits for them); otherwise they are left out.
     *
     * @param dry which buckets are dry now
     * @return the bucket, or null when every bucket of non-zero weight is dry
     */
    public String pick(long step, Predicate<String> dry) {
        Map<String, Double> target = mixture(step);
        Map<String, Double> weights = new LinkedHashMap<>();
        double sum = 0;
        long segment = segmentTokens.values().stream().mapToLong(Long::longValue).sum();
        for (Map.Entry<String, Double> e : target.entrySet()) {
            double w = e.getValue();
            if (w > 0 && settings.onDry() != DryPolicy.WAIT && dry.test(e.getKey())) {
                w = 0;
            }
            if (w > 0 && settings.onDry() == DryPolicy.REWEIGHT && segment > 0) {
                double share = segmentTokens.get(e.getKey()) / (double) segment;
                w *= Math.min(MAX_CATCH_UP, Math.max(1 / MAX_CATCH_UP, e.getValue() / Math.max(share, 1e-12)));
            }
            weights.put(e.getKey(), w);
            sum += w;
        }
        if (sum <= 0) {
            return null;
        }
        double u = rng.nextDouble() * sum;
        String last = null;
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            if (e.getValue() <= 0) {
                continue;
            }
            last = e.getKey();
            u -= e.getValue();
            if (u < 0) {
                return last;
            }
        }
        return last; // rounding: the last bucket of non-zero weight
    }

    /** Counts a trained step's tokens; a phase whose budget is spent gives way to the next. */
    public void trained(String bucket, long tokens) {
        bucketTokens.merge(bucket, tokens, Long::sum);
        segmentTokens.merge(bucket, tokens, Long::sum);
        phaseTokens += tokens;
        CurriculumPhase p = phase();
        if (!p.openEnded() && phaseTokens >= p.tokens() && phase < settings.phases().size() - 1) {
            phase++;
            phaseTokens = 0;
            if (live == null) {
                buckets.forEach(b -> segmentTokens.put(b, 0L));
            }
            LOG.info("curriculum phase {} done; phase {} begins: {}", p.name(), phase().name(), phase().weights());
        }
    }

    public CurriculumPhase phase() {
        return settings.phases().get(phase);
    }

    public int phaseIndex() {
        return phase;
    }

    /** Tokens trained per bucket over the run. */
    public Map<String, Long> bucketTokens() {
        return Map.copyOf(bucketTokens);
    }

    /** Next offset to read per curriculum topic partition ({@code topic:partition}). */
    public Map<String, Long> updateOffsets() {
        return Map.copyOf(updateOffsets);
    }

    public CurriculumSettings settings() {
        return settings;
    }

    /** The seed of the draws (the state at the start of the run). */
    public long seed() {
        return seed;
    }
}
