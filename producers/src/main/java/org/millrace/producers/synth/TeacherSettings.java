package org.millrace.producers.synth;

import com.typesafe.config.Config;
import java.net.URI;
import java.time.Duration;
import org.millrace.common.Settings;

/**
 * How teacher mode talks to an OpenAI-compatible chat-completions endpoint
 * ({@code millrace.synth.teacher} in {@code reference.conf}).
 *
 * @param url               the endpoint: {@code http://host:port/v1} (then {@code /chat/completions} is added)
 *                          or the full {@code .../v1/chat/completions}
 * @param model             model name sent with every request
 * @param apiKeyEnv         environment variable holding the API key; empty or unset sends no key
 * @param concurrency       requests in flight at most
 * @param requestsPerSecond requests started per second at most
 * @param maxRetries        retries of one request after a 429, a 5xx, a timeout or a connection error
 * @param initialBackoff    wait before the first retry; doubled each retry, with jitter
 * @param maxBackoff        longest wait between retries (also caps a server's Retry-After)
 * @param timeout           longest one request may take
 * @param maxTokens         {@code max_tokens} of each request
 * @param temperature       {@code temperature} of each request
 */
public record TeacherSettings(URI url, String model, String apiKeyEnv, int concurrency, double requestsPerSecond,
                              int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration timeout, int maxTokens,
                              double temperature) {
    private static final String P = "millrace.synth.teacher.";

    public TeacherSettings {
        if (url == null || url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
                || url.getHost() == null) {
            throw new IllegalArgumentException(P + "url = " + url + " is invalid: must be an http(s) URL such as http://127.0.0.1:8000/v1");
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException(P + "model must not be empty");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException(P + "concurrency = " + concurrency + " is invalid: must be >= 1");
        }
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException(P + "requests-per-second = " + requestsPerSecond + " is invalid: must be > 0");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException(P + "max-retries = " + maxRetries + " is invalid: must be >= 0");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException(P + "max-tokens = " + maxTokens + " is invalid: must be >= 1");
        }
        if (!(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException(P + "temperature = " + temperature + " is invalid: must be within [0, 2]");
        }
        for (Duration d : new Duration[] {initialBackoff, maxBackoff, timeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(P + "initial-backoff, max-backoff and timeout must be positive (got " + d + ")");
            }
        }
        apiKeyEnv = apiKeyEnv == null ? "" : apiKeyEnv;
    }

    public static TeacherSettings fromConfig(Config config) {
        String url = config.getString(P + "url");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw Settings.invalid(config, P + "url", url, "not a URL: " + e.getMessage());
        }
        return new TeacherSettings(uri, config.getString(P + "model"), config.getString(P + "api-key-env"),
                Settings.positiveInt(config, P + "concurrency"), Settings.positiveDouble(config, P + "requests-per-second"),
                Settings.nonNegativeInt(config, P + "max-retries"), Settings.positiveDuration(config, P + "initial-backoff"),
                Settings.positiveDuration(config, P + "max-backoff"), Settings.positiveDuration(config, P + "timeout"),
                Settings.positiveInt(config, P + "max-tokens"), Settings.doubleInRange(config, P + "temperature", 0, 2));
    }

    /** The chat-completions URL requests go to. */
    public URI completionsUrl() {
        String s = url.toString();
        if (s.endsWith("/chat/completions")) {
            return url;
        }
        return URI.create(s.endsWith("/") ? s + "chat/completions" : s + "/chat/completions");
    }

    public TeacherSettings withEndpoint(URI newUrl, String newModel, String newApiKeyEnv) {
        return new TeacherSettings(newUrl == null ? url : newUrl, newModel == null ? model : newModel,
                newApiKeyEnv == null ? apiKeyEnv : newApiKeyEnv, concurrency, requestsPerSecond, maxRetries, initialBackoff,
                maxBackoff, timeout, maxTokens, temperature);
    }

    public TeacherSettings withLimits(Integer newConcurrency, Double newRequestsPerSecond) {
        return new TeacherSettings(url, model, apiKeyEnv, newConcurrency == null ? concurrency : newConcurrency,
                newRequestsPerSecond == null ? requestsPerSecond : newRequestsPerSecond, maxRetries, initialBackoff, maxBackoff,
                timeout, maxTokens, temperature);
    }

    public TeacherSettings withRetries(int newMaxRetries, Duration newInitialBackoff, Duration newMaxBackoff, Duration newTimeout) {
        return new TeacherSettings(url, model, apiKeyEnv, concurrency, requestsPerSecond, newMaxRetries, newInitialBackoff,
                newMaxBackoff, newTimeout, maxTokens, temperature);
    }
}
