package org.millrace.ops.dashboard;

import com.typesafe.config.Config;
import java.time.Duration;
import org.millrace.common.Settings;

/**
 * {@code millrace.dashboard}: where the live dashboard listens and what it asks for.
 *
 * @param enabled        whether {@code millrace run} serves it
 * @param host           bind address
 * @param port           port; 0 picks a free one
 * @param token          bearer token a request must carry; empty for none
 * @param sampleInterval time between samples pushed to the page
 * @param history        samples kept for the time charts
 */
public record DashboardSettings(boolean enabled, String host, int port, String token, Duration sampleInterval, int history) {

    public static DashboardSettings fromConfig(Config c) {
        return fromConfig(c, System::getenv);
    }

    /**
     * @param environment the process environment (a function of the variable's name), where the token named by
     *                    {@code token-env} is read: when that variable is set and not blank it wins over {@code token}
     */
    public static DashboardSettings fromConfig(Config c, java.util.function.Function<String, String> environment) {
        String p = "millrace.dashboard.";
        String variable = c.getString(p + "token-env").strip();
        String fromEnvironment = variable.isEmpty() ? null : environment.apply(variable);
        String token = fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : c.getString(p + "token");
        return new DashboardSettings(c.getBoolean(p + "enabled"), c.getString(p + "host"),
                Settings.intInRange(c, p + "port", 0, 65535), token,
                Settings.positiveDuration(c, p + "sample-interval"), Settings.intInRange(c, p + "history", 2, 1_000_000));
    }

    /** The settings without the token, for logs. */
    @Override
    public String toString() {
        return "DashboardSettings[enabled=" + enabled + ", host=" + host + ", port=" + port + ", token="
                + (token.isEmpty() ? "none" : "set") + ", sampleInterval=" + sampleInterval + ", history=" + history + "]";
    }
}
