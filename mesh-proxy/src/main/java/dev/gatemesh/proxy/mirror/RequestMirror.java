package dev.gatemesh.proxy.mirror;

import dev.gatemesh.proxy.route.Cluster;
import dev.gatemesh.proxy.route.Endpoint;
import dev.gatemesh.proxy.route.EndpointPicker;
import dev.gatemesh.proxy.route.Mirror;
import dev.gatemesh.proxy.route.RequestView;
import dev.gatemesh.proxy.route.Route;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Envoy's request mirroring (shadowing) for a route with a {@link Mirror}: a drawn share of its requests is copied,
 * fire and forget, to an endpoint of the mirror's cluster, over the same path as any request there (mutual TLS to
 * the endpoint's sidecar), with {@link ShadowAuthority the Host suffixed {@code -shadow}}. The caller never waits for
 * the copy: its response is discarded, its failures and its latency are only counted ({@link MirrorMetrics}).
 *
 * <p>Limits, so that mirroring cannot hurt the caller or the proxy: only a request whose body the proxy reads whole
 * anyway (none, or one of known length up to 64 KiB) is copied, once that body has been read; a streamed body and a
 * WebSocket upgrade are skipped. At most {@code maxInFlight} copies are outstanding; beyond that, copies are skipped.
 * A copy is given the route's timeout, capped at {@code maxTimeout} (which applies alone when the route has none).
 */
public final class RequestMirror {

    private static final Logger log = LoggerFactory.getLogger(RequestMirror.class);

    public static final int DEFAULT_MAX_IN_FLIGHT = 100;
    public static final Duration DEFAULT_MAX_TIMEOUT = Duration.ofSeconds(15);

    /** Nothing to do with the body: the request is not mirrored, or its copy has already been sent. */
    public static final Consumer<byte[]> NOT_MIRRORED = body -> { };

    /** How the proxy reaches one endpoint of a cluster: the same client, origin and headers as for any request there. */
    public record Upstream(HttpClient client, String origin, Consumer<HttpHeaders> headers) {
    }

    /** Gives the {@link Upstream} of an endpoint: the dispatcher's own connection pools and TLS. */
    @FunctionalInterface
    public interface Upstreams {
        Upstream of(Cluster cluster, Endpoint endpoint);
    }

    /**
     * The request to copy, as it is forwarded: method, path after rewrites, Host (before the {@code -shadow} suffix)
     * and headers after the route's changes (hop-by-hop ones already dropped).
     */
    public record Copy(HttpMethod method, String pathAndQuery, String authority, HttpHeaders headers) {
    }

    private final MirrorSampler sampler;
    private final EndpointPicker picker;
    private final MirrorMetrics metrics;
    private final String reporter;
    private final Semaphore inFlight;
    private final Duration maxTimeout;

    public RequestMirror(MirrorSampler sampler, EndpointPicker picker, MirrorMetrics metrics, String reporter,
                         int maxInFlight, Duration maxTimeout) {
        if (maxInFlight < 1 || maxTimeout.isNegative() || maxTimeout.isZero()) {
            throw new IllegalArgumentException("maxInFlight must be at least 1 and maxTimeout positive (got "
                    + maxInFlight + ", " + maxTimeout + ")");
        }
        this.sampler = sampler;
        this.picker = picker;
        this.metrics = metrics;
        this.reporter = reporter;
        this.inFlight = new Semaphore(maxInFlight);
        this.maxTimeout = maxTimeout;
    }

    /**
     * Starts mirroring one request the route matched, if the route has a mirror and the draw says so. A request
     * without a body is copied at once; for one with a body, the returned consumer takes the body once the proxy has
     * read it (for the caller's request) and sends the copy then.
     *
     * @param copyOf     the request as it is forwarded (called only when it is mirrored)
     * @param replayable whether the proxy reads the body whole before sending it (false: streamed, or an upgrade)
     * @return where the whole body goes; {@link #NOT_MIRRORED} when there is nothing more to do
     */
    public Consumer<byte[]> start(Route route, RequestView request, Supplier<Copy> copyOf, boolean replayable,
                                  Upstreams upstreams) {
        Mirror mirror = route.mirror();
        if (mirror == null || !sampler.sample(mirror.percentage())) {
            return NOT_MIRRORED;
        }
        if (!replayable) {
            metrics.count(reporter, mirror.host(), MirrorMetrics.Result.SKIPPED);
            return NOT_MIRRORED;
        }
        Copy copy = copyOf.get();
        Duration timeout = route.timeout() == null || route.timeout().compareTo(maxTimeout) > 0 ? maxTimeout : route.timeout();
        if (!hasBody(copy.headers())) {
            send(mirror, request, copy, new byte[0], timeout, upstreams);
            return NOT_MIRRORED;
        }
        AtomicBoolean sent = new AtomicBoolean();
        return body -> {
            if (sent.compareAndSet(false, true)) {
                send(mirror, request, copy, body, timeout, upstreams);
            }
        };
    }

    private static boolean hasBody(HttpHeaders headers) {
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        return length == null ? headers.contains(HttpHeaderNames.TRANSFER_ENCODING) : !length.trim().equals("0");
    }

    private void send(Mirror mirror, RequestView request, Copy copy, byte[] body, Duration timeout, Upstreams upstreams) {
        Cluster cluster = mirror.clusterFor(request.port());
        Endpoint endpoint = cluster == null ? null : picker.pick(cluster, request);
        if (endpoint == null) {
            log.debug("Mirror {} has no healthy endpoint for port {}", mirror.host(), request.port());
            metrics.count(reporter, mirror.host(), MirrorMetrics.Result.FAILED);
            return;
        }
        if (!inFlight.tryAcquire()) {
            metrics.count(reporter, mirror.host(), MirrorMetrics.Result.SKIPPED);
            return;
        }
        Upstream upstream = upstreams.of(cluster, endpoint);
        String shadow = ShadowAuthority.of(copy.authority());
        upstream.client()
                .headers(headers -> {
                    headers.set(copy.headers());
                    headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
                    headers.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
                    upstream.headers().accept(headers);
                    headers.set(HttpHeaderNames.HOST, shadow);
                })
                .request(copy.method())
                .uri(upstream.origin() + copy.pathAndQuery())
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                .response((response, content) -> content.then(Mono.just(response.status().code())))
                .next()
                .timeout(timeout)
                .map(status -> status < 500 ? MirrorMetrics.Result.SENT : MirrorMetrics.Result.FAILED)
                .onErrorResume(error -> {
                    log.debug("Mirror copy to {} failed: {}", shadow, error.toString());
                    return Mono.just(MirrorMetrics.Result.FAILED);
                })
                .defaultIfEmpty(MirrorMetrics.Result.FAILED)
                .doFinally(signal -> inFlight.release())
                .subscribe(result -> metrics.count(reporter, mirror.host(), result));
    }
}
