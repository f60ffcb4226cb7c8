package org.millrace.common;

/**
 * Turns text into token ids and back. Every implementation keeps {@code decode(encode(x)).equals(x)}
 * for any well-formed Unicode text, and reserves one id as the end-of-text separator.
 */
public interface Tokenizer {
    /** Name recorded in every batch and checkpoint, e.g. {@code byte-v1} or {@code bpe-8192-3f2a}. */
    String name();

    int vocabSize();

    /** Id of the end-of-text token that separates documents in packed sequences. */
    int endOfText();

    int[] encode(String text);

    String decode(int[] ids);
}
