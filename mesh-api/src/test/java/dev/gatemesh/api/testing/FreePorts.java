package dev.gatemesh.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Free loopback ports for tests, below the kernel's ephemeral range (32768 and up), so that no outgoing connection of
 * the test can take one between the moment it is chosen and the moment a server binds it. Each JVM starts at its own
 * offset (by process id) and walks the range; a port that is taken is skipped. Every module's tests use this one.
 */
public final class FreePorts {

    private static final int FIRST = 20000;
    private static final int LAST = 32000;
    private static final AtomicInteger NEXT = new AtomicInteger(FIRST + (int) (ProcessHandle.current().pid() % 1000) * 10);

    private FreePorts() {
    }

    /** A port nothing listens on now. */
    public static int next() {
        for (int i = 0; i < LAST - FIRST; i++) {
            int port = NEXT.getAndUpdate(p -> p >= LAST ? FIRST : p + 1);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // the next one
            }
        }
        throw new UncheckedIOException(new IOException("no free port between " + FIRST + " and " + LAST));
    }
}
