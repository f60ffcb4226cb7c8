package org.millrace.ops.broker.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Asks the OS for ports that are free on 127.0.0.1 right now (the broker binds them a moment later). */
public final class FreePorts {

    private FreePorts() {
    }

    /** Two distinct free ports: PLAINTEXT and CONTROLLER. */
    public static int[] pair() {
        try (ServerSocket first = open(); ServerSocket second = open()) {
            return new int[] {first.getLocalPort(), second.getLocalPort()};
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free ports on 127.0.0.1 for the broker", e);
        }
    }

    private static ServerSocket open() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }
}
