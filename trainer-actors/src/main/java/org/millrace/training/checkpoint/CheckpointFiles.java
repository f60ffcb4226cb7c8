package org.millrace.training.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of one checkpoint while it is written into its temporary directory. Every stream it opens
 * counts its bytes, so that a failed write can say which file it was writing and how far it had got, and
 * so that an injected {@link CheckpointFault} strikes after an exact number of bytes.
 */
public final class CheckpointFiles {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointFiles.class);

    private final Path dir;
    private final CheckpointFault fault;
    private long written;
    private String currentFile;
    private long currentBytes;

    CheckpointFiles(Path dir, CheckpointFault fault) {
        this.dir = dir;
        this.fault = fault;
    }

    /** The temporary directory (for writers that write files by path; their bytes are not counted). */
    public Path dir() {
        return dir;
    }

    /** Opens a new file of the checkpoint for writing (unbuffered: wrap it in a buffered stream). */
    public OutputStream create(String name) throws IOException {
        OutputStream file = Files.newOutputStream(dir.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        currentFile = name;
        currentBytes = 0;
        return new Counted(file, name);
    }

    /** Bytes written through {@link #create} streams. */
    long written() {
        return written;
    }

    /** What was being written when a write failed, e.g. "optimizer.bin after 4,096 of its bytes"; null if nothing. */
    String position() {
        return currentFile == null ? null : String.format("%s after %,d of its bytes", currentFile, currentBytes);
    }

    /** A stream that counts what it writes, and where the fault strikes, writes only up to it. */
    private final class Counted extends OutputStream {
        private final OutputStream out;
        private final String name;

        Counted(OutputStream out, String name) {
            this.out = out;
            this.name = name;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            long room = fault.afterBytes() - written;
            if (len > room && fault.kind() != CheckpointFault.Kind.NONE) {
                int part = (int) Math.max(0, room);
                out.write(b, off, part);
                out.flush();
                account(part);
                strike();
            }
            out.write(b, off, len);
            account(len);
        }

        private void account(int n) {
            written += n;
            currentBytes += n;
        }

        /** The budget of the fault ran out in this file. */
        private void strike() throws IOException {
            String where = String.format("%s after %,d of its bytes (%,d bytes of the checkpoint) in %s", name, currentBytes,
                    written, dir);
            if (fault.kind() == CheckpointFault.Kind.HALT) {
                String message = "injected fault " + CheckpointFault.PROPERTY + "=" + fault + ": halting the JVM while writing "
                        + where;
                LOG.error(message);
                System.err.println(message);
                System.err.flush();
                Runtime.getRuntime().halt(CheckpointFault.HALT_EXIT_CODE);
            }
            LOG.warn("injected fault {}={}: failing the write of {} as a full disk would", CheckpointFault.PROPERTY, fault, where);
            throw new IOException(CheckpointFault.NO_SPACE);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
