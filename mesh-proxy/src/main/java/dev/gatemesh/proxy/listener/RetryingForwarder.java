package dev.gatemesh.proxy.listener;

import dev.gatemesh.api.failure.RootCause;
import dev.gatemesh.proxy.retry.PerTryTimeoutException;
import dev.gatemesh.proxy.retry.ReplayableBody;
import dev.gatemesh.proxy.retry.Retrier;
import dev.gatemesh.proxy.route.Cluster;
import dev.gatemesh.proxy.route.Endpoint;
import dev.gatemesh.proxy.route.HeaderOps;
import dev.gatemesh.proxy.route.Route;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@link Forwarder} with the route's retries: each try's response is held until the {@link Retrier} keeps it, and
 * only the kept one is streamed back; a retried one is read and dropped. Failures with no response to send become
 * 503 (cannot connect, peer refused) or 504 (the route's timeout or the last try's per-try timeout).
 */
final class RetryingForwarder {

    /** Where one try goes: the client (plain or mutual TLS), the URL, and the headers for that endpoint. */
    record Target(HttpClient client, String url, Consumer<HttpHeaders> headers) {
    }

    /** A try's response, its body not read yet. */
    private record Held(HttpClientResponse response, Connection connection) {
    }

    /** What the forward needs besides the request; {@code next} picks a retry's endpoint avoiding those tried. */
    /**
     * @param limits the cluster's connection pool limits, which hold the permits for retries ({@code http.maxRetries})
     * @param onTry  told of every try's endpoint and status (a failure to connect or a per-try timeout as 503/504), for
     *               outlier detection
     */
    record Plan(Retrier retrier, Route.RetryPolicy policy, Cluster cluster, Endpoint first, Function<Endpoint, Target> targets,
                Function<Set<Endpoint>, Endpoint> next, dev.gatemesh.proxy.pool.ClusterLimits limits,
                java.util.function.ObjIntConsumer<Endpoint> onTry) {
    }

    private RetryingForwarder() {
    }

    /**
     * @param timeout        the whole request's deadline (the wait {@code before} and every try included), or null
     * @param before         completes when the request may be sent (an injected delay), {@code Mono.empty()} for at once
     * @param onRouteTimeout called when the route's timeout ends the request
     * @param wholeBody      given the request body once it has been read whole (a mirror's copy); not called for a
     *                       body that streams
     */
    static Mono<Void> forward(Plan plan, HttpServerRequest in, HttpServerResponse out, String authority,
                              List<HeaderOps> requestHeaders, List<HeaderOps> responseHeaders, Duration timeout,
                              Mono<Void> before, Consumer<Forwarder.Outcome> onOutcome, Runnable onRouteTimeout,
                              Consumer<byte[]> wholeBody) {
        AtomicBoolean reported = new AtomicBoolean();
        Consumer<Forwarder.Outcome> done = outcome -> {
            if (reported.compareAndSet(false, true)) {
                onOutcome.accept(outcome);
            }
        };
        Mono<Void> exchange = before
                .then(ReplayableBody.read(in.requestHeaders(), in.receive()))
                .doOnNext(body -> {
                    if (body.replayable()) {
                        wholeBody.accept(body.bytes());
                    }
                })
                .flatMap(body -> plan.retrier().execute(plan.policy(), plan.cluster(), "source", body.replayable(),
                        plan.first(), new Retrier.Tries<Held>() {
                            @Override
                            public Mono<Held> send(Endpoint endpoint) {
                                return RetryingForwarder.send(plan.targets().apply(endpoint), in, authority, requestHeaders, body)
                                        .doOnNext(held -> plan.onTry().accept(endpoint, held.response().status().code()))
                                        .doOnError(error -> plan.onTry().accept(endpoint,
                                                error instanceof dev.gatemesh.proxy.retry.PerTryTimeoutException ? 504 : 503));
                            }

                            @Override
                            public Endpoint next(Set<Endpoint> tried) {
                                return plan.next().apply(tried);
                            }

                            @Override
                            public int status(Held held) {
                                return held.response().status().code();
                            }

                            @Override
                            public String header(Held held, String name) {
                                return held.response().responseHeaders().get(name);
                            }

                            @Override
                            public Mono<Void> discard(Held held) {
                                return held.connection().inbound().receive().then();
                            }

                            @Override
                            public boolean tryStartRetry() {
                                return plan.limits().tryAcquireRetry();
                            }

                            @Override
                            public void retryEnded() {
                                plan.limits().releaseRetry();
                            }
                        }))
                .flatMap(held -> commit(held, out, responseHeaders, done));
        if (timeout != null) {
            exchange = exchange.timeout(timeout);
        }
        return exchange.onErrorResume(error -> {
            if (out.hasSentHeaders()) {
                return Mono.error(error); // the response had started: nothing to answer, the connection closes
            }
            int status;
            String reason;
            if (error instanceof TimeoutException) {
                onRouteTimeout.run();
                status = 504;
                reason = "upstream request timeout after " + timeout.toMillis() + " ms";
            } else if (error instanceof PerTryTimeoutException perTry) {
                status = 504;
                reason = perTry.getMessage();
            } else {
                status = 503;
                reason = "upstream connect error or disconnect: " + RootCause.describe(error);
            }
            done.accept(new Forwarder.Outcome(status, reason));
            return Forwarder.refuse(out, status, reason);
        });
    }

    private static Mono<Held> send(Target target, HttpServerRequest in, String authority, List<HeaderOps> requestHeaders,
                                   ReplayableBody body) {
        return target.client()
                .headers(headers -> {
                    HopByHopHeaders.forEachForwarded(in.requestHeaders(), headers::add);
                    headers.set(HttpHeaderNames.HOST, authority);
                    requestHeaders.forEach(ops -> Forwarder.apply(ops, headers));
                    target.headers().accept(headers);
                })
                .request(HttpMethod.valueOf(in.method().name()))
                .uri(target.url())
                .send((request, outbound) -> outbound.send(body.content()))
                .responseConnection((response, connection) -> Mono.just(new Held(response, connection)))
                .next();
    }

    private static Mono<Void> commit(Held held, HttpServerResponse out, List<HeaderOps> responseHeaders,
                                     Consumer<Forwarder.Outcome> done) {
        HttpClientResponse response = held.response();
        out.status(response.status());
        HopByHopHeaders.forEachForwarded(response.responseHeaders(), out::addHeader);
        responseHeaders.forEach(ops -> Forwarder.apply(ops, out.responseHeaders()));
        done.accept(new Forwarder.Outcome(response.status().code(), null));
        var body = held.connection().inbound().receive();
        return (Forwarder.fitsInOneWrite(response.responseHeaders()) ? out.send(body.aggregate().retain())
                : out.send(body.retain())).then();
    }
}
