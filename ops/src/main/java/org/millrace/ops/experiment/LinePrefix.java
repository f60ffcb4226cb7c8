package org.millrace.ops.experiment;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A stream that starts every line it passes on with a prefix (the arms' progress lines in one terminal);
 * a carriage return starts a line too, so a status line rewritten in place keeps its prefix.
 */
final class LinePrefix extends OutputStream {
    private final PrintStream out;
    private final byte[] prefix;
    private boolean atStart = true;

    private LinePrefix(PrintStream out, String prefix) {
        this.out = out;
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
    }

    static PrintStream of(PrintStream out, String prefix) {
        return new PrintStream(new LinePrefix(out, prefix), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (atStart && b != '\n' && b != '\r') {
            out.write(prefix, 0, prefix.length);
            atStart = false;
        }
        out.write(b);
        if (b == '\n' || b == '\r') {
            atStart = true;
        }
    }

    @Override
    public synchronized void flush() {
        out.flush();
    }
}
