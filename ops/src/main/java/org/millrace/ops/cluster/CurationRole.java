package org.millrace.ops.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.millrace.common.Tokenizer;
import org.millrace.processing.CurationSettings;
import org.millrace.processing.CurationStream;
import org.millrace.processing.DedupFilter;
import org.millrace.processing.DocumentFilter;
import org.millrace.processing.GlobalDedupFilter;
import org.millrace.processing.tokenizer.Tokenizers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code process} role: the curation stream in the cluster's one consumer group (Kafka spreads the
 * document partitions over the process nodes and moves a failed node's partitions to the others), with
 * dedup going to the cluster's shards. A stream that fails (a shard that stayed out of reach past the
 * claim deadline) is started again after a backoff; its open transaction was aborted, so its records
 * are read again and nothing is lost or repeated.
 */
public final class CurationRole implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CurationRole.class);
    /**
     * Longest wait for a failed stream's consumer to close before the next stream starts anyway: above the
     * rebalance drain a consumer may be blocked in (revoke-drain-timeout, twice) and its close timeout.
     */
    private static final Duration CONSUMER_CLOSE_WAIT = Duration.ofSeconds(40);

    private final NodeContext context;
    private final CurationSettings settings;
    private final Tokenizer tokenizer;
    private final ShardedDedup shards;
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "millrace-curation-restart");
        t.setDaemon(true);
        return t;
    });
    private final RestartBackoff backoff;
    private volatile CurationStream stream;
    private volatile boolean closed;
    private KafkaShardChangelog changelog;

    private CurationRole(NodeContext context, CurationSettings settings, Tokenizer tokenizer, ShardedDedup shards) {
        this.context = context;
        this.settings = settings;
        this.tokenizer = tokenizer;
        this.shards = shards;
        this.backoff = new RestartBackoff(context.cluster().restartMin(), context.cluster().restartMax());
    }

    /** Starts the dedup shard region (this node hosts shards) and the stream. */
    public static CurationRole start(NodeContext context) {
        CurationSettings settings = CurationSettings.fromConfig(context.config(), context.topics());
        ActorSystem<?> system = context.system();
        ClusterSettings.Dedup dedup = context.cluster().dedup();
        KafkaShardChangelog changelog = dedup.changelog()
                ? KafkaShardChangelog.open(context.kafka(), dedup.changelogTopic(), dedup.shards(), dedup.changelogWait()) : null;
        org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(system)
                .init(DedupShardEntity.entity(settings.dedup(), dedup, changelog, system));
        Tokenizer tokenizer = Tokenizers.fromConfig(context.config(), context.dataDir());
        CurationRole role = new CurationRole(context, settings, tokenizer, new ShardedDedup(system, dedup));
        role.changelog = changelog;
        role.run();
        return role;
    }

    private void run() {
        if (closed) {
            return;
        }
        Supplier<DocumentFilter> dedup = () -> new GlobalDedupFilter(settings.dedup(), shards, context.cluster().dedup().claimsPerRequest());
        Map<String, Supplier<? extends DocumentFilter>> replacements = Map.of(DedupFilter.NAME, dedup);
        CurationStream s = CurationStream.start(context.system(), settings, context.topics(), tokenizer, context.kafka(),
                context.nodeId(), replacements);
        stream = s;
        long started = System.nanoTime();
        LOG.info("curation stream started in consumer group {} (node {})", settings.consumerGroup(), context.nodeId());
        System.out.println("millrace node: curation started (consumer group " + settings.consumerGroup() + ")");
        s.completion().whenComplete((done, failure) -> {
            if (closed) {
                return;
            }
            long delay = backoff.afterFailure(Duration.ofNanos(System.nanoTime() - started)).toMillis();
            LOG.warn("curation stream ended ({}); starting it again {} ms after its consumer has closed",
                    failure == null ? "completed" : failure.getMessage(), delay);
            System.out.println("millrace node: curation stream ended (" + (failure == null ? "completed" : failure.getMessage())
                    + "); restarting " + delay + " ms after its consumer has closed");
            // The failed stream's consumer may still be in the group (blocked in a rebalance callback, say); a new
            // one with the node's static group.instance.id would fence it or be fenced by it when it rejoins.
            s.consumerClosed().toCompletableFuture().completeOnTimeout(null, CONSUMER_CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    .thenRun(() -> restarts.schedule(this::run, delay, TimeUnit.MILLISECONDS));
        });
    }

    public ShardedDedup shards() {
        return shards;
    }

    @Override
    public void close() throws Exception {
        closed = true;
        restarts.shutdownNow();
        CurationStream s = stream;
        if (s != null) {
            s.drainAndShutdown(Runnable::run).toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        // the shards of this node stop with the actor system, after this; their last appends are flushed already
    }

    /** Closes the changelog producer once the shards have stopped (the node's actor system has terminated). */
    void closeChangelog() {
        if (changelog != null) {
            changelog.close();
        }
    }
}
