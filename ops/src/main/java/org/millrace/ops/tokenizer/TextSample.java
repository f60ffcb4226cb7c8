package org.millrace.ops.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.millrace.common.Document;

/**
 * Texts to train a tokenizer on, taken in order until a byte budget is spent (the last text is cut at
 * a character boundary so that the budget holds).
 *
 * @param texts the texts
 * @param bytes their UTF-8 bytes
 */
public record TextSample(List<String> texts, long bytes) {

    public static TextSample take(Iterator<String> texts, long maxBytes) {
        List<String> out = new ArrayList<>();
        long bytes = 0;
        while (bytes < maxBytes && texts.hasNext()) {
            String text = texts.next();
            long n = utf8Length(text, 0, text.length());
            boolean cut = bytes + n > maxBytes;
            if (cut) {
                text = prefixOfBytes(text, maxBytes - bytes);
                n = utf8Length(text, 0, text.length());
            }
            if (!text.isEmpty()) {
                out.add(text);
                bytes += n;
            }
            if (cut) {
                break;
            }
        }
        return new TextSample(List.copyOf(out), bytes);
    }

    /**
     * An equal share of the budget from each of {@code sources} sources, for inputs read source by source
     * (a corpus), so that the first source read does not fill the whole sample.
     */
    public static TextSample takePerSource(Iterator<Document> docs, long maxBytes, int sources) {
        long share = maxBytes / Math.max(1, sources);
        Map<String, Long> used = new HashMap<>();
        Iterator<String> texts = new Iterator<>() {
            private String next;

            @Override
            public boolean hasNext() {
                while (next == null && docs.hasNext()) {
                    Document d = docs.next();
                    long before = used.getOrDefault(d.source(), 0L);
                    if (before < share) {
                        long n = utf8Length(d.text(), 0, d.text().length());
                        used.put(d.source(), before + n);
                        next = before + n > share ? prefixOfBytes(d.text(), share - before) : d.text();
                    }
                }
                return next != null;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                String t = next;
                next = null;
                return t;
            }
        };
        return take(texts, maxBytes);
    }

    public int documents() {
        return texts.size();
    }

    /** The longest prefix of whole code points with at most {@code budget} UTF-8 bytes. */
    static String prefixOfBytes(String text, long budget) {
        long used = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (used + len > budget) {
                break;
            }
            used += len;
            i += Character.charCount(cp);
        }
        return text.substring(0, i);
    }

    static long utf8Length(String s, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
