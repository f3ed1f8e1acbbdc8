package dev.gatemesh.proxy.gateway;

import dev.gatemesh.proxy.credentials.CredentialSource;
import dev.gatemesh.proxy.http.ConnectRequests;
import dev.gatemesh.proxy.http.ListenerServers;
import dev.gatemesh.proxy.route.GatewayListener;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.tcp.SslProvider;

/**
 * One listening port of a gateway. Plain text (HTTP/1.1, and HTTP/2 with prior knowledge) or TLS with the
 * certificate chosen per server name (HTTP/2 and HTTP/1.1 by ALPN). Its Gateway servers and routes are
 * replaced in place with each snapshot; only a switch between plain text and TLS rebinds the port.
 */
final class GatewayPort implements AutoCloseable {

    private final AtomicReference<GatewayListener> listener;
    private final boolean secure;
    private final DisposableServer server;

    private GatewayPort(AtomicReference<GatewayListener> listener, boolean secure, DisposableServer server) {
        this.listener = listener;
        this.secure = secure;
        this.server = server;
    }

    static GatewayPort open(GatewayListener initial, String host, GatewayRequestHandler handler, CredentialSource credentials,
                            KeyManager placeholderKeys, java.util.function.Supplier<SslProvider> istioMutual,
                            io.netty.handler.ssl.SslProvider tlsProvider, ListenerServers servers,
                            Clock clock) {
        AtomicReference<GatewayListener> listener = new AtomicReference<>(initial);
        boolean secure = GatewayTls.terminatesTls(initial);
        int port = initial.port();
        // The handler refuses CONNECT itself (403), so that the egress audit records it.
        HttpServer server = servers.create(ConnectRequests.REFUSED_BY_HANDLER).host(host).port(port)
                .handle((in, out) -> handler.handle(port, secure, in, out));
        if (secure) {
            GatewayTls tls = new GatewayTls(listener::get, credentials, istioMutual, true, tlsProvider, clock);
            server = server.protocol(HttpProtocol.H2, HttpProtocol.HTTP11)
                    .secure(SslProvider.builder().sslContext(GatewayTls.placeholder(placeholderKeys))
                            .setSniAsyncMappings(tls).build());
        } else {
            server = server.protocol(HttpProtocol.HTTP11, HttpProtocol.H2C);
        }
        return new GatewayPort(listener, secure, server.bindNow());
    }

    /** Whether the new configuration of this port can be served without rebinding it. */
    boolean accepts(GatewayListener next) {
        return GatewayTls.terminatesTls(next) == secure;
    }

    void update(GatewayListener next) {
        listener.set(next);
    }

    int boundPort() {
        return server.port();
    }

    boolean secure() {
        return secure;
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
