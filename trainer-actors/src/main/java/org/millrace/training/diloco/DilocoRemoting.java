package org.millrace.training.diloco;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;

/**
 * Artery settings DiLoCo needs on every node that runs a coordinator or a worker: their actor paths go through
 * Artery's large-message stream (so a round's megabytes do not hold up heartbeats and other messages), whose frame
 * must hold one chunk. Both lists live in {@code millrace.diloco.artery}; a list cannot be merged from several
 * reference.conf files, so the node's configuration takes them through {@link #withLargeMessages(Config)}.
 */
public final class DilocoRemoting {
    private static final String DESTINATIONS = "pekko.remote.artery.large-message-destinations";
    private static final String LARGE_FRAME = "pekko.remote.artery.advanced.maximum-large-frame-size";

    private DilocoRemoting() {}

    /**
     * {@code config} with the DiLoCo paths added to the large-message destinations it already has, and a large
     * frame size that holds a chunk of {@code millrace.diloco.chunk-bytes} with room for the message's header.
     */
    public static Config withLargeMessages(Config config) {
        Config resolved = config.withFallback(ConfigFactory.defaultReference()).resolve();
        List<String> paths = new java.util.ArrayList<>(resolved.getStringList(DESTINATIONS));
        for (String p : resolved.getStringList("millrace.diloco.artery.large-message-destinations")) {
            if (!paths.contains(p)) {
                paths.add(p);
            }
        }
        long chunk = resolved.getBytes("millrace.diloco.chunk-bytes");
        long frame = Math.max(resolved.getBytes(LARGE_FRAME), chunk + 64 * 1024);
        return config.withValue(DESTINATIONS, ConfigValueFactory.fromIterable(paths))
                .withValue(LARGE_FRAME, ConfigValueFactory.fromAnyRef(frame + "b"));
    }
}
