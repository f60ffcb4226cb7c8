package org.millrace.serving.internal;

/**
 * Drops the space a chat answer starts with ({@code "Assistant:"} is followed by {@code " Hello"}), per
 * choice, whether the text comes whole or in pieces.
 */
final class ChatText {
    private final boolean[] started;

    ChatText(int choices) {
        started = new boolean[choices];
    }

    String piece(int choice, String text) {
        if (started[choice]) {
            return text;
        }
        String s = text.stripLeading();
        if (!s.isEmpty()) {
            started[choice] = true;
        }
        return s;
    }
}
