package org.millrace.processing;

import com.typesafe.config.Config;
import java.nio.file.Path;
import org.millrace.common.Settings;

/**
 * The {@code millrace.curation.dedup} block.
 *
 * @param dir              RocksDB directory of the dedup state
 * @param bands            LSH bands
 * @param rows             rows (hash functions) per band
 * @param shingleWords     words per shingle
 * @param seed             seed of the MinHash functions (fixed for the life of a store)
 * @param minJaccard       a band match counts as a near duplicate only from this estimated Jaccard
 *                         similarity on (0: any shared band, as FineWeb)
 * @param blockCacheBytes  RocksDB block cache, which bounds the store's memory
 * @param writeBufferBytes RocksDB memtables, charged to the block cache
 * @param maxOpenFiles     RocksDB open table files
 * @param syncWrites       fsync every write of the dedup state
 */
public record DedupSettings(Path dir, int bands, int rows, int shingleWords, long seed, double minJaccard,
                            long blockCacheBytes, long writeBufferBytes, int maxOpenFiles, boolean syncWrites) {

    public static DedupSettings fromConfig(Config c, Path dataDir) {
        String p = "millrace.curation.dedup.";
        String dir = c.getString(p + "dir");
        long cache = c.getBytes(p + "block-cache");
        if (cache < (1L << 20)) {
            throw Settings.invalid(c, p + "block-cache", cache, "must be at least 1 MiB");
        }
        long buffers = c.getBytes(p + "write-buffers");
        if (buffers < (1L << 20) || buffers > cache) {
            throw Settings.invalid(c, p + "write-buffers", buffers, "must be within [1 MiB, block-cache " + cache + "]");
        }
        return new DedupSettings(dir.isBlank() ? dataDir.resolve("curation").resolve("dedup") : Path.of(dir),
                Settings.intInRange(c, p + "bands", 1, 255), Settings.intInRange(c, p + "rows", 1, 64),
                Settings.intInRange(c, p + "shingle-words", 1, 64), c.getLong(p + "seed"),
                Settings.doubleInRange(c, p + "min-jaccard", 0, 1), cache, buffers,
                Settings.intInRange(c, p + "max-open-files", -1, 1 << 20), c.getBoolean(p + "sync-writes"));
    }
}
