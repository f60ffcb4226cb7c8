package org.millrace.serving.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.millrace.serving.GenerationListener;

/** Gathers a request's whole answer for a non-streamed reply. */
public final class CollectingListener implements GenerationListener {
    /** Every choice's text and finish reason, and the counts. */
    public record Answer(List<String> texts, List<String> finishReasons, Usage usage) {
    }

    private final StringBuilder[] texts;
    private final String[] finishReasons;
    private final ChatText chat;
    private final CompletableFuture<Answer> answer = new CompletableFuture<>();

    public CollectingListener(int choices, boolean chat) {
        texts = new StringBuilder[choices];
        Arrays.setAll(texts, i -> new StringBuilder());
        finishReasons = new String[choices];
        this.chat = chat ? new ChatText(choices) : null;
    }

    public CompletableFuture<Answer> answer() {
        return answer;
    }

    @Override
    public void onText(int choice, String text) {
        texts[choice].append(chat == null ? text : chat.piece(choice, text));
    }

    @Override
    public void onFinish(int choice, String finishReason) {
        finishReasons[choice] = finishReason;
    }

    @Override
    public void onComplete(Usage usage) {
        List<String> out = new ArrayList<>();
        for (StringBuilder t : texts) {
            out.add(t.toString());
        }
        answer.complete(new Answer(out, List.of(finishReasons), usage));
    }

    @Override
    public void onError(RuntimeException error) {
        answer.completeExceptionally(error);
    }
}
