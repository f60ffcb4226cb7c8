package org.millrace.ops.status;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Renders a {@link StatusReport} as one screen of text. */
public final class StatusScreen {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private StatusScreen() {
    }

    public static String render(StatusReport r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("Millrace status · Kafka %s (%d broker%s) · %s%n", r.bootstrapServers(), r.brokers().size(),
                r.brokers().size() == 1 ? "" : "s", CLOCK.format(Instant.ofEpochMilli(r.time()))));
        out.append("Cluster: ").append(r.cluster()).append(" · brokers ").append(String.join(", ", r.brokers())).append("\n\n");

        out.append(String.format("%-34s %10s  %-24s %10s%n", "TOPIC", "OFFSETS", "GROUP", "LAG"));
        for (StatusReport.TopicRow t : r.topics()) {
            if (!t.exists()) {
                out.append(String.format("%-34s %10s%n", t.topic(), "missing"));
            } else if (t.lags().isEmpty()) {
                out.append(String.format("%-34s %10s  %-24s %10s%n", t.topic(), count(t.offsets()), "-", "-"));
            } else {
                for (int i = 0; i < t.lags().size(); i++) {
                    StatusReport.GroupLag g = t.lags().get(i);
                    out.append(String.format("%-34s %10s  %-24s %10s%n", i == 0 ? t.topic() : "", i == 0 ? count(t.offsets()) : "",
                            g.group(), count(g.lag())));
                }
            }
        }

        out.append(String.format("%nTRAINER%n"));
        if (r.trainers().isEmpty()) {
            out.append("  no train events yet\n");
        } else {
            out.append(String.format("%-16s %8s %8s %10s %10s  %s%n", "RUN", "STEP", "LOSS", "TOKENS", "TOKENS/S", "LAST EVENT"));
            for (StatusReport.TrainerRow t : r.trainers()) {
                out.append(String.format(Locale.ROOT, "%-16s %8d %8.4f %10s %10s  %s%n", t.run(), t.step(), t.loss(), count(t.tokens()),
                        t.tokensPerSecond() == null ? "-" : count(Math.round(t.tokensPerSecond())), ago(r.time(), t.lastEventTime())));
            }
        }

        out.append(String.format("%nEVALUATION (latest per task)%n"));
        if (r.evals().isEmpty()) {
            out.append("  no evaluation results yet\n");
        } else {
            out.append(String.format("%-16s %-28s %-14s %10s %8s %10s%n", "RUN", "TASK", "METRIC", "VALUE", "STEP", "TOKENS"));
            for (StatusReport.EvalRow e : r.evals()) {
                out.append(String.format(Locale.ROOT, "%-16s %-28s %-14s %10.4f %8d %10s%n", e.run(), e.task(), e.metric(), e.value(),
                        e.step(), count(e.tokens())));
            }
        }
        return out.toString();
    }

    static String count(long n) {
        if (Math.abs(n) >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2fG", n / 1e9);
        }
        if (Math.abs(n) >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        }
        if (Math.abs(n) >= 10_000L) {
            return String.format(Locale.ROOT, "%.1fk", n / 1e3);
        }
        return Long.toString(n);
    }

    static String ago(long now, long then) {
        long s = Math.max(0, (now - then) / 1000);
        if (s < 120) {
            return s + " s ago";
        }
        if (s < 7200) {
            return s / 60 + " min ago";
        }
        return s / 3600 + " h ago";
    }
}
