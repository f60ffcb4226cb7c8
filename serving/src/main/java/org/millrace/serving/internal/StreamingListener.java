package org.millrace.serving.internal;

import java.nio.charset.StandardCharsets;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.util.ByteString;
import org.millrace.serving.GenerationListener;

/**
 * Sends a request's text as server-sent events while it is generated: one {@code data: {chunk}} event
 * per piece, a chunk with the finish reason per choice, the usage chunk when asked for, then
 * {@code data: [DONE]}. If the client goes away the queue closes and the request is cancelled.
 */
public final class StreamingListener implements GenerationListener {
    private static final ByteString DONE = ByteString.fromString("data: [DONE]\n\n", StandardCharsets.UTF_8);

    private final BoundedSourceQueue<ByteString> queue;
    private final ReplyFormat format;
    private final boolean includeUsage;
    private final ChatText chat;
    private volatile boolean gone;

    /** @param queue sized for every event of the request (one per token and choice, plus a few) */
    public StreamingListener(BoundedSourceQueue<ByteString> queue, ReplyFormat format, int choices, boolean chat,
                             boolean includeUsage) {
        this.queue = queue;
        this.format = format;
        this.includeUsage = includeUsage;
        this.chat = chat ? new ChatText(choices) : null;
        if (chat) {
            for (int i = 0; i < choices; i++) {
                event(format.chunk(i, "", "assistant", null));
            }
        }
    }

    /** The client closed the stream. */
    public void clientGone() {
        gone = true;
    }

    @Override
    public boolean cancelled() {
        return gone;
    }

    @Override
    public void onText(int choice, String text) {
        String piece = chat == null ? text : chat.piece(choice, text);
        if (!piece.isEmpty()) {
            event(format.chunk(choice, piece, null, null));
        }
    }

    @Override
    public void onFinish(int choice, String finishReason) {
        event(format.chunk(choice, chat == null ? "" : null, null, finishReason));
    }

    @Override
    public void onComplete(Usage usage) {
        if (includeUsage) {
            event(format.usageChunk(usage));
        }
        offer(DONE);
        queue.complete();
    }

    @Override
    public void onError(RuntimeException error) {
        event(ApiError.internal("generation failed: " + error.getMessage()).body());
        queue.complete();
    }

    private void event(byte[] json) {
        offer(ByteString.fromString("data: ", StandardCharsets.UTF_8).concat(ByteString.fromArray(json))
                .concat(ByteString.fromString("\n\n", StandardCharsets.UTF_8)));
    }

    private void offer(ByteString bytes) {
        if (gone) {
            return;
        }
        QueueOfferResult result = queue.offer(bytes);
        if (!(result instanceof QueueOfferResult.Enqueued$)) {
            gone = true; // closed by the client, or (never when sized right) full
        }
    }
}
