package org.millrace.ops.run;

import java.io.PrintStream;

/**
 * One status line on the terminal, rewritten in place when the output is a terminal, printed every
 * few seconds otherwise (so logs of non-interactive runs stay short).
 */
public final class ProgressLine {
    private final PrintStream out;
    private final boolean terminal;
    private long lastPrint;
    private int lastLength;

    public ProgressLine(PrintStream out) {
        this.out = out;
        this.terminal = System.console() != null;
    }

    public synchronized void update(String line) {
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastPrint < 100_000_000L) {
                return;
            }
            String padded = line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
            out.print("\r" + padded);
            out.flush();
            lastLength = line.length();
        } else {
            if (now - lastPrint < 5_000_000_000L) {
                return;
            }
            out.println(line);
        }
        lastPrint = now;
    }

    /** Prints a line of its own (ending the status line first). */
    public synchronized void println(String line) {
        if (terminal && lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            lastLength = 0;
        }
        out.println(line);
    }

    public synchronized void finish() {
        if (terminal && lastLength > 0) {
            out.println();
            lastLength = 0;
        }
    }
}
