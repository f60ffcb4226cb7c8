package org.millrace.serving;

import com.typesafe.config.Config;
import java.time.Duration;
import org.millrace.common.Settings;

/**
 * The {@code millrace.serving} block, read and checked once (see reference.conf for each key).
 *
 * @param host               address the API binds to
 * @param port               port of the API (0: a free one)
 * @param bearerToken        token every {@code /v1} request must carry; empty when none is needed
 * @param maxBodyBytes       largest request body; larger ones are answered 413
 * @param maxTokensCap       largest {@code max_tokens} a request may ask for
 * @param defaultMaxTokens   {@code max_tokens} of a completion request that names none
 * @param queueCapacity      requests accepted but not yet generating; beyond it, 429
 * @param maxActiveSequences sequences generating at once
 * @param maxBatch           most sequences stepped together in one forward pass
 * @param batchWindow        how long the idle worker waits for requests to batch with a first one
 * @param requestTimeout     longest a request may take
 * @param retryAfter         Retry-After of a 429 answer
 * @param pollInterval       how often to look for a newer checkpoint when no Kafka cluster is followed
 */
public record ServingSettings(String host, int port, String bearerToken, int maxBodyBytes, int maxTokensCap,
                              int defaultMaxTokens, int queueCapacity, int maxActiveSequences, int maxBatch,
                              Duration batchWindow, Duration requestTimeout, Duration retryAfter,
                              Duration pollInterval) {
    private static final String P = "millrace.serving.";

    public ServingSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(P + "host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(P + "port must be within [0, 65535] (got " + port + ")");
        }
        bearerToken = bearerToken == null ? "" : bearerToken.strip();
        if (defaultMaxTokens > maxTokensCap) {
            throw new IllegalArgumentException(P + "default-max-tokens (" + defaultMaxTokens
                    + ") must not exceed " + P + "max-tokens-cap (" + maxTokensCap + ")");
        }
        if (maxBatch > maxActiveSequences) {
            throw new IllegalArgumentException(P + "max-batch (" + maxBatch + ") must not exceed "
                    + P + "max-active-sequences (" + maxActiveSequences + ")");
        }
    }

    public static ServingSettings fromConfig(Config c) {
        return fromConfig(c, System::getenv);
    }

    /**
     * @param environment the process environment (a function of the variable's name), where the token named by
     *                    {@code bearer-token-env} is read
     */
    public static ServingSettings fromConfig(Config c, java.util.function.Function<String, String> environment) {
        return new ServingSettings(c.getString(P + "host"), Settings.intInRange(c, P + "port", 0, 65535),
                token(c, environment), Settings.positiveInt(c, P + "max-body-bytes"),
                Settings.positiveInt(c, P + "max-tokens-cap"), Settings.positiveInt(c, P + "default-max-tokens"),
                Settings.positiveInt(c, P + "queue-capacity"), Settings.positiveInt(c, P + "max-active-sequences"),
                Settings.positiveInt(c, P + "max-batch"), nonNegative(c, P + "batch-window"),
                Settings.positiveDuration(c, P + "request-timeout"), Settings.positiveDuration(c, P + "retry-after"), Settings.positiveDuration(c, P + "poll-interval"));
    }

    /** The token of the environment variable named by {@code bearer-token-env} when it is set, else {@code bearer-token}. */
    private static String token(Config c, java.util.function.Function<String, String> environment) {
        String variable = c.getString(P + "bearer-token-env").strip();
        String fromEnvironment = variable.isEmpty() ? null : environment.apply(variable);
        return fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : c.getString(P + "bearer-token");
    }

    /** The settings without the token, for logs. */
    @Override
    public String toString() {
        return "ServingSettings[host=" + host + ", port=" + port + ", bearerToken=" + (bearerToken.isEmpty() ? "none" : "set")
                + ", maxBodyBytes=" + maxBodyBytes + ", maxTokensCap=" + maxTokensCap + ", defaultMaxTokens=" + defaultMaxTokens
                + ", queueCapacity=" + queueCapacity + ", maxActiveSequences=" + maxActiveSequences + ", maxBatch=" + maxBatch
                + ", batchWindow=" + batchWindow + ", requestTimeout=" + requestTimeout + ", retryAfter=" + retryAfter
                + ", pollInterval=" + pollInterval + "]";
    }

    /** The same settings on another port (the {@code --port} flag). */
    public ServingSettings withPort(int newPort) {
        return new ServingSettings(host, newPort, bearerToken, maxBodyBytes, maxTokensCap, defaultMaxTokens,
                queueCapacity, maxActiveSequences, maxBatch, batchWindow, requestTimeout, retryAfter, pollInterval);
    }

    /** Whether requests must carry a bearer token. */
    public boolean requiresToken() {
        return !bearerToken.isEmpty();
    }

    /** Retry-After in whole seconds, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    private static Duration nonNegative(Config c, String key) {
        Duration d = c.getDuration(key);
        if (d.isNegative()) {
            throw Settings.invalid(c, key, d, "must not be negative");
        }
        return d;
    }
}
