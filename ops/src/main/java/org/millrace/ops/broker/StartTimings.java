package org.millrace.ops.broker;

import java.time.Duration;

/**
 * How long the broker took to come up.
 *
 * @param formatted whether this start formatted a new data directory (false when it reused one)
 * @param format    time spent formatting storage; zero when the directory was reused
 * @param start     from creating the server until it answered a client, excluding formatting
 */
public record StartTimings(boolean formatted, Duration format, Duration start) {
}
