package org.millrace.ops.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Settings;
import org.millrace.common.Verdict;
import org.millrace.ops.OneBroker;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.processing.DedupFilter;
import org.millrace.processing.DedupSettings;
import org.millrace.processing.GlobalDedupFilter;

/**
 * Dedup through Cluster Sharding between two cluster members in this JVM (claims cross Artery on
 * loopback and are serialised as between machines): near duplicates curated on different members are
 * caught, and the same documents give the same verdicts as the single-node {@link DedupFilter}; a new
 * member with an empty directory rebuilds the shards from their Kafka changelog. Prints the throughput
 * of both filters, the figure docs/cluster.md quotes.
 */
@ExtendWith(OneBroker.class)
class ShardedDedupTest {
    @TempDir
    Path dir;

    /** A member's settings: its own shard directory (as on its own machine), the shards' changelog on the test broker. */
    private static Config config(Path dir, String member, int port, int seedPort, String changelogTopic) {
        Map<String, Object> m = Map.of(
                "millrace.cluster.port", port,
                "millrace.cluster.seed-nodes", List.of("127.0.0.1:" + seedPort),
                "millrace.cluster.roles", List.of("process"),
                "millrace.cluster.dedup.shards", 16,
                "millrace.cluster.dedup.dir", dir.resolve(member).toString(),
                "millrace.cluster.dedup.changelog-topic", changelogTopic,
                "millrace.cluster.dedup.changelog-wait", Boolean.parseBoolean(System.getProperty("millrace.dedup-test.changelog-wait", "true")));
        return ConfigFactory.parseMap(m).withFallback(Settings.load(null)).resolve();
    }

    private static ActorSystem<Void> member(Config config, Path dataDir, DedupSettings dedup, KafkaShardChangelog changelog) {
        ClusterSettings cluster = ClusterSettings.fromConfig(config, dataDir);
        Config node = ConfigFactory.parseString("pekko.coordinated-shutdown.exit-jvm = off\n"
                + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off").withFallback(ClusterConfig.forNode(cluster, config));
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), cluster.systemName(), node);
        ClusterSharding.get(system).init(DedupShardEntity.entity(dedup, cluster.dedup(), changelog, system));
        return system;
    }

    private static void awaitUp(ActorSystem<?> system, int members) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (java.util.stream.StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
                .filter(m -> m.status() == MemberStatus.up()).count() < members) {
            assertTrue(System.nanoTime() < deadline, members + " members up within 60 s");
            Thread.sleep(100);
        }
    }

    static String text(Random random, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            b.append(i == 0 ? "" : " ").append("w").append(Integer.toString(random.nextInt(20000), 36));
        }
        return b.toString();
    }

    static String edited(String text) {
        String[] words = text.split(" ");
        for (int i = 50; i < words.length; i += 100) {
            words[i] = "harpoon";
        }
        return String.join(" ", words);
    }

    @Test
    void twoMembersShareTheDedupStateAndAgreeWithTheSingleNodeFilterAndANewMemberRebuildsItFromTheChangelog(
            EmbeddedKafkaBroker broker) throws Exception {
        String topic = "test.dedup.changelog." + System.nanoTime();
        Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        int p1 = freePort();
        int p2 = freePort();
        Config c1 = config(dir, "a", p1, p1, topic);
        DedupSettings dedup = DedupSettings.fromConfig(c1, dir);
        ClusterSettings.Dedup shards = ClusterSettings.fromConfig(c1, dir).dedup();
        KafkaShardChangelog changelogA = KafkaShardChangelog.open(kafka, topic, shards.shards(), shards.changelogWait());
        KafkaShardChangelog changelogB = KafkaShardChangelog.open(kafka, topic, shards.shards(), shards.changelogWait());
        ActorSystem<Void> a = member(c1, dir, dedup, changelogA);
        ActorSystem<Void> b = member(config(dir, "b", p2, p1, topic), dir, dedup, changelogB);
        ActorSystem<Void> c = null;
        try {
            awaitUp(a, 2);
            // documents: unique texts, and a near duplicate of every 10th, which goes to the other member
            Random random = new Random(3);
            List<Document> toA = new ArrayList<>();
            List<Document> toB = new ArrayList<>();
            int n = Integer.getInteger("millrace.dedup-test.documents", 200);
            for (int i = 0; i < n; i++) {
                String t = text(random, 300);
                (i % 2 == 0 ? toA : toB).add(Document.of("d" + i, t, "test", DocumentKind.WEB));
                if (i % 10 == 0) {
                    (i % 2 == 0 ? toB : toA).add(Document.of("d" + i + "-near", edited(t), "test", DocumentKind.WEB));
                }
            }
            ShardedDedup viaA = new ShardedDedup(a, shards);
            ShardedDedup viaB = new ShardedDedup(b, shards);
            GlobalDedupFilter onA = new GlobalDedupFilter(dedup, viaA, shards.claimsPerRequest());
            GlobalDedupFilter onB = new GlobalDedupFilter(dedup, viaB, shards.claimsPerRequest());
            // warm-up: the shards start on first use
            onA.applyAll(List.of(Document.of("warm-a", text(random, 300), "test", DocumentKind.WEB)));
            onB.applyAll(List.of(Document.of("warm-b", text(random, 300), "test", DocumentKind.WEB)));

            int group = 100;
            long t0 = System.nanoTime();
            List<Verdict> va = new ArrayList<>();
            List<Verdict> vb = new ArrayList<>();
            for (int from = 0; from < Math.max(toA.size(), toB.size()); from += group) {
                int f = from;
                var fa = java.util.concurrent.CompletableFuture.supplyAsync(() -> onA.applyAll(toA.subList(Math.min(f, toA.size()), Math.min(f + group, toA.size()))));
                var fb = java.util.concurrent.CompletableFuture.supplyAsync(() -> onB.applyAll(toB.subList(Math.min(f, toB.size()), Math.min(f + group, toB.size()))));
                va.addAll(fa.get());
                vb.addAll(fb.get());
            }
            double shardedSeconds = (System.nanoTime() - t0) / 1e9;
            int total = toA.size() + toB.size();
            long dropped = java.util.stream.Stream.concat(va.stream(), vb.stream()).filter(v -> v instanceof Verdict.Drop).count();
            assertEquals(n / 10, dropped, "one of every near-duplicate pair dropped, nothing else");

            // the single-node filter on the same documents
            long t1 = System.nanoTime();
            long droppedLocally = 0;
            try (DedupFilter local = new DedupFilter(new DedupSettings(dir.resolve("local"), dedup.bands(), dedup.rows(),
                    dedup.shingleWords(), dedup.seed(), dedup.minJaccard(), dedup.blockCacheBytes(), dedup.writeBufferBytes(),
                    dedup.maxOpenFiles(), dedup.syncWrites()))) {
                for (Document d : toA) {
                    droppedLocally += local.apply(d) instanceof Verdict.Drop ? 1 : 0;
                }
                for (Document d : toB) {
                    droppedLocally += local.apply(d) instanceof Verdict.Drop ? 1 : 0;
                }
            }
            double localSeconds = (System.nanoTime() - t1) / 1e9;
            assertEquals(dropped, droppedLocally, "as many duplicates as the single-node filter finds");
            System.out.printf(java.util.Locale.ROOT, "dedup: %d documents of 300 words, groups of %d, %d shards on 2 members, "
                            + "changelog on Kafka (wait " + shards.changelogWait() + "): sharded %.0f docs/s (%d claim messages, %.1f per group), single-node RocksDB %.0f docs/s%n",
                    total, group, shards.shards(), total / shardedSeconds, viaA.requests() + viaB.requests(),
                    (viaA.requests() + viaB.requests()) / Math.ceil(total / (double) group), total / localSeconds);

            // both members go; a new one with an empty directory rebuilds every shard from the changelog, and
            // the documents sent again (a replay) get the verdicts of the first time
            b.terminate();
            a.terminate();
            b.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            a.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            int p3 = freePort();
            c = member(config(dir, "c", p3, p3, topic), dir, dedup, changelogA);
            awaitUp(c, 1);
            GlobalDedupFilter onC = new GlobalDedupFilter(dedup, new ShardedDedup(c, shards), shards.claimsPerRequest());
            List<Verdict> again = new ArrayList<>(onC.applyAll(toA));
            again.addAll(onC.applyAll(toB));
            List<Verdict> first = new ArrayList<>(va);
            first.addAll(vb);
            for (int i = 0; i < first.size(); i++) {
                assertEquals(first.get(i).getClass(), again.get(i).getClass(), "verdict " + i + " after the rebuild");
            }
        } finally {
            for (ActorSystem<Void> s : java.util.Arrays.asList(a, b, c)) {
                if (s != null) {
                    s.terminate();
                    s.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
                }
            }
            changelogA.close();
            changelogB.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
