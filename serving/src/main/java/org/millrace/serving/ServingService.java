package org.millrace.serving;

import ai.djl.Device;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.millrace.common.CheckpointEventFollower;
import org.millrace.training.checkpoint.CheckpointStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serving as one piece: the model slot, the reloader, the way new checkpoints are learnt of, and the
 * HTTP server. A named checkpoint is served as it is; otherwise the newest checkpoint under the data
 * directory is served, and newer ones are swapped in as checkpoint events arrive on Kafka (or, with no
 * Kafka to follow, as a periodic look at the checkpoint directory finds them). With no checkpoint yet
 * the server starts anyway and {@code /readyz} answers 503 until the first one is loaded.
 */
public final class ServingService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServingService.class);

    private final ModelSlot slot;
    private final CheckpointReloader reloader;
    private final CheckpointEventFollower follower;
    private final OpenAiServer server;

    /**
     * What to serve and where checkpoints come from.
     *
     * @param checkpoint     a checkpoint directory to serve as it is, or null to serve the newest
     * @param checkpointsDir {@code <data-dir>/checkpoints}
     * @param run            the run to follow, or null for whichever run wrote last
     * @param kafka          client properties of the cluster to follow for checkpoint events, or null
     * @param eventsTopic    the train events topic
     */
    public record Source(Path checkpoint, Path checkpointsDir, String run, Map<String, Object> kafka, String eventsTopic) {
    }

    private ServingService(ModelSlot slot, CheckpointReloader reloader, CheckpointEventFollower follower, OpenAiServer server) {
        this.slot = slot;
        this.reloader = reloader;
        this.follower = follower;
        this.server = server;
    }

    public static ServingService start(Config config, ServingSettings settings, Source source, TokenizerLoader tokenizers,
                                       Device device) {
        ModelSlot slot = new ModelSlot();
        CheckpointReloader reloader = new CheckpointReloader(slot, tokenizers, device);
        CheckpointEventFollower follower = null;
        try {
            if (source.checkpoint() != null) {
                if (!Files.isRegularFile(source.checkpoint().resolve(CheckpointStore.MANIFEST))) {
                    throw new IllegalArgumentException("--checkpoint " + source.checkpoint()
                            + " is not a checkpoint directory (it has no " + CheckpointStore.MANIFEST + ")");
                }
                reloader.loadNow(source.checkpoint());
            } else {
                // follow first, then look: a checkpoint written in between is still seen
                if (source.kafka() != null) {
                    follower = new CheckpointEventFollower(source.kafka(), source.eventsTopic(), "millrace-serving-events",
                            source.run(), false, event -> {
                                if (event.checkpoint() != null) {
                                    reloader.offer(Path.of(event.checkpoint()));
                                }
                            });
                } else {
                    reloader.watch(source.checkpointsDir(), source.run(), settings.pollInterval());
                }
                Optional<Path> newest = CheckpointReloader.newest(source.checkpointsDir(), source.run());
                if (newest.isPresent()) {
                    reloader.loadNow(newest.get());
                } else {
                    LOG.info("no checkpoint under {} yet; serving once one is written", source.checkpointsDir());
                }
            }
            OpenAiServer server = OpenAiServer.start(settings, slot, config);
            return new ServingService(slot, reloader, follower, server);
        } catch (RuntimeException e) {
            if (follower != null) {
                follower.close();
            }
            reloader.close();
            slot.close();
            throw e;
        }
    }

    /** {@code http://host:port}. */
    public String baseUrl() {
        return server.baseUrl();
    }

    /** The model served now, if any. */
    public Optional<ServedModel> model() {
        return slot.current();
    }

    /** Whether new checkpoints are learnt of from Kafka events (else by looking at the directory, or not at all). */
    public boolean followsEvents() {
        return follower != null;
    }

    public OpenAiServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
        if (follower != null) {
            follower.close();
        }
        reloader.close();
        slot.close();
    }
}
