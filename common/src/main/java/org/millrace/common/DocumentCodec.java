package org.millrace.common;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** JSON codec of {@link Document}: bytes on Kafka, one line in JSONL files. */
public final class DocumentCodec {
    private DocumentCodec() {
    }

    public static byte[] encode(Document document) {
        return Json.write(document);
    }

    /**
     * Decodes and validates one record.
     *
     * @throws InvalidRecordException with a reason fit for the dead-letter topic
     */
    public static Document decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidRecordException("empty record");
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new InvalidRecordException("record is not valid UTF-8");
        }
        Document doc;
        try {
            doc = Json.read(bytes, Document.class);
        } catch (InvalidRecordException e) {
            throw e;
        } catch (RuntimeException e) {
            // Jackson wraps the record constructor's NullPointerException ("text") and the kind
            // parser's IllegalArgumentException; both are the record's fault, not ours.
            throw new InvalidRecordException("not a valid Document JSON record: " + rootMessage(e), e);
        }
        return doc;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t instanceof NullPointerException && m != null ? "missing field '" + m + "'" : Json.firstLine(m);
    }
}
