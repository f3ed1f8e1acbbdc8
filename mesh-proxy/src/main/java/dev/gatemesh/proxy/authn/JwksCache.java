package dev.gatemesh.proxy.authn;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import reactor.netty.http.client.HttpClient;

/**
 * The fetched key sets of a proxy, by JWKS URI: they outlive the snapshots that name them, so that a new
 * configuration does not fetch every issuer's keys again.
 */
public final class JwksCache {

    private final HttpClient http;
    private final Clock clock;
    private final ConcurrentMap<String, JwksSource> sources = new ConcurrentHashMap<>();

    public JwksCache(HttpClient http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    JwksSource remote(String uri, Duration timeout) {
        return sources.computeIfAbsent(uri + " " + timeout.toMillis(), key -> JwksSource.remote(uri, http, timeout, clock));
    }

    Clock clock() {
        return clock;
    }
}
