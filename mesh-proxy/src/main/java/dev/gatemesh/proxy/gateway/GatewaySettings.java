package dev.gatemesh.proxy.gateway;

/**
 * What a gateway needs besides a sidecar's settings.
 *
 * @param host        the address its ports listen on ({@code 0.0.0.0} in a pod; loopback in local mode)
 * @param credentials where the servers' {@code credentialName}s are found
 * @param rateLimits  the rate limits applied after authentication
 */
public record GatewaySettings(String host, CredentialSource credentials, RateLimitCheck rateLimits) {
}
