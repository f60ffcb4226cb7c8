package org.millrace.training.curriculum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.millrace.common.Settings;

class CurriculumSettingsTest {
    private static final List<String> BUCKETS = List.of("web", "textbook", "code", "synthetic");

    private static Config config(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(Settings.load(null)).resolve();
    }

    @Test
    void thePresetsLoadOnTheDefaultBuckets() {
        CurriculumSettings phi3 = CurriculumSettings.fromConfig(config("millrace.curriculum.preset = phi3"), BUCKETS);
        assertEquals(2, phi3.phases().size());
        assertEquals(20_000_000L, phi3.phases().get(0).tokens());
        assertTrue(phi3.phases().get(1).openEnded());
        CurriculumSettings phi4 = CurriculumSettings.fromConfig(config("millrace.curriculum.preset = phi4"), BUCKETS);
        assertEquals(Map.of("web", 0.15, "synthetic", 0.55, "code", 0.20, "textbook", 0.10), phi4.phases().get(0).weights());
        CurriculumSettings uniform = CurriculumSettings.fromConfig(config(""), List.of("a", "b"));
        assertEquals(Map.of("a", 1.0, "b", 1.0), uniform.phases().get(0).weights());
        assertEquals(DryPolicy.REPEAT, uniform.onDry());
    }

    @Test
    void phasesWrittenOutOverrideThePreset() {
        CurriculumSettings s = CurriculumSettings.fromConfig(config("""
                millrace.curriculum {
                  preset = phi4
                  on-dry = reweight
                  phases = [ { name = a, tokens = 100, weights { web = 1 } }, { name = b, tokens = 0, weights { code = 2, web = 1 } } ]
                }"""), BUCKETS);
        assertEquals("phases", s.preset());
        assertEquals(List.of("a", "b"), s.phases().stream().map(CurriculumPhase::name).toList());
        assertEquals(DryPolicy.REWEIGHT, s.onDry());
    }

    @Test
    void mistakesAreNamed() {
        String unknown = assertThrows(IllegalArgumentException.class,
                () -> CurriculumSettings.fromConfig(config("millrace.curriculum.preset = phi9"), BUCKETS)).getMessage();
        assertTrue(unknown.contains("millrace.curriculum.preset") && unknown.contains("phi4"), unknown);
        String bucket = assertThrows(IllegalArgumentException.class,
                () -> CurriculumSettings.fromConfig(config("millrace.curriculum.preset = phi4"), List.of("web", "code"))).getMessage();
        assertTrue(bucket.contains("synthetic") && bucket.contains("millrace.topics.buckets"), bucket);
        String openEnded = assertThrows(IllegalArgumentException.class, () -> CurriculumSettings.fromConfig(config(
                "millrace.curriculum.phases = [ { name = a, tokens = 0, weights { web = 1 } }, { name = b, tokens = 0, weights { web = 1 } } ]"),
                BUCKETS)).getMessage();
        assertTrue(openEnded.contains("open-ended") && openEnded.contains(" a "), openEnded);
        String policy = assertThrows(IllegalArgumentException.class,
                () -> CurriculumSettings.fromConfig(config("millrace.curriculum.on-dry = sometimes"), BUCKETS)).getMessage();
        assertTrue(policy.contains("millrace.curriculum.on-dry"), policy);
    }
}
