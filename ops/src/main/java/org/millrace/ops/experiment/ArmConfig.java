package org.millrace.ops.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.millrace.common.DocumentKind;
import org.millrace.common.Topics;
import org.millrace.training.curriculum.CurriculumPhase;
import org.millrace.training.curriculum.CurriculumSettings;

/**
 * The settings of one arm and seed: the experiment's base settings with what the arm changes (pipeline,
 * buckets, curriculum, mode) and what keeps the arms apart on one broker (topic prefix, run id, data
 * directory, consumer group), while what must be the same for a fair comparison is shared (the tokenizer,
 * classifier, evaluation sets and corpus of the base data directory; model shape, budget, optimizer).
 */
final class ArmConfig {
    private ArmConfig() {
    }

    /** Tokens one optimizer step trains: rows per batch times sequence length. */
    static long tokensPerStep(Config base) {
        return (long) base.getInt("millrace.curation.rows-per-batch") * base.getInt("millrace.curation.seq-len");
    }

    /** Optimizer steps that train the budget. */
    static long steps(Config base, ExperimentSettings s) {
        return Math.max(1, (s.tokens() + tokensPerStep(base) - 1) / tokensPerStep(base));
    }

    static String runId(Arm arm, long seed) {
        return arm.slug() + "-s" + seed;
    }

    /**
     * @param base      resolved settings of the command
     * @param shared    the base data directory (tokenizer, classifier, evaluation sets, corpus)
     * @param armDir    the arm's own data directory (checkpoints, dedup state, ingest ledger)
     * @param bootstrap the experiment's broker
     */
    static Config of(Config base, ExperimentSettings s, Arm arm, long seed, Path shared, Path armDir, String bootstrap) {
        long steps = steps(base, s);
        int checkpointEvery = (int) Math.max(1, steps / s.evaluations());
        Map<String, Object> o = new HashMap<>();
        String run = runId(arm, seed);
        o.put("millrace.data-dir", armDir.toString());
        o.put("millrace.run-id", run);
        o.put("millrace.kafka.bootstrap-servers", bootstrap);
        o.put("millrace.topics.prefix", "experiment." + run);
        o.put("millrace.topics.buckets", arm.buckets());
        o.put("millrace.curation.consumer-group", "millrace-curation-" + run);
        o.put("millrace.curation.transactional-id", "millrace-curation-" + run);
        o.put("millrace.curation.dedup.dir", "");
        // same model, budget and schedule in every arm
        o.put("millrace.model.preset", s.preset());
        o.put("millrace.model.seed", seed);
        o.put("millrace.trainer.seed", seed);
        o.put("millrace.synth.seed", seed);
        o.put("millrace.curriculum.adaptive.seed", seed);
        o.put("millrace.trainer.max-steps", steps);
        o.put("millrace.trainer.checkpoint-every", checkpointEvery);
        o.put("millrace.trainer.event-every", Math.min(10, checkpointEvery));
        o.put("millrace.optim.decay-end-step", steps);
        o.put("millrace.optim.warmup-steps", (int) Math.min(base.getInt("millrace.optim.warmup-steps"), Math.max(1, steps / 10)));
        o.put("millrace.eval.every-checkpoints", 1);
        // the experiment publishes the synthetic documents itself, with the arm's seed
        o.put("millrace.run.synthetic-documents", 0);
        // one process, several runs after another: no fixed ports, no serving
        o.put("millrace.metrics.port", 0);
        o.put("millrace.dashboard.enabled", false);
        o.put("millrace.serving.in-run", false);
        sharedPath(base, o, "millrace.tokenizer.path", shared.resolve("tokenizer").resolve("tokenizer.json"));
        sharedPath(base, o, "millrace.classifier.dir", shared.resolve("models").resolve("classifier"));
        sharedPath(base, o, "millrace.eval.sets-dir", shared.resolve("eval"));
        sharedPath(base, o, "millrace.corpus.dir", shared.resolve("corpus"));
        o.put("millrace.curriculum.mode", arm == Arm.ADAPTIVE ? "adaptive" : "fixed");
        if (arm == Arm.RAW) {
            o.put("millrace.curation.pipeline", s.rawPipeline());
            o.put("millrace.curation.dedup.min-jaccard", 1.0);
            for (DocumentKind kind : DocumentKind.values()) {
                o.put("millrace.curation.bucket-of-kind." + kind.wireName(), "web");
            }
            o.put("millrace.curriculum.preset", CurriculumSettings.UNIFORM);
        } else {
            for (String filter : s.syntheticExemptFrom()) {
                String key = "millrace.curation." + filter + ".kinds";
                if (!base.hasPath(key)) {
                    throw new IllegalArgumentException("millrace.experiment.synthetic-exempt-from: filter '" + filter
                            + "' has no " + key + " setting");
                }
                o.put(key, base.getStringList(key).stream().filter(k -> !k.equals(DocumentKind.SYNTHETIC.wireName())).toList());
            }
            o.put("millrace.curriculum.phases", phi3(base, s, arm.synthetic() ? arm.buckets()
                    : arm.buckets().stream().filter(b -> !b.equals("synthetic")).toList()));
        }
        Config overrides = ConfigFactory.parseMap(o, "millrace experiment (arm " + arm.label() + ", seed " + seed + ")");
        if (arm == Arm.RAW) {
            overrides = overrides.withValue("millrace.curriculum.phases", ConfigValueFactory.fromAnyRef(null));
        }
        return overrides.withFallback(base).resolve();
    }

    private static void sharedPath(Config base, Map<String, Object> o, String key, Path fallback) {
        String v = base.getString(key);
        o.put(key, v.isBlank() ? fallback.toString() : v);
    }

    /** phi-3's two phases (the phi3 preset), the first scaled to phase1-share of the budget, weighing only {@code buckets}. */
    static List<Map<String, Object>> phi3(Config base, ExperimentSettings s, List<String> buckets) {
        Config preset = ConfigFactory.parseMap(Map.of("millrace.curriculum.preset", "phi3"))
                .withFallback(base.withoutPath("millrace.curriculum.phases"));
        List<String> all = Topics.fromConfig(base).buckets();
        List<CurriculumPhase> phases = CurriculumSettings.fromConfig(preset, all.containsAll(buckets) ? all : buckets).phases();
        long first = Math.round(s.phase1Share() * s.tokens());
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            CurriculumPhase p = phases.get(i);
            boolean last = i == phases.size() - 1;
            if (!last && first == 0) {
                continue;
            }
            Map<String, Double> weights = new LinkedHashMap<>();
            p.weights().forEach((b, w) -> {
                if (buckets.contains(b)) {
                    weights.put(b, w);
                }
            });
            out.add(Map.of("name", p.name(), "tokens", last ? 0L : first, "weights", weights));
        }
        return out;
    }
}
