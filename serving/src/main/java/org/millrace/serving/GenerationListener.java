package org.millrace.serving;

/**
 * Receives what a request generates. Called on the generation worker's thread: implementations must
 * return at once (append to a buffer, offer to a stream), never block.
 */
public interface GenerationListener {

    /** More text of choice {@code choice}: the pieces of a choice, in order, make its whole text. */
    void onText(int choice, String text);

    /**
     * Choice {@code choice} is finished.
     *
     * @param finishReason {@code stop} (end of text or a stop sequence) or {@code length} (max_tokens)
     */
    void onFinish(int choice, String finishReason);

    /** Every choice is finished; called once, last. */
    void onComplete(Usage usage);

    /** Generation failed; nothing more is called. */
    void onError(RuntimeException error);

    /** Whether the client is gone: its sequences stop at the next step. */
    default boolean cancelled() {
        return false;
    }

    /** Token counts of a request, as the OpenAI API reports them. */
    record Usage(int promptTokens, int completionTokens) {
        public int totalTokens() {
            return promptTokens + completionTokens;
        }
    }
}
