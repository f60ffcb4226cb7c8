package org.millrace.producers.corpus;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Outcome of a corpus fetch.
 *
 * @param manifest the manifest as written
 * @param fetched  sources fetched in this run
 * @param verified sources already present whose SHA-256 matched: not fetched again
 * @param failed   sources that could not be fetched, with the reason, in fetch order
 * @param notices  things worth knowing (apt-get update ran, a stored copy was damaged...)
 * @param elapsed  time the run took
 */
public record FetchResult(CorpusManifest manifest, List<String> fetched, List<String> verified,
                          Map<String, String> failed, List<String> notices, Duration elapsed) {
    public FetchResult {
        fetched = List.copyOf(fetched);
        verified = List.copyOf(verified);
        failed = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(failed)); // in fetch order
        notices = List.copyOf(notices);
    }

    /** True when this run downloaded and wrote nothing. */
    public boolean fetchedNothing() {
        return fetched.isEmpty();
    }
}
