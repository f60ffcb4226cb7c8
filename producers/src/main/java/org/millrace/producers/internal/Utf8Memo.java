package org.millrace.producers.internal;

import java.nio.charset.StandardCharsets;

/**
 * The UTF-8 bytes a reader decoded the last document's text from, kept per thread so that encoding the
 * document (on the same thread, right after it was read) need not turn the text back into the very
 * bytes it came from: on the corpus that re-encoding was a tenth of ingestion's CPU time. Only the exact
 * {@code String} instance decoded from a freshly read array that nothing else writes to is remembered;
 * any other text is encoded as usual.
 */
public final class Utf8Memo {
    private static final ThreadLocal<Utf8Memo> LAST = ThreadLocal.withInitial(Utf8Memo::new);
    private String text;
    private byte[] bytes;

    private Utf8Memo() {
    }

    /** Remembers that {@code text} is exactly the UTF-8 of {@code utf8}, an array no one changes afterwards. */
    public static void remember(String text, byte[] utf8) {
        Utf8Memo m = LAST.get();
        m.text = text;
        m.bytes = utf8;
    }

    /** The UTF-8 bytes of {@code text}: the remembered array when it is the text last remembered on this thread. */
    public static byte[] utf8(String text) {
        Utf8Memo m = LAST.get();
        if (m.text == text) { // identity: the very string decoded from these bytes
            return m.bytes;
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
