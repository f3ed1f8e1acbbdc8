package dev.gatemesh.proxy.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/** The gateway's rate limits, as its request handler asks them: empty when the request may pass. */
@FunctionalInterface
public interface RateLimitCheck {

    RateLimitCheck NONE = (host, path, clientIp, header, claims) -> Mono.empty();

    /** @return how long the client should wait before trying again, or empty when within the limits */
    Mono<Duration> retryAfter(String host, String path, String clientIp, Function<String, String> header,
                              Map<String, Object> claims);
}
