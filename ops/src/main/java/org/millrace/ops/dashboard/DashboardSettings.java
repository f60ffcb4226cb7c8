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
        String p = "millrace.dashboard.";
        return new DashboardSettings(c.getBoolean(p + "enabled"), c.getString(p + "host"),
                Settings.intInRange(c, p + "port", 0, 65535), c.getString(p + "token"),
                Settings.positiveDuration(c, p + "sample-interval"), Settings.intInRange(c, p + "history", 2, 1_000_000));
    }

    /** The settings without the token, for logs. */
    @Override
    public String toString() {
        return "DashboardSettings[enabled=" + enabled + ", host=" + host + ", port=" + port + ", token="
                + (token.isEmpty() ? "none" : "set") + ", sampleInterval=" + sampleInterval + ", history=" + history + "]";
    }
}
