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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of one run under {@code <data-dir>/checkpoints/<run>/step-NNNNNNNN}. A checkpoint is
 * written into a temporary directory, every file fsynced, then renamed into place: a crash or a full
 * disk mid-write leaves the previous checkpoints as they were, and a half-written one is never seen.
 * The temporary directories such a crash leaves behind ({@code .tmp-step-...}) are never read: the trainer
 * removes them with a log line when it resumes ({@link #removeIncomplete()}), and any successful write
 * removes them too.
 *
 * <p>A store reads the injected failure of {@link CheckpointFault} from the system properties (off by default).
 */
public final class CheckpointStore {
    public static final String MANIFEST = "manifest.json";
    private static final String PREFIX = "step-";
    private static final String TMP_PREFIX = ".tmp-";
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

    private final Path runDir;
    private final int keep;
    private final CheckpointFault fault;

    public CheckpointStore(Path checkpointsDir, String run, int keep) {
        this(checkpointsDir, run, keep, CheckpointFault.fromSystemProperties());
    }

    /** A store whose writes meet {@code fault} (tests). */
    public CheckpointStore(Path checkpointsDir, String run, int keep, CheckpointFault fault) {
        if (keep < 1) {
            throw new IllegalArgumentException("millrace.trainer.keep-checkpoints must be >= 1 (got " + keep + ")");
        }
        this.runDir = checkpointsDir.resolve(run);
        this.keep = keep;
        this.fault = fault;
    }

    /** The directory of the run's checkpoints. */
    public Path runDir() {
        return runDir;
    }

    /** Writes the files of a checkpoint into a directory. */
    @FunctionalInterface
    public interface Writer {
        void write(Path dir) throws IOException;
    }

    /** Writes the files of a checkpoint through the streams of {@link CheckpointFiles} (their bytes are counted). */
    @FunctionalInterface
    public interface FilesWriter {
        void write(CheckpointFiles files) throws IOException;
    }

    /** Writes a checkpoint atomically and returns its directory. Older ones beyond {@code keep} are removed. */
    public Path write(CheckpointManifest manifest, Writer tensors) {
        return writeFiles(manifest, files -> tensors.write(files.dir()));
    }

    /**
     * Writes a checkpoint atomically and returns its directory. Older ones beyond {@code keep} are removed.
     *
     * @throws UncheckedIOException when the write fails, saying which file it was writing, how many bytes were
     *                              written, in which directory, how much room its file system has left, and that
     *                              the previous checkpoints are intact
     */
    public Path writeFiles(CheckpointManifest manifest, FilesWriter writer) {
        Path target = runDir.resolve(String.format("%s%08d", PREFIX, manifest.step()));
        Path tmp = runDir.resolve(TMP_PREFIX + target.getFileName() + "-" + System.nanoTime());
        CheckpointFiles files = new CheckpointFiles(tmp, fault.claims(manifest.step()) ? fault : CheckpointFault.NONE);
        try {
            Files.createDirectories(tmp);
            writer.write(files);
            try (java.io.OutputStream out = files.create(MANIFEST)) {
                out.write(Json.write(manifest));
            }
            try (Stream<Path> inTmp = Files.list(tmp)) {
                for (Path f : inTmp.toList()) {
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
            String message = failureMessage(manifest.step(), target, tmp, files, e);
            deleteQuietly(tmp);
            LOG.error(message);
            throw new UncheckedIOException(message, e);
        }
        prune();
        return target;
    }

    private String failureMessage(long step, Path target, Path tmp, CheckpointFiles files, IOException e) {
        long onDisk = sizeOf(tmp);
        String room;
        try {
            room = String.format("%,d bytes usable on its file system", Files.getFileStore(runDir).getUsableSpace());
        } catch (IOException | RuntimeException unknown) {
            room = "room on its file system unknown";
        }
        String what = files.position() == null ? "" : " while writing " + files.position();
        Optional<Path> previous = latest();
        return String.format("writing checkpoint step %d to %s failed%s: %s (%,d bytes of the checkpoint written to %s; %s). "
                        + "The partial write is removed; the previous checkpoints are intact%s", step, target, what,
                e.getMessage() == null ? e.toString() : e.getMessage(), Math.max(onDisk, files.written()), tmp, room,
                previous.map(p -> " (latest: " + p.getFileName() + ")").orElse(" (there is none yet)"));
    }

    /**
     * Removes what interrupted writes left: temporary directories, and checkpoint directories without a
     * manifest (a rename cannot make one, but a hand copy can), each with a log line saying so.
     *
     * @return the directories removed
     */
    public List<Path> removeIncomplete() {
        if (!Files.isDirectory(runDir)) {
            return List.of();
        }
        List<Path> removed = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(runDir)) {
            for (Path p : dirs.toList()) {
                String name = p.getFileName().toString();
                boolean partial = name.startsWith(TMP_PREFIX)
                        || (name.startsWith(PREFIX) && Files.isDirectory(p) && !Files.isRegularFile(p.resolve(MANIFEST)));
                if (partial) {
                    LOG.warn("removing incomplete checkpoint {} ({} bytes): a write that a crash or a full disk interrupted;"
                            + " it is never loaded", p, String.format("%,d", sizeOf(p)));
                    deleteQuietly(p);
                    removed.add(p);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list {} for incomplete checkpoints: {}", runDir, e.getMessage());
        }
        return removed;
    }

    private static long sizeOf(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
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
            new ArrayList<>(dirs.filter(p -> p.getFileName().toString().startsWith(TMP_PREFIX)).toList())
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
