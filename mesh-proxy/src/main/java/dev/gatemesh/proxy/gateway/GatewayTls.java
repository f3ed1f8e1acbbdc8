package dev.gatemesh.proxy.gateway;

import dev.gatemesh.proxy.credentials.TlsCredential;
import dev.gatemesh.proxy.credentials.CredentialSource;
import dev.gatemesh.api.failure.RootCause;
import dev.gatemesh.proxy.route.GatewayListener;
import dev.gatemesh.proxy.route.GatewayServer;
import dev.gatemesh.ca.pki.Pem;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.AsyncMapping;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.tcp.SslProvider;

/**
 * TLS termination for one gateway port: the server name a client asks for (SNI) picks the Gateway server,
 * and with it the credential, the mode (SIMPLE, or MUTUAL with the credential's client CAs) and the protocol
 * versions. It is looked up at every handshake, so a rotated credential or a changed Gateway applies to new
 * connections while open ones keep theirs. A server whose credential is missing or unusable refuses the
 * handshake (fails closed) and says why in the log. Without SNI, the port's first TLS server answers.
 */
final class GatewayTls implements AsyncMapping<String, SslProvider> {

    private static final Logger log = LoggerFactory.getLogger(GatewayTls.class);
    private static final List<String> VERSIONS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private final Supplier<GatewayListener> listener;
    private final CredentialSource credentials;
    private final Supplier<SslProvider> istioMutual;
    private final boolean http2;
    private final io.netty.handler.ssl.SslProvider tlsProvider;
    private final Clock clock;
    private final Map<String, Built> built = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastComplaint = new ConcurrentHashMap<>();

    /** A context made for one server's settings and one version of its credential. */
    private record Built(String key, SslProvider provider) {
    }

    GatewayTls(Supplier<GatewayListener> listener, CredentialSource credentials, Supplier<SslProvider> istioMutual,
               boolean http2, io.netty.handler.ssl.SslProvider tlsProvider, Clock clock) {
        this.istioMutual = istioMutual;
        this.listener = listener;
        this.credentials = credentials;
        this.http2 = http2;
        this.tlsProvider = tlsProvider;
        this.clock = clock;
    }

    /** Whether any server on the port terminates TLS (the others only redirect to https, or are plain). */
    static boolean terminatesTls(GatewayListener listener) {
        return listener.servers().stream().anyMatch(GatewayTls::terminates);
    }

    private static boolean terminates(GatewayServer server) {
        return server.tls() != null && server.tls().mode() != null;
    }

    @Override
    public io.netty.util.concurrent.Future<SslProvider> map(String serverName, io.netty.util.concurrent.Promise<SslProvider> promise) {
        try {
            return promise.setSuccess(providerFor(serverName));
        } catch (RuntimeException refused) {
            return promise.setFailure(refused);
        }
    }

    /** The provider for a handshake asking for {@code serverName} (null without SNI). */
    SslProvider providerFor(String serverName) {
        GatewayListener current = listener.get();
        GatewayServer server = serverName == null ? null : current.serverFor(serverName);
        if (serverName == null) {
            server = current.servers().stream().filter(GatewayTls::terminates).findFirst().orElse(null);
        }
        if (server == null || !terminates(server)) {
            throw refuse("port " + current.port(), "no Gateway server on port " + current.port() + " terminates TLS for "
                    + (serverName == null ? "a client that sends no server name" : "the server name " + serverName));
        }
        GatewayServer.Tls tls = server.tls();
        String where = server.gateway() + " server " + (server.name() != null ? server.name() : "port " + server.port());
        if (tls.mode().equals("ISTIO_MUTUAL")) {
            return istioMutual.get(); // the gateway's mesh certificate; a client certificate of this mesh required
        }
        if (!tls.mode().equals("SIMPLE") && !tls.mode().equals("MUTUAL") && !tls.mode().equals("OPTIONAL_MUTUAL")) {
            throw refuse(where, where + ": tls.mode " + tls.mode() + " is not supported by Gatemesh gateways (SIMPLE, MUTUAL, "
                    + "OPTIONAL_MUTUAL, ISTIO_MUTUAL)");
        }
        if (tls.credentialName() == null || tls.credentialName().isBlank()) {
            throw refuse(where, where + ": tls.credentialName is required for mode " + tls.mode());
        }
        TlsCredential credential = credentials.get(tls.credentialName());
        if (credential == null) {
            throw refuse(where, where + ": the credential " + tls.credentialName() + " does not exist in "
                    + credentials.describe() + " (expected tls.crt and tls.key" + (tls.mode().equals("SIMPLE") ? "" : ", and ca.crt")
                    + ")");
        }
        boolean clientCertificates = !tls.mode().equals("SIMPLE");
        if (clientCertificates && credential.caCertificatesPem() == null) {
            throw refuse(where, where + ": tls.mode " + tls.mode() + " needs the client CAs: ca.crt in the credential "
                    + tls.credentialName() + " (or a " + tls.credentialName() + "-cacert credential), in " + credentials.describe());
        }
        String key = credential.version() + "|" + tls.mode() + "|" + tls.minVersion() + "|" + tls.maxVersion();
        Built known = built.get(tls.credentialName());
        if (known != null && known.key().equals(key)) {
            return known.provider();
        }
        SslProvider provider = build(credential, tls, where);
        built.put(tls.credentialName(), new Built(key, provider));
        return provider;
    }

    private SslProvider build(TlsCredential credential, GatewayServer.Tls tls, String where) {
        List<String> protocols = protocols(tls, where);
        ClientAuth clientAuth = tls.mode().equals("MUTUAL") ? ClientAuth.REQUIRE
                : tls.mode().equals("OPTIONAL_MUTUAL") ? ClientAuth.OPTIONAL : ClientAuth.NONE;
        try {
            // Parsed by mesh-ca's PEM reader: PKCS#8, PKCS#1 and SEC1 keys alike.
            java.security.PrivateKey key = Pem.privateKey(credential.privateKeyPem());
            X509Certificate[] chain = Pem.certificates(credential.certificateChainPem()).toArray(X509Certificate[]::new);
            X509Certificate[] clientCas = clientAuth == ClientAuth.NONE ? null
                    : Pem.certificates(credential.caCertificatesPem()).toArray(X509Certificate[]::new);
            java.util.function.Consumer<SslContextBuilder> settings = builder -> {
                // Set even for the JDK: reactor-netty's HTTP/2 spec would otherwise pick OpenSSL whenever it is present.
                builder.sslProvider(tlsProvider).protocols(protocols).clientAuth(clientAuth);
                if (clientCas != null) {
                    builder.trustManager(clientCas);
                }
            };
            return SslProvider.builder().sslContext(http2 ? Http2SslContextSpec.forServer(key, chain).configure(settings)
                    : Http11SslContextSpec.forServer(key, chain).configure(settings)).build();
        } catch (RuntimeException e) {
            // The message of a PEM parse failure never contains the key itself.
            throw refuse(where, where + ": the credential " + credential.name() + " in " + credentials.describe()
                    + " is not usable: " + RootCause.describe(e));
        }
    }

    private static List<String> protocols(GatewayServer.Tls tls, String where) {
        int min = tls.minVersion() == null || tls.minVersion().equals("TLS_AUTO") ? 2 : index(tls.minVersion());
        int max = tls.maxVersion() == null || tls.maxVersion().equals("TLS_AUTO") ? 3 : index(tls.maxVersion());
        if (min < 0 || max < 0 || min > max) {
            throw new GatewayTlsRefused(where + ": minProtocolVersion " + tls.minVersion() + " and maxProtocolVersion "
                    + tls.maxVersion() + " leave no TLS version (expected TLSV1_0..TLSV1_3, min <= max)");
        }
        return new ArrayList<>(VERSIONS.subList(min, max + 1));
    }

    private static int index(String istioVersion) {
        return switch (istioVersion) {
            case "TLSV1_0" -> 0;
            case "TLSV1_1" -> 1;
            case "TLSV1_2" -> 2;
            case "TLSV1_3" -> 3;
            default -> -1;
        };
    }

    /** A refused handshake, logged at most once a minute per server so that a flood of clients does not flood the log. */
    private GatewayTlsRefused refuse(String where, String reason) {
        Instant now = clock.instant();
        Instant last = lastComplaint.get(where + reason);
        if (last == null || Duration.between(last, now).compareTo(Duration.ofMinutes(1)) >= 0) {
            lastComplaint.put(where + reason, now);
            log.error("TLS handshake refused: {}", reason);
        }
        return new GatewayTlsRefused(reason);
    }


    /** Why a handshake was refused. */
    static final class GatewayTlsRefused extends RuntimeException {
        GatewayTlsRefused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A stand-in context for the port's default (every handshake goes through {@link #map}). */
    static SslContext placeholder(javax.net.ssl.KeyManager keys) {
        try {
            return SslContextBuilder.forServer(keys).sslProvider(io.netty.handler.ssl.SslProvider.JDK).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the gateway's default TLS context: " + e.getMessage(), e);
        }
    }
}
