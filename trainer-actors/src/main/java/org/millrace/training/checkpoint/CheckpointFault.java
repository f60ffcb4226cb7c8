package org.millrace.training.checkpoint;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A failure injected into checkpoint writes, for fault-injection tests and recovery drills. Off unless a
 * JVM system property turns it on (it is deliberately not a {@code millrace.*} setting of reference.conf:
 * nobody should find it by reading the settings of a production run):
 *
 * <ul>
 *   <li>{@code -Dmillrace.fault.checkpoint=halt-after:BYTES}: once BYTES bytes of one checkpoint's files
 *       have been written (and handed to the operating system), the JVM halts at once with exit code
 *       {@value #HALT_EXIT_CODE} ({@link Runtime#halt}: no shutdown hook, no finally block runs), as a
 *       SIGKILL or a power cut in the middle of the write would. The checkpoint is left half-written in its
 *       temporary directory.</li>
 *   <li>{@code -Dmillrace.fault.checkpoint=disk-full-after:BYTES}: once BYTES bytes have been written, the
 *       write fails with the {@code IOException} a full disk gives ("No space left on device"). It fires
 *       once per process: the next checkpoint is written as if space had been freed.</li>
 *   <li>{@code -Dmillrace.fault.checkpoint-step=N}: only the checkpoint of step N is hit (default: the first
 *       checkpoint written by the process).</li>
 * </ul>
 *
 * BYTES counts the bytes of every file of the checkpoint in the order they are written (the parameters,
 * then the optimizer state, then the manifest, for the training loop's checkpoints).
 *
 * <p>Tests in the same JVM construct a fault with {@link #CheckpointFault(Kind, long, long)} and hand it to
 * {@link CheckpointStore} instead.
 */
public final class CheckpointFault {
    public static final String PROPERTY = "millrace.fault.checkpoint";
    public static final String STEP_PROPERTY = "millrace.fault.checkpoint-step";
    /** Exit code of a JVM halted by {@link Kind#HALT}. */
    public static final int HALT_EXIT_CODE = 86;
    /** The message of the {@code IOException} a full disk gives on Linux (strerror of ENOSPC). */
    public static final String NO_SPACE = "No space left on device";

    /** No fault. */
    public static final CheckpointFault NONE = new CheckpointFault(Kind.NONE, Long.MAX_VALUE, -1);

    /** The fault of the system properties, parsed once: every store of the process shares it (and its one firing). */
    private static volatile CheckpointFault fromProperties;

    private final Kind kind;
    private final long afterBytes;
    private final long step;
    private final AtomicBoolean fired = new AtomicBoolean();

    /** What an injected fault does. */
    public enum Kind { NONE, HALT, DISK_FULL }

    /**
     * @param kind       what happens when the budget runs out
     * @param afterBytes bytes of the checkpoint written before it does
     * @param step       step of the checkpoint that is hit; -1 for the first one written
     */
    public CheckpointFault(Kind kind, long afterBytes, long step) {
        if (afterBytes < 0) {
            throw new IllegalArgumentException(PROPERTY + ": the byte count must be >= 0 (got " + afterBytes + ")");
        }
        this.kind = kind;
        this.afterBytes = afterBytes;
        this.step = step;
    }

    public Kind kind() {
        return kind;
    }

    public long afterBytes() {
        return afterBytes;
    }

    /** The fault the system properties describe, or {@link #NONE}; the same instance on every call. */
    public static CheckpointFault fromSystemProperties() {
        CheckpointFault f = fromProperties;
        if (f == null) {
            synchronized (CheckpointFault.class) {
                if (fromProperties == null) {
                    fromProperties = parseSystemProperties();
                }
                f = fromProperties;
            }
        }
        return f;
    }

    private static CheckpointFault parseSystemProperties() {
        String spec = System.getProperty(PROPERTY, "").trim();
        if (spec.isEmpty()) {
            return NONE;
        }
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        long bytes;
        try {
            bytes = Long.parseLong(colon < 0 ? "" : spec.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + spec + ": expected halt-after:BYTES or disk-full-after:BYTES");
        }
        String stepSpec = System.getProperty(STEP_PROPERTY, "-1").trim();
        long step;
        try {
            step = Long.parseLong(stepSpec);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + STEP_PROPERTY + "=" + stepSpec + ": expected a step number");
        }
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "halt-after" -> new CheckpointFault(Kind.HALT, bytes, step);
            case "disk-full-after" -> new CheckpointFault(Kind.DISK_FULL, bytes, step);
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + spec
                    + ": unknown fault '" + kind + "' (expected halt-after:BYTES or disk-full-after:BYTES)");
        };
    }

    /** Whether the checkpoint of {@code checkpointStep} is hit (claims the fault: it fires at most once per process). */
    boolean claims(long checkpointStep) {
        if (kind == Kind.NONE || (step >= 0 && step != checkpointStep)) {
            return false;
        }
        return fired.compareAndSet(false, true);
    }

    @Override
    public String toString() {
        return kind == Kind.NONE ? "none" : kind.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-after:" + afterBytes
                + (step >= 0 ? " at step " + step : "");
    }
}
