package dev.gatemesh.proxy.gateway;

import dev.gatemesh.proxy.credentials.CredentialSource;
import io.netty.handler.ssl.SslProvider;

/**
 * What a gateway needs besides a sidecar's settings.
 *
 * @param host        the address its ports listen on ({@code 0.0.0.0} in a pod; loopback in local mode)
 * @param credentials where the servers' {@code credentialName}s are found
 * @param rateLimits  the rate limits applied after authentication
 * @param tlsProvider the TLS implementation that terminates the Gateway servers' TLS: the JDK's, or OpenSSL
 *                    (BoringSSL through netty-tcnative, when it is on the class path)
 */
public record GatewaySettings(String host, CredentialSource credentials, RateLimitCheck rateLimits, SslProvider tlsProvider) {

    public GatewaySettings {
        tlsProvider = tlsProvider != null ? tlsProvider : SslProvider.JDK;
    }

    /** Terminating TLS with the JDK's implementation. */
    public GatewaySettings(String host, CredentialSource credentials, RateLimitCheck rateLimits) {
        this(host, credentials, rateLimits, SslProvider.JDK);
    }
}
