package org.millrace.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.DocumentKind;
import org.millrace.common.Verdict;

/**
 * The cluster-wide dedup protocol with its shards in this JVM: two filters stand for two curation
 * nodes; near duplicates sent to different nodes at the same time are caught exactly once, and replays
 * give the verdicts of the first time.
 */
class GlobalDedupFilterTest {
    private static final int SHARDS = 5;

    @TempDir
    Path dir;

    private final List<BandShard> shards = new ArrayList<>();
    private final AtomicLong requests = new AtomicLong();

    private final GlobalDedupFilter.Shards inProcess = new GlobalDedupFilter.Shards() {
        @Override
        public int count() {
            return SHARDS;
        }

        @Override
        public BandClaims.Reply claim(int shard, BandClaims.Request request) {
            requests.incrementAndGet();
            BandShard s = shards.get(shard);
            synchronized (s) { // a shard decides one claim at a time, as its actor does in the cluster
                return s.claim(request);
            }
        }
    };

    private static DedupSettings settings(Path dir) {
        return new DedupSettings(dir, 14, 8, 5, 1, 0.0, 8L << 20, 2L << 20, 64, false);
    }

    @BeforeEach
    void openShards() {
        for (int i = 0; i < SHARDS; i++) {
            shards.add(BandShard.open(settings(dir), dir, i));
        }
    }

    @AfterEach
    void closeShards() {
        shards.forEach(BandShard::close);
    }

    static String text(Random random, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            b.append(i == 0 ? "" : " ").append("w").append(Integer.toString(random.nextInt(5000), 36));
        }
        return b.toString();
    }

    /** Every 100th word replaced: Jaccard about 0.9, a near duplicate for 14 x 8 LSH bands with near certainty. */
    static String edited(String text) {
        String[] words = text.split(" ");
        for (int i = 50; i < words.length; i += 100) {
            words[i] = "harpoon";
        }
        return String.join(" ", words);
    }

    private static Document doc(String id, String text) {
        return Document.of(id, text, "synthetic-test", DocumentKind.WEB);
    }

    @Test
    void nearDuplicatesOnTwoNodesAtOnceAreCaughtExactlyOnceAndReplaysRepeatTheirVerdicts() throws Exception {
        Random random = new Random(7);
        int pairs = 60;
        List<Document> nodeA = new ArrayList<>();
        List<Document> nodeB = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            String t = text(random, 300);
            nodeA.add(doc("a" + p, t));
            nodeB.add(doc("b" + p, edited(t)));
        }
        nodeA.add(doc("unique-a", text(random, 300)));
        nodeB.add(doc("unique-b", text(random, 300)));
        GlobalDedupFilter a = new GlobalDedupFilter(settings(dir), inProcess, 16);
        GlobalDedupFilter b = new GlobalDedupFilter(settings(dir), inProcess, 16);
        // groups of 10 from both nodes at once, so that pairs race on the shards
        List<Verdict> va = new ArrayList<>();
        List<Verdict> vb = new ArrayList<>();
        for (int from = 0; from < nodeA.size(); from += 10) {
            List<Document> ga = nodeA.subList(from, Math.min(nodeA.size(), from + 10));
            List<Document> gb = nodeB.subList(from, Math.min(nodeB.size(), from + 10));
            CompletableFuture<List<Verdict>> fa = CompletableFuture.supplyAsync(() -> a.applyAll(ga));
            CompletableFuture<List<Verdict>> fb = CompletableFuture.supplyAsync(() -> b.applyAll(gb));
            va.addAll(fa.get());
            vb.addAll(fb.get());
        }
        for (int p = 0; p < pairs; p++) {
            boolean keptA = va.get(p) instanceof Verdict.Keep;
            boolean keptB = vb.get(p) instanceof Verdict.Keep;
            assertTrue(keptA ^ keptB, "pair " + p + ": exactly one of a" + p + " and b" + p + " kept, got " + va.get(p) + " / " + vb.get(p));
            Verdict.Drop drop = (Verdict.Drop) (keptA ? vb.get(p) : va.get(p));
            assertEquals("near_duplicate", drop.reason());
        }
        assertInstanceOf(Verdict.Keep.class, va.get(pairs));
        assertInstanceOf(Verdict.Keep.class, vb.get(pairs));

        // a replay (the transaction of a group aborted after the shards registered it), on the other node
        List<Verdict> replayA = b.applyAll(nodeA);
        List<Verdict> replayB = a.applyAll(nodeB);
        for (int i = 0; i < nodeA.size(); i++) {
            assertEquals(va.get(i).getClass(), replayA.get(i).getClass(), "replay of " + nodeA.get(i).id());
            assertEquals(vb.get(i).getClass(), replayB.get(i).getClass(), "replay of " + nodeB.get(i).id());
        }
    }

    @Test
    void anExactCopyIsReportedAsExactAndAGroupAsksEachShardAtMostOncePerWave() {
        Random random = new Random(11);
        String t = text(random, 200);
        GlobalDedupFilter filter = new GlobalDedupFilter(settings(dir), inProcess, 1000);
        List<Document> group = List.of(doc("first", t), doc("copy", t.toUpperCase()), doc("other", text(random, 200)));
        List<Verdict> v = filter.applyAll(group);
        assertInstanceOf(Verdict.Keep.class, v.get(0));
        Verdict.Drop copy = assertInstanceOf(Verdict.Drop.class, v.get(1));
        assertEquals("exact_duplicate", copy.reason());
        assertTrue(copy.detail().contains("first"), copy.detail());
        assertInstanceOf(Verdict.Keep.class, v.get(2));
        assertTrue(requests.get() <= (1L + SHARDS) * SHARDS, "at most one request per shard and wave (1 + shards waves), got " + requests.get());
    }

    @Test
    void shardsRebuiltFromTheirChangelogInAnEmptyDirectoryGiveTheVerdictsOfTheFirstTime() {
        // the changelog in memory: what each shard appended, in order, with its position
        List<List<BandShard.Registration>> log = new ArrayList<>();
        for (int i = 0; i < SHARDS; i++) {
            log.add(new ArrayList<>());
        }
        BandShard.Changelog inMemory = (shard, registrations) -> {
            synchronized (log) {
                log.get(shard).addAll(registrations);
                return log.get(shard).size() - 1;
            }
        };
        shards.forEach(BandShard::close);
        shards.clear();
        for (int i = 0; i < SHARDS; i++) {
            shards.add(BandShard.open(settings(dir), dir.resolve("first"), i, inMemory));
        }
        Random random = new Random(5);
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String t = text(random, 200);
            docs.add(doc("d" + i, t));
            if (i % 3 == 0) {
                docs.add(doc("d" + i + "-near", edited(t)));
            }
        }
        GlobalDedupFilter filter = new GlobalDedupFilter(settings(dir), inProcess, 7);
        List<Verdict> first = filter.applyAll(docs);
        assertEquals(10, first.stream().filter(v -> v instanceof Verdict.Drop).count(), "every near duplicate dropped");

        // every shard moves to a node without its directory: rebuilt from the log alone
        shards.forEach(BandShard::close);
        shards.clear();
        for (int i = 0; i < SHARDS; i++) {
            BandShard rebuilt = BandShard.open(settings(dir), dir.resolve("elsewhere"), i, inMemory);
            assertEquals(-1, rebuilt.changelogPosition(), "an empty directory holds nothing of the log");
            List<BandShard.Registration> records = log.get(i);
            for (int position = 0; position < records.size(); position++) {
                rebuilt.apply(records.get(position), position);
            }
            assertEquals(records.size() - 1, rebuilt.changelogPosition());
            shards.add(rebuilt);
        }
        List<Verdict> replay = filter.applyAll(docs);
        for (int i = 0; i < docs.size(); i++) {
            assertEquals(first.get(i).getClass(), replay.get(i).getClass(), "replay of " + docs.get(i).id() + " after the rebuild");
        }
        String late = edited(docs.get(3).text()).replace("harpoon", "whale");
        assertInstanceOf(Verdict.Drop.class, filter.applyAll(List.of(doc("late-near", late))).get(0),
                "a near duplicate arriving after the move is still caught");
    }
}
