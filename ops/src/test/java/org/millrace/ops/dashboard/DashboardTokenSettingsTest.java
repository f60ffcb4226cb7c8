package org.millrace.ops.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboard token comes from the environment variable {@code token-env} names, and never shows in the settings' text. */
class DashboardTokenSettingsTest {
    private static Config config(Map<String, Object> settings) {
        return ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load()).resolve();
    }

    @Test
    void theVariableNamedByTokenEnvWinsAndIsNeverPrinted() {
        Map<String, String> env = Map.of("MILLRACE_DASHBOARD_TOKEN", "dash-secret");
        DashboardSettings s = DashboardSettings.fromConfig(config(Map.of()), env::get);
        assertEquals("dash-secret", s.token());
        assertFalse(s.toString().contains("dash-secret"), s.toString());
        assertEquals("literal", DashboardSettings.fromConfig(config(Map.of("millrace.dashboard.token-env", "UNSET",
                "millrace.dashboard.token", "literal")), env::get).token());
        assertEquals("", DashboardSettings.fromConfig(config(Map.of()), Map.<String, String>of()::get).token());
    }
}
