package org.millrace.producers.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.millrace.common.Document;

/**
 * {@link Document#stableId} with one SHA-256 digest per thread instead of a provider look-up per id:
 * the readers make an id for every document, and for short texts (a JSON line, a sentence) looking the
 * digest up cost as much as reading the text. Same ids (a test compares them).
 */
public final class StableIds {
    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> SHA = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });

    private StableIds() {
    }

    public static String of(String source, String locator) {
        MessageDigest sha = SHA.get();
        sha.reset();
        sha.update(source.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(locator.getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(sha.digest(), 0, 16);
    }
}
