package org.millrace.processing.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import org.millrace.common.Tokenizer;

/**
 * The OpenAI encodings r50k (GPT-2/GPT-3) and cl100k (GPT-3.5/GPT-4) through JTokkit. Special-token
 * text inside a document is encoded as ordinary text; end-of-text is {@code <|endoftext|>}'s id.
 */
public final class JtokkitTokenizer implements Tokenizer {

    /** The encodings Millrace offers, with their end-of-text id and id range. */
    public enum Kind {
        R50K("r50k", EncodingType.R50K_BASE, 50256, 50257),
        CL100K("cl100k", EncodingType.CL100K_BASE, 100257, 100277);

        final String setting;
        final EncodingType type;
        final int endOfText;
        final int vocabSize;

        Kind(String setting, EncodingType type, int endOfText, int vocabSize) {
            this.setting = setting;
            this.type = type;
            this.endOfText = endOfText;
            this.vocabSize = vocabSize;
        }

        /** The value of {@code millrace.tokenizer.kind} that selects it. */
        public String setting() {
            return setting;
        }
    }

    private final Kind kind;
    private final Encoding encoding;

    public JtokkitTokenizer(Kind kind) {
        this.kind = kind;
        this.encoding = Encodings.newLazyEncodingRegistry().getEncoding(kind.type);
    }

    /** e.g. {@code r50k_base}, the encoding's own name. */
    @Override
    public String name() {
        return encoding.getName();
    }

    /** One more than the largest id, special tokens included. */
    @Override
    public int vocabSize() {
        return kind.vocabSize;
    }

    @Override
    public int endOfText() {
        return kind.endOfText;
    }

    @Override
    public int[] encode(String text) {
        return encoding.encodeOrdinary(text).toArray();
    }

    /** The text of the ids; end-of-text and ids outside the vocabulary are left out. */
    @Override
    public String decode(int[] ids) {
        IntArrayList keep = new IntArrayList(ids.length);
        for (int id : ids) {
            if (id >= 0 && id < kind.vocabSize && id != kind.endOfText) {
                keep.add(id);
            }
        }
        return encoding.decode(keep);
    }

    @Override
    public String toString() {
        return name();
    }
}
