package org.millrace.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointManifestTest {
    @TempDir
    Path dir;

    @Test
    void aVersionOneManifestIsMigratedKeepingItsOffsets() throws Exception {
        Files.writeString(dir.resolve(CheckpointStore.MANIFEST), """
                {"version":1,"run":"r","step":40,"tokens":5120,"epoch":2,"offsets":{"millrace.batches.web:0":17},
                 "tokenizer":"byte-v1","model":{"dModel":64},"rngSeed":1377,"loss":2.5,"time":1}""");
        CheckpointManifest m = CheckpointStore.readManifest(dir);
        assertEquals(CheckpointManifest.VERSION, m.version());
        assertEquals(40, m.step());
        assertEquals(Map.of(new TopicPartition("millrace.batches.web", 0), 17L), m.partitionOffsets());
        assertEquals(1377L, m.rng().state());
        assertNull(m.curriculum(), "no curriculum state to carry over: the curriculum starts at its first phase");
    }

    @Test
    void anUnknownVersionIsRefusedSayingWhichVersionsAreRead() throws Exception {
        Files.writeString(dir.resolve(CheckpointStore.MANIFEST), "{\"version\":7,\"run\":\"r\"}");
        String message = assertThrows(IllegalStateException.class, () -> CheckpointStore.readManifest(dir)).getMessage();
        assertTrue(message.contains("version 7") && message.contains("versions 1 (migrated) and 2"), message);
    }

    @Test
    void aMismatchNamesEverySettingThatDiffers() {
        CheckpointManifest m = new CheckpointManifest(2, "r", 1, 1, Map.of(), Map.of(), "byte-v1",
                Map.of("dModel", 64, "nLayers", 2, "vocabSize", 257), 1, null, null, 1.0, 1);
        String message = assertThrows(CheckpointCompatibility.CheckpointMismatchException.class,
                () -> CheckpointCompatibility.check(dir, m, Map.of("dModel", 128, "nLayers", 2, "vocabSize", 257), "bpe-8192")).getMessage();
        assertTrue(message.contains("model dModel is 64 in the checkpoint, 128 here"), message);
        assertTrue(message.contains("tokenizer is byte-v1 in the checkpoint, bpe-8192 here"), message);
        assertTrue(!message.contains("nLayers"), message);
        CheckpointCompatibility.check(dir, m, Map.of("dModel", 64, "nLayers", 2, "vocabSize", 257), "byte-v1");
    }
}
