package dev.gatemesh.server.tls;

import dev.gatemesh.ca.TrustBundle;
import dev.gatemesh.ca.identity.SpiffeTrustManager;
import dev.gatemesh.ca.identity.WorkloadKeyManager;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.time.Clock;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Serves the config server's port over TLS with its own rotating certificate. A client certificate is
 * optional at the handshake (a proxy asking for its first certificate has none yet) but, when presented,
 * must verify against the mesh's trust bundle; the control-plane stream then insists on one.
 *
 * <p>Applied as a factory customizer of this context only, so the management port (a child context)
 * stays plain and separate.
 */
public final class MeshTlsCustomizer implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

    private final SslContext context;

    public MeshTlsCustomizer(ServingCertificate serving, Supplier<TrustBundle> bundle, String trustDomain, Clock clock) {
        try {
            this.context = SslContextBuilder.forServer(new WorkloadKeyManager(serving::current))
                    .trustManager(new SpiffeTrustManager(bundle, trustDomain, peer -> true, clock))
                    .clientAuth(ClientAuth.OPTIONAL)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the config server's TLS context: " + e.getMessage(), e);
        }
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        factory.addServerCustomizers(server -> server.secure(spec -> spec.sslContext(context)));
    }
}
