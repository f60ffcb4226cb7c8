package org.millrace.training.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.millrace.common.Json;

/**
 * Checkpoints of one run under {@code <data-dir>/checkpoints/<run>/step-NNNNNNNN}. A checkpoint is
 * written into a temporary directory, every file fsynced, then renamed into place: a crash or a full
 * disk mid-write leaves the previous checkpoints as they were, and a half-written one is never seen.
 */
public final class CheckpointStore {
    public static final String MANIFEST = "manifest.json";
    private static final String PREFIX = "step-";

    private final Path runDir;
    private final int keep;

    public CheckpointStore(Path checkpointsDir, String run, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("millrace.trainer.keep-checkpoints must be >= 1 (got " + keep + ")");
        }
        this.runDir = checkpointsDir.resolve(run);
        this.keep = keep;
    }

    /** Writes the files of a checkpoint into a directory. */
    @FunctionalInterface
    public interface Writer {
        void write(Path dir) throws IOException;
    }

    /** Writes a checkpoint atomically and returns its directory. Older ones beyond {@code keep} are removed. */
    public Path write(CheckpointManifest manifest, Writer tensors) {
        Path target = runDir.resolve(String.format("%s%08d", PREFIX, manifest.step()));
        Path tmp = runDir.resolve(".tmp-" + target.getFileName() + "-" + System.nanoTime());
        try {
            Files.createDirectories(tmp);
            tensors.write(tmp);
            Files.write(tmp.resolve(MANIFEST), Json.write(manifest));
            try (Stream<Path> files = Files.list(tmp)) {
                for (Path f : files.toList()) {
                    fsync(f);
                }
            }
            fsync(tmp);
            if (Files.exists(target)) {
                deleteTree(target);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the checkpoint directory's file system cannot rename atomically", e);
            }
            fsync(runDir);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("writing checkpoint step " + manifest.step() + " to " + target + " failed ("
                    + e + "); the previous checkpoints are intact", e);
        }
        prune();
        return target;
    }

    /** Complete checkpoints, oldest first. */
    public List<Path> list() {
        if (!Files.isDirectory(runDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(runDir)) {
            return dirs.filter(p -> p.getFileName().toString().startsWith(PREFIX))
                    .filter(p -> Files.isRegularFile(p.resolve(MANIFEST)))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<Path> latest() {
        List<Path> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * Reads a checkpoint's manifest; version-1 manifests are migrated, unknown versions refused with a
     * message saying which versions this build reads.
     */
    public static CheckpointManifest readManifest(Path checkpoint) {
        return ManifestReader.read(checkpoint.resolve(MANIFEST));
    }

    private void prune() {
        List<Path> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            deleteQuietly(all.get(i));
        }
        // leftovers of writes that crashed
        try (Stream<Path> dirs = Files.list(runDir)) {
            new ArrayList<>(dirs.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList())
                    .forEach(CheckpointStore::deleteQuietly);
        } catch (IOException ignored) {
            // pruning is best effort
        }
    }

    private static void fsync(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException e) {
                // some file systems cannot open directories for sync; the files themselves are synced
            }
            return;
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            if (Files.exists(dir)) {
                deleteTree(dir);
            }
        } catch (IOException ignored) {
            // best effort
        }
    }
}
