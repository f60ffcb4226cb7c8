package org.millrace.processing.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * The dedup state in RocksDB, off the heap and on disk: which document owns each exact-text hash and
 * each LSH band key, and the MinHash signature of every registered document. Memory is bounded by
 * one LRU block cache that also holds index and filter blocks and is charged for the memtables, so a
 * store of tens of millions of documents costs that cache, not the heap.
 *
 * <p>Column families: {@code exact} (8-byte hash → owner id), {@code bands} (band index byte +
 * 8-byte key → owner id), {@code signatures} (owner id → signature as little-endian longs). Not
 * synchronised: the caller serialises check-and-register.
 */
public final class DedupStore implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final LRUCache cache;
    private final WriteBufferManager writeBuffers;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> cfOptions = new ArrayList<>();
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final BloomFilter bloom;
    private final WriteOptions writeOptions;
    private final ColumnFamilyHandle exact;
    private final ColumnFamilyHandle bands;
    private final ColumnFamilyHandle signatures;
    private final Path dir;

    private DedupStore(Path dir, long blockCacheBytes, long writeBufferBytes, int maxOpenFiles, boolean syncWrites)
            throws RocksDBException {
        this.dir = dir;
        cache = new LRUCache(blockCacheBytes);
        writeBuffers = new WriteBufferManager(writeBufferBytes, cache);
        bloom = new BloomFilter(10);
        dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setMaxOpenFiles(maxOpenFiles).setWriteBufferManager(writeBuffers);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, options(writeBufferBytes, true)));
        descriptors.add(new ColumnFamilyDescriptor(bytes("exact"), options(writeBufferBytes, true)));
        descriptors.add(new ColumnFamilyDescriptor(bytes("bands"), options(writeBufferBytes, true)));
        // Signatures are random numbers: compression would cost time and save nothing.
        descriptors.add(new ColumnFamilyDescriptor(bytes("signatures"), options(writeBufferBytes, false)));
        db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        exact = handles.get(1);
        bands = handles.get(2);
        signatures = handles.get(3);
        writeOptions = new WriteOptions().setSync(syncWrites);
    }

    private ColumnFamilyOptions options(long writeBufferBytes, boolean compress) {
        BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom)
                .setCacheIndexAndFilterBlocks(true).setCacheIndexAndFilterBlocksWithHighPriority(true)
                .setPinL0FilterAndIndexBlocksInCache(true);
        ColumnFamilyOptions o = new ColumnFamilyOptions().setTableFormatConfig(table)
                .setWriteBufferSize(Math.max(1L << 20, writeBufferBytes / 4))
                .setCompressionType(compress ? CompressionType.LZ4_COMPRESSION : CompressionType.NO_COMPRESSION);
        cfOptions.add(o);
        return o;
    }

    /**
     * Opens (creating if needed) the store in {@code dir}.
     *
     * @param blockCacheBytes  the LRU cache of data, index and filter blocks, charged for memtables too
     * @param writeBufferBytes memtable budget, within the cache
     * @param syncWrites       fsync the write-ahead log on every write (survives machine crashes, not
     *                         only process crashes)
     */
    public static DedupStore open(Path dir, long blockCacheBytes, long writeBufferBytes, int maxOpenFiles, boolean syncWrites) {
        try {
            Files.createDirectories(dir);
            return new DedupStore(dir, blockCacheBytes, writeBufferBytes, maxOpenFiles, syncWrites);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot open the dedup store in " + dir + ": " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create the dedup store directory " + dir, e);
        }
    }

    /**
     * A number the owner of the store keeps with it (e.g. how far a changelog has been applied); stored
     * in the {@code exact} family under a 9-byte key, which no 8-byte hash can equal. -1 when never set.
     */
    public long meta(byte slot) {
        byte[] v = get(exact, longKey(slot, 0L, true));
        return v == null ? -1 : ByteBuffer.wrap(v).getLong();
    }

    public void putMeta(byte slot, long value) {
        try {
            db.put(exact, writeOptions, longKey(slot, 0L, true), ByteBuffer.allocate(8).putLong(value).array());
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot write to the dedup store in " + dir + ": " + e.getMessage(), e);
        }
    }

    public String exactOwner(long hash) {
        return string(get(exact, longKey((byte) 0, hash, false)));
    }

    /** The owners of band {@code i}'s key {@code keys[i]} (null where none), read in one call. */
    public String[] bandOwners(long[] keys) {
        return bandOwners(allBands(keys.length), keys);
    }

    /** The owners of band {@code bandIndices[i]}'s key {@code keys[i]} (null where none), read in one call. */
    public String[] bandOwners(int[] bandIndices, long[] keys) {
        if (keys.length == 0) {
            return new String[0]; // RocksDB's multiGet asserts at least one key
        }
        List<ColumnFamilyHandle> families = new ArrayList<>(keys.length);
        List<byte[]> encoded = new ArrayList<>(keys.length);
        for (int i = 0; i < keys.length; i++) {
            families.add(bands);
            encoded.add(longKey((byte) bandIndices[i], keys[i], true));
        }
        try {
            List<byte[]> values = db.multiGetAsList(families, encoded);
            String[] owners = new String[keys.length];
            for (int i = 0; i < owners.length; i++) {
                owners[i] = string(values.get(i));
            }
            return owners;
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read the dedup store in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The stored signature of a registered document, or null. */
    public long[] signature(String id) {
        byte[] v = get(signatures, bytes(id));
        if (v == null) {
            return null;
        }
        long[] sig = new long[v.length / Long.BYTES];
        ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(sig);
        return sig;
    }

    /**
     * Registers a document atomically (one write batch): as owner of its exact hash and of the band
     * keys whose owner the caller found to be null, with its signature when it has one.
     *
     * @param bandOwners the owners the caller read for {@code bandKeys} (null where none), so that
     *                   an owned key is never taken over and no key is read twice
     */
    public void register(String id, long exactHash, long[] bandKeys, String[] bandOwners, long[] signature) {
        register(id, exactHash, bandKeys == null ? null : allBands(bandKeys.length), bandKeys, bandOwners, signature);
    }

    /**
     * Registers a document atomically as owner of its exact hash (when {@code exactHash} is not null),
     * of the keys {@code bandKeys[i]} of bands {@code bandIndices[i]} whose owner the caller found to
     * be null, and with its signature when it has one. A shard of a cluster-wide store holds a subset
     * of a document's keys: this is the form it registers them in.
     */
    public void register(String id, Long exactHash, int[] bandIndices, long[] bandKeys, String[] bandOwners, long[] signature) {
        byte[] owner = bytes(id);
        try (WriteBatch batch = new WriteBatch()) {
            if (exactHash != null) {
                batch.put(exact, longKey((byte) 0, exactHash, false), owner);
            }
            if (bandKeys != null) {
                for (int i = 0; i < bandKeys.length; i++) {
                    if (bandOwners[i] == null) {
                        batch.put(bands, longKey((byte) bandIndices[i], bandKeys[i], true), owner);
                    }
                }
            }
            if (signature != null) {
                ByteBuffer buf = ByteBuffer.allocate(signature.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buf.asLongBuffer().put(signature);
                batch.put(signatures, owner, buf.array());
            }
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot write to the dedup store in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** RocksDB's estimate of the keys in a column family ({@code exact}, {@code bands}, {@code signatures}). */
    public long estimatedKeys(String family) {
        ColumnFamilyHandle h = switch (family) {
            case "exact" -> exact;
            case "bands" -> bands;
            case "signatures" -> signatures;
            default -> throw new IllegalArgumentException("no column family " + family);
        };
        try {
            return db.getLongProperty(h, "rocksdb.estimate-num-keys");
        } catch (RocksDBException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private byte[] get(ColumnFamilyHandle cf, byte[] key) {
        try {
            return db.get(cf, key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read the dedup store in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static int[] allBands(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }

    private static byte[] longKey(byte prefix, long value, boolean withPrefix) {
        ByteBuffer buf = ByteBuffer.allocate(withPrefix ? 9 : 8);
        if (withPrefix) {
            buf.put(prefix);
        }
        return buf.putLong(value).array();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        writeOptions.close();
        dbOptions.close();
        cfOptions.forEach(ColumnFamilyOptions::close);
        writeBuffers.close();
        bloom.close();
        cache.close();
    }
}
