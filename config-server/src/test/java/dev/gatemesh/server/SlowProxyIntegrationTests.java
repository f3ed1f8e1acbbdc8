package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.VirtualService;
import dev.gatemesh.api.protocol.ControlMessage;
import dev.gatemesh.api.protocol.ProtocolCodec;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.proxy.controlplane.ControlPlaneClient;
import dev.gatemesh.server.push.SyncState;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A proxy that stops reading its stream must not hold up the others. */
class SlowProxyIntegrationTests {

    @TempDir
    Path folder;
    @TempDir
    Path home;
    private RunningConfigServer server;
    private Socket stalled;

    @BeforeEach
    void start() throws Exception {
        MeshFolder.copyExamples(folder);
        server = new RunningConfigServer(folder, home);
    }

    @AfterEach
    void stop() throws Exception {
        if (stalled != null) {
            stalled.close();
        }
        server.close();
    }

    /** Opens the stream by hand, says hello, and then never reads another byte. */
    private Socket stalledProxy() throws Exception {
        var identity = server.identity(new dev.gatemesh.ca.pki.SpiffeId("cluster.local", "bookinfo", "bookinfo-productpage"),
                java.time.Duration.ofHours(1));
        Socket socket = server.mutualTls(identity).getSocketFactory().createSocket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.port));
        OutputStream out = socket.getOutputStream();
        String key = Base64.getEncoder().encodeToString("gatemesh-testkey".getBytes(StandardCharsets.UTF_8));
        out.write(("GET /v1/stream HTTP/1.1\r\nHost: 127.0.0.1:" + server.port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        var in = socket.getInputStream();
        StringBuilder response = new StringBuilder();
        while (!response.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IllegalStateException("the server closed the stream during the handshake: " + response);
            }
            response.append((char) b);
        }
        assertThat(response.toString()).startsWith("HTTP/1.1 101");
        String hello = ProtocolCodec.encode(new ControlMessage.Hello(new ProxyNode("stalled", ProxyRole.SIDECAR, "bookinfo",
                "bookinfo-productpage", Map.of("app", "productpage", "version", "v1")), null));
        out.write(maskedTextFrame(hello.getBytes(StandardCharsets.UTF_8)));
        out.flush();
        return socket;
    }

    /** A client-to-server text frame (clients must mask). */
    private static byte[] maskedTextFrame(byte[] payload) {
        byte[] mask = {1, 2, 3, 4};
        int header = payload.length < 126 ? 2 : 4;
        byte[] frame = new byte[header + 4 + payload.length];
        frame[0] = (byte) 0x81;
        if (payload.length < 126) {
            frame[1] = (byte) (0x80 | payload.length);
        } else {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (payload.length >> 8);
            frame[3] = (byte) payload.length;
        }
        System.arraycopy(mask, 0, frame, header, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[header + 4 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    @Test
    void aProxyThatStopsReadingDoesNotHoldUpTheOthers() throws Exception {
        stalled = stalledProxy();
        List<ControlPlaneClient> others = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            others.add(server.connect("proxy-" + i, "productpage", snapshot -> { }));
        }
        await().atMost(WAIT).until(() -> server.statuses().size() == 6);

        String previous = "2s";
        for (int i = 1; i <= 30; i++) {
            String written = (i * 1000 + 1) + "ms";
            MeshFolder.replace(folder.resolve("routes.yaml"), "timeout: " + previous, "timeout: " + written);
            previous = written;
            String expected = dev.gatemesh.api.model.IstioDuration.parse(written).text();
            await().atMost(WAIT).until(() -> others.stream().allMatch(c -> c.current().isPresent() && reviewsTimeout(c)
                    .equals(expected)));
        }
        assertThat(server.statuses()).filteredOn(s -> !s.node().id().equals("stalled"))
                .allSatisfy(s -> assertThat(s.state()).isEqualTo(SyncState.SYNCED));
        assertThat(server.statuses()).filteredOn(s -> s.node().id().equals("stalled"))
                .singleElement().satisfies(s -> assertThat(s.state()).isEqualTo(SyncState.STALE));
    }

    private static String reviewsTimeout(ControlPlaneClient client) {
        return client.current().orElseThrow().<VirtualService>ofKind(Kind.VIRTUAL_SERVICE).stream()
                .filter(r -> r.name().equals("reviews")).findFirst().orElseThrow().spec().http().get(1).timeout().text();
    }
}
