package org.millrace.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bearer token comes from the environment variable its setting names, and never shows in the settings' text. */
class BearerTokenSettingsTest {
    private static Config config(Map<String, Object> settings) {
        return ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load()).resolve();
    }

    @Test
    void theVariableNamedByBearerTokenEnvWinsOverTheLiteralSetting() {
        Map<String, String> env = Map.of("MILLRACE_SERVING_TOKEN", "from-env", "OTHER_TOKEN", "other");
        assertEquals("from-env", ServingSettings.fromConfig(config(Map.of()), env::get).bearerToken());
        assertEquals("other", ServingSettings.fromConfig(config(Map.of("millrace.serving.bearer-token-env", "OTHER_TOKEN",
                "millrace.serving.bearer-token", "literal")), env::get).bearerToken());
        assertEquals("literal", ServingSettings.fromConfig(config(Map.of("millrace.serving.bearer-token-env", "UNSET",
                "millrace.serving.bearer-token", "literal")), env::get).bearerToken());
        assertEquals("literal", ServingSettings.fromConfig(config(Map.of("millrace.serving.bearer-token-env", "",
                "millrace.serving.bearer-token", "literal")), env::get).bearerToken());
        assertFalse(ServingSettings.fromConfig(config(Map.of()), Map.<String, String>of()::get).requiresToken());
    }

    @Test
    void theSettingsTextNeverHoldsTheToken() {
        ServingSettings s = ServingSettings.fromConfig(config(Map.of()), Map.of("MILLRACE_SERVING_TOKEN", "s3cret-value")::get);
        assertTrue(s.requiresToken());
        assertFalse(s.toString().contains("s3cret-value"), s.toString());
        assertTrue(s.toString().contains("bearerToken=set"), s.toString());
    }
}
