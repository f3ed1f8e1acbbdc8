package dev.gatemesh.meshctl.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/** Free loopback ports below the kernel's ephemeral range, so no outgoing connection takes one before it is bound. */
final class TestPorts {

    private static final AtomicInteger NEXT = new AtomicInteger(33000 - 12000 + (int) (ProcessHandle.current().pid() % 600) * 20);

    private TestPorts() {
    }

    static int free() throws IOException {
        for (int i = 0; i < 5000; i++) {
            int port = NEXT.getAndUpdate(p -> p >= 32000 ? 20000 : p + 1);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // the next one
            }
        }
        throw new IOException("no free port between 20000 and 32000");
    }
}
