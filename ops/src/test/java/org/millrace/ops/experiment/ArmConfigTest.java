package org.millrace.ops.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.millrace.common.Settings;
import org.millrace.common.Topics;
import org.millrace.processing.CurationSettings;
import org.millrace.training.TrainerSettings;
import org.millrace.training.curriculum.AdaptiveSettings;
import org.millrace.training.curriculum.CurriculumPhase;

/** What each arm changes, and what stays the same in all of them. */
class ArmConfigTest {
    private static final Path SHARED = Path.of("/data");

    private static Config base() {
        return ConfigFactory.parseMap(Map.of("millrace.data-dir", SHARED.toString())).withFallback(Settings.load(null)).resolve();
    }

    private static ExperimentSettings settings() {
        return ExperimentSettings.fromConfig(base(), 1_024_000L, "tiny", 2, List.of(Arm.values()), Path.of("/out"));
    }

    private static Config arm(Arm arm, long seed) {
        return ArmConfig.of(base(), settings(), arm, seed, SHARED, Path.of("/out/runs").resolve(ArmConfig.runId(arm, seed)), "127.0.0.1:9");
    }

    @Test
    void everyArmHasTheSameModelBudgetAndSharedArtefactsButItsOwnTopicsAndRun() {
        for (Arm a : Arm.values()) {
            Config c = arm(a, 2);
            TrainerSettings t = TrainerSettings.fromConfig(c);
            assertEquals(1000, t.maxSteps(), "1,024,000 tokens in steps of 8 x 128");
            assertEquals(166, t.checkpointEvery(), "6 evaluations");
            assertEquals(ArmConfig.runId(a, 2), t.run());
            assertEquals("experiment." + a.slug() + "-s2", Topics.fromConfig(c).prefix());
            assertEquals("tiny", c.getString("millrace.model.preset"));
            assertEquals(2, c.getLong("millrace.model.seed"));
            assertEquals(2, c.getLong("millrace.trainer.seed"));
            assertEquals(1000, c.getLong("millrace.optim.decay-end-step"));
            assertEquals("/data/tokenizer/tokenizer.json", c.getString("millrace.tokenizer.path"));
            assertEquals("/data/eval", c.getString("millrace.eval.sets-dir"));
            assertEquals("/out/runs/" + a.slug() + "-s2", c.getString("millrace.data-dir"));
            assertEquals(a == Arm.ADAPTIVE, AdaptiveSettings.fromConfig(c).adaptive());
            CurationSettings.fromConfig(c, Topics.fromConfig(c)); // every kind has a bucket of the arm
        }
    }

    @Test
    void rawIsOneBucketWithMinimalCleaningTheOthersFollowPhi3() {
        Config raw = arm(Arm.RAW, 1);
        assertEquals(List.of("web"), raw.getStringList("millrace.topics.buckets"));
        assertEquals(List.of("size", "html-extract", "dedup"), raw.getStringList("millrace.curation.pipeline"));
        assertEquals(1.0, raw.getDouble("millrace.curation.dedup.min-jaccard"));
        assertEquals("uniform", TrainerSettings.fromConfig(raw).curriculum().preset());

        List<CurriculumPhase> filtered = TrainerSettings.fromConfig(arm(Arm.FILTERED, 1)).curriculum().phases();
        assertEquals(512_000, filtered.get(0).tokens(), "phase 1 is half the budget");
        assertFalse(filtered.get(1).weights().containsKey("synthetic"), filtered.get(1).weights().toString());
        assertTrue(arm(Arm.FILTERED, 1).getStringList("millrace.curation.pipeline").contains("classifier"));
        assertEquals(List.of("web"), arm(Arm.FILTERED_SYNTHETIC, 1).getStringList("millrace.curation.gopher-quality.kinds"),
                "the Gopher rules judge web text only");
        assertTrue(arm(Arm.FILTERED_SYNTHETIC, 1).getStringList("millrace.curation.language.kinds").contains("synthetic"));

        List<CurriculumPhase> synthetic = TrainerSettings.fromConfig(arm(Arm.FILTERED_SYNTHETIC, 1)).curriculum().phases();
        assertEquals(0.4, synthetic.get(1).weights().get("synthetic"));
        assertEquals(synthetic, TrainerSettings.fromConfig(arm(Arm.ADAPTIVE, 1)).curriculum().phases());
    }

    @Test
    void badSettingsNameTheirFlag() {
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> ExperimentSettings.fromConfig(base(), 0L, null, null, List.of(Arm.RAW), Path.of("/out")));
        assertTrue(e.getMessage().contains("--tokens"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ExperimentSettings.fromConfig(base(), 10L, "huge", null, List.of(Arm.RAW), Path.of("/out")));
        assertTrue(e.getMessage().contains("--preset"), e.getMessage());
    }
}
