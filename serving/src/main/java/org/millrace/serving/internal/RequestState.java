package org.millrace.serving.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.millrace.serving.GenerationListener;
import org.millrace.serving.GenerationRequest;

/**
 * A request being generated: its choices, how many are unfinished, and the tokens generated so far.
 * Touched only by the generation worker.
 */
public final class RequestState {
    private final GenerationRequest request;
    private final List<Choice> choices = new ArrayList<>();
    private int unfinished;
    private int completionTokens;
    private boolean failed;

    public RequestState(GenerationRequest request) {
        this.request = request;
        long base = request.sampling().seed() != null ? request.sampling().seed() : ThreadLocalRandom.current().nextLong();
        int index = 0;
        for (int[] prompt : request.prompts()) {
            for (int j = 0; j < request.n(); j++) {
                choices.add(new Choice(this, index, prompt, new Random(base + index)));
                index++;
            }
        }
        unfinished = choices.size();
    }

    public GenerationRequest request() {
        return request;
    }

    public List<Choice> choices() {
        return choices;
    }

    boolean cancelled() {
        return failed || request.listener().cancelled();
    }

    void countToken() {
        completionTokens++;
    }

    void text(Choice choice, String text) {
        if (!failed && !text.isEmpty()) {
            request.listener().onText(choice.index(), text);
        }
    }

    void finished(Choice choice, String reason) {
        if (failed) {
            return;
        }
        request.listener().onFinish(choice.index(), reason);
        if (--unfinished == 0) {
            request.listener().onComplete(new GenerationListener.Usage(request.promptTokens(), completionTokens));
            release();
        }
    }

    /** Fails the request once (a forward pass threw, or the server stops); its lease is given back. */
    public void fail(RuntimeException error) {
        if (failed || unfinished == 0) {
            return;
        }
        failed = true;
        try {
            request.listener().onError(error);
        } finally {
            release();
        }
    }

    public boolean isOver() {
        return failed || unfinished == 0;
    }

    private void release() {
        request.model().release();
    }
}
