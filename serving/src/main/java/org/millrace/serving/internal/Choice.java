package org.millrace.serving.internal;

import java.util.Arrays;
import java.util.Random;
import org.millrace.common.Tokenizer;

/**
 * One generated sequence: its tokens, the text sent so far, and when it stops. Text goes out as soon
 * as it can no longer change: a trailing incomplete UTF-8 character, or a tail that may still grow
 * into a stop sequence, is held back until the next token decides it.
 */
public final class Choice {
    private static final char REPLACEMENT = '\uFFFD';

    private final RequestState owner;
    private final int index;
    private final int[] prompt;
    private final Random random;
    private int[] tokens = new int[16];
    private int count;
    private int sentChars;
    private boolean done;

    Choice(RequestState owner, int index, int[] prompt, Random random) {
        this.owner = owner;
        this.index = index;
        this.prompt = prompt;
        this.random = random;
    }

    public int index() {
        return index;
    }

    public int[] prompt() {
        return prompt;
    }

    public Random random() {
        return random;
    }

    public RequestState owner() {
        return owner;
    }

    /** Whether this choice takes no more tokens (finished, or its request failed or was cancelled). */
    public boolean done() {
        return done || owner.cancelled();
    }

    /** The token to feed next: the last one generated. */
    public int lastToken() {
        return count == 0 ? prompt[prompt.length - 1] : tokens[count - 1];
    }

    /** Takes one sampled token; sends the text it settles and finishes the choice when it should stop. */
    public void accept(int token) {
        if (done()) {
            return;
        }
        owner.countToken();
        Tokenizer tokenizer = owner.request().model().tokenizer();
        if (token == tokenizer.endOfText()) {
            finish(decoded(tokenizer), "stop");
            return;
        }
        if (count == tokens.length) {
            tokens = Arrays.copyOf(tokens, count * 2);
        }
        tokens[count++] = token;
        String text = decoded(tokenizer);
        int stopAt = -1;
        for (String stop : owner.request().stops()) {
            int at = text.indexOf(stop);
            if (at >= 0 && (stopAt < 0 || at < stopAt)) {
                stopAt = at;
            }
        }
        if (stopAt >= 0) {
            finish(text.substring(0, Math.max(stopAt, sentChars)), "stop");
        } else if (count == owner.request().maxTokens()) {
            finish(text, "length");
        } else {
            send(text, settledLength(text));
        }
    }

    private int settledLength(String text) {
        int end = text.length();
        while (end > sentChars && text.charAt(end - 1) == REPLACEMENT && text.length() - end < 3) {
            end--; // possibly the first bytes of a character the next token completes
        }
        int held = 0; // the longest tail that is the start of a stop sequence: it may become one
        for (String stop : owner.request().stops()) {
            for (int k = Math.min(stop.length() - 1, end - sentChars); k > held; k--) {
                if (text.startsWith(stop.substring(0, k), end - k)) {
                    held = k;
                    break;
                }
            }
        }
        return Math.max(end - held, sentChars);
    }

    private void send(String text, int upTo) {
        if (upTo > sentChars) {
            owner.text(this, text.substring(sentChars, upTo));
            sentChars = upTo;
        }
    }

    private void finish(String text, String reason) {
        send(text, text.length());
        done = true;
        owner.finished(this, reason);
    }

    private String decoded(Tokenizer tokenizer) {
        return tokenizer.decode(Arrays.copyOf(tokens, count));
    }
}
