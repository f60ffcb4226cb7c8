package org.millrace.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.millrace.common.Document;
import org.millrace.common.evalsets.EvalSetManifest;
import org.millrace.common.evalsets.EvalSetRegistry;
import org.millrace.common.evalsets.HeldOutDocument;
import org.millrace.ops.OneBroker;
import org.millrace.ops.broker.EmbeddedKafkaBroker;
import org.millrace.producers.corpus.CorpusManifest;
import org.millrace.producers.corpus.CorpusRole;

/**
 * {@code millrace ingest --corpus} never publishes a document of an evaluation source, nor one the
 * built evaluation sets hold out, and says so for the latter.
 */
@ExtendWith(OneBroker.class)
class IngestCorpusHeldOutTest {
    @TempDir
    Path tmp;

    @Test
    void evaluationSourcesAndHeldOutDocumentsAreNeverIngested(EmbeddedKafkaBroker broker) throws Exception {
        Path data = tmp.resolve("data");
        Path corpus = data.resolve("corpus");
        Files.createDirectories(corpus.resolve("essays"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(corpus.resolve("essays/essay-" + i + ".txt"), "Essay " + i + " argues a point.\n");
        }
        Files.createDirectories(corpus.resolve("quiz"));
        Files.writeString(corpus.resolve("quiz/capitals"), "France:Paris\n");
        String now = "2026-01-01T00:00:00Z";
        new CorpusManifest(CorpusManifest.FORMAT_VERSION, List.of(
                new CorpusManifest.Source("essays", "test", "essays", "1", "CC0", "essays", "0", 20, 600, 600, CorpusRole.WEB, "text", now),
                new CorpusManifest.Source("quiz", "test", "quiz", "1", "CC0", "quiz", "0", 1, 13, 13, CorpusRole.EVAL, "quiz", now)))
                .write(corpus);
        Set<String> held = Set.of(Document.stableId("essays", "essay-3.txt"), Document.stableId("essays", "essay-11.txt"));
        EvalSetRegistry.write(data.resolve("eval"), new EvalSetManifest(EvalSetManifest.FORMAT_VERSION, 1, 1, now, Map.of(), Map.of(),
                List.of(), null, null), Map.of(), held.stream().map(id -> new HeldOutDocument(id, "essays", "?", "bpb_essays")).toList(),
                List.of());

        CliRun run = CliRun.of("ingest", "--corpus", "--bootstrap-servers", broker.bootstrapServers(), "--data-dir", data.toString(),
                "--config", CliRun.topicsConfig(tmp, "heldout").toString());
        assertEquals(0, run.code(), run.out() + run.err());
        Set<String> published = CliRun.documents(broker.bootstrapServers(), "heldout.docs.web").stream().map(Document::id)
                .collect(Collectors.toSet());
        Set<String> expected = IntStream.range(0, 20).mapToObj(i -> Document.stableId("essays", "essay-" + i + ".txt"))
                .filter(id -> !held.contains(id)).collect(Collectors.toSet());
        assertEquals(expected, published, "every training document but the held-out ones; nothing of the quiz");
        assertTrue(run.out().contains("essay-11.txt") && run.out().contains("held out of training: an evaluation set uses it"), run.out());
    }
}
