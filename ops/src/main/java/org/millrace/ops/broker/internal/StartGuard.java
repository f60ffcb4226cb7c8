package org.millrace.ops.broker.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutual exclusion for "look for a running broker, else start one" on one data directory: an OS file lock on
 * {@code <dataDir>/kafka/broker.start.lock} keeps two processes apart, and a JVM-wide lock keeps two threads of
 * one process apart (a JVM may hold a file lock only once, a second attempt throws instead of waiting).
 * The OS drops the file lock when the holding process dies, so a crash never leaves the guard stuck.
 */
public final class StartGuard implements AutoCloseable {

    public static final String FILE_NAME = "broker.start.lock";
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final FileChannel channel;
    private final FileLock lock;

    private StartGuard(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits up to {@code timeout} for the guard of {@code kafkaDir}. */
    public static StartGuard acquire(Path kafkaDir, Duration timeout) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!IN_PROCESS.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new TimeoutException("another thread of this process held the broker start guard of "
                        + kafkaDir + " for longer than " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker start guard of " + kafkaDir, e);
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(kafkaDir);
            channel = FileChannel.open(kafkaDir.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            while (true) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return new StartGuard(channel, lock);
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new TimeoutException("another process held the broker start guard "
                            + kafkaDir.resolve(FILE_NAME) + " for longer than " + timeout);
                }
                // The JDK has no timed FileChannel.lock: poll, the wait is for another process's broker start.
                TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
            }
        } catch (IOException e) {
            closeQuietly(channel);
            IN_PROCESS.unlock();
            throw new UncheckedIOException("cannot lock " + kafkaDir.resolve(FILE_NAME), e);
        } catch (InterruptedException e) {
            closeQuietly(channel);
            IN_PROCESS.unlock();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker start guard of " + kafkaDir, e);
        } catch (TimeoutException | RuntimeException e) {
            closeQuietly(channel);
            IN_PROCESS.unlock();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases the lock as well
        } finally {
            closeQuietly(channel);
            IN_PROCESS.unlock();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
