package dev.gatemesh.proxy.listener;

import dev.gatemesh.api.failure.RootCause;
import dev.gatemesh.proxy.route.HeaderOps;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Streams one request to an upstream and its response back: hop-by-hop headers dropped, header
 * operations applied, a timeout when the route sets one. Failures before the response started become
 * 503 (cannot connect, peer refused) or 504 (timeout) with a body that says why.
 */
final class Forwarder {

    /** Bodies up to this size (with a Content-Length) are forwarded whole rather than streamed. */
    static final int WHOLE_BODY_LIMIT = 64 * 1024;

    /** What happened, for metrics and the access log. */
    record Outcome(int status, String detail) {
    }

    private Forwarder() {
    }

    /**
     * @param url             the upstream URL: scheme, address, port, path and query
     * @param authority       the Host to send
     * @param requestHeaders  changes to the request's headers, in order (route, then destination), and extra ones
     * @param responseHeaders changes to the response's headers, in order
     * @param timeout         the whole request's deadline (the wait {@code before} included), or null for none
     * @param before          completes when the request may be sent (an injected delay), {@code Mono.empty()} for at once
     * @param done            called once with the outcome
     */
    static Mono<Void> forward(HttpClient client, HttpServerRequest in, HttpServerResponse out, String url, String authority,
                              List<HeaderOps> requestHeaders, Consumer<HttpHeaders> extraRequestHeaders,
                              List<HeaderOps> responseHeaders, Duration timeout, Mono<Void> before,
                              Consumer<Outcome> onOutcome) {
        return forward(client, in, out, url, authority, requestHeaders, extraRequestHeaders, responseHeaders, timeout,
                before, onOutcome, body -> { });
    }

    /** @param wholeBody given a copy of the request's body when it is read whole (see {@link #fitsInOneWrite}) */
    static Mono<Void> forward(HttpClient client, HttpServerRequest in, HttpServerResponse out, String url, String authority,
                              List<HeaderOps> requestHeaders, Consumer<HttpHeaders> extraRequestHeaders,
                              List<HeaderOps> responseHeaders, Duration timeout, Mono<Void> before,
                              Consumer<Outcome> onOutcome, Consumer<byte[]> wholeBody) {
        java.util.concurrent.atomic.AtomicBoolean reported = new java.util.concurrent.atomic.AtomicBoolean();
        Consumer<Outcome> done = outcome -> {
            if (reported.compareAndSet(false, true)) {
                onOutcome.accept(outcome);
            }
        };
        Mono<Void> exchange = client
                .headers(headers -> {
                    HopByHopHeaders.forEachForwarded(in.requestHeaders(), headers::add);
                    headers.set(HttpHeaderNames.HOST, authority);
                    requestHeaders.forEach(ops -> apply(ops, headers));
                    extraRequestHeaders.accept(headers);
                })
                .request(HttpMethod.valueOf(in.method().name()))
                .uri(url)
                .send((request, body) -> fitsInOneWrite(in.requestHeaders())
                        ? body.send(in.receive().aggregate().retain().defaultIfEmpty(Unpooled.EMPTY_BUFFER)
                                .doOnNext(whole -> wholeBody.accept(io.netty.buffer.ByteBufUtil.getBytes(whole))))
                        : body.send(in.receive().retain()))
                .response((response, body) -> {
                    out.status(response.status());
                    HopByHopHeaders.forEachForwarded(response.responseHeaders(), out::addHeader);
                    responseHeaders.forEach(ops -> apply(ops, out.responseHeaders()));
                    done.accept(new Outcome(response.status().code(), null));
                    return (fitsInOneWrite(response.responseHeaders()) ? out.send(body.aggregate().retain())
                            : out.send(body.retain())).then();
                })
                .then();
        exchange = before.then(exchange);
        if (timeout != null) {
            exchange = exchange.timeout(timeout);
        }
        return exchange.onErrorResume(error -> {
            if (out.hasSentHeaders()) {
                return Mono.error(error); // the response had started: nothing to answer, the connection closes
            }
            boolean timedOut = error instanceof TimeoutException;
            int status = timedOut ? 504 : 503;
            String reason = timedOut ? "upstream request timeout after " + timeout.toMillis() + " ms"
                    : "upstream connect error or disconnect: " + RootCause.describe(error);
            done.accept(new Outcome(status, reason));
            return refuse(out, status, reason);
        });
    }

    /**
     * A message without a body, or with a small one of known length, is read whole and written with its headers
     * in one go: one TLS record and one system call instead of one per part. Larger and chunked ones stream.
     */
    /** The headers sent upstream for {@code in}'s: hop-by-hop ones dropped, then the changes in order (Host excepted). */
    static HttpHeaders forwardedHeaders(HttpHeaders in, List<HeaderOps> changes, Consumer<HttpHeaders> extra) {
        HttpHeaders headers = new io.netty.handler.codec.http.DefaultHttpHeaders();
        HopByHopHeaders.forEachForwarded(in, headers::add);
        changes.forEach(ops -> apply(ops, headers));
        extra.accept(headers);
        return headers;
    }

    static boolean fitsInOneWrite(HttpHeaders headers) {
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length == null) {
            return !headers.contains(HttpHeaderNames.TRANSFER_ENCODING);
        }
        try {
            long bytes = Long.parseLong(length.trim());
            return bytes >= 0 && bytes <= WHOLE_BODY_LIMIT;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static Mono<Void> refuse(HttpServerResponse out, int status, String reason) {
        return respond(out, status, reason + "\n");
    }

    /** Answers with {@code text} as a plain-text body. */
    static Mono<Void> respond(HttpServerResponse out, int status, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        return out.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(body.length))
                .sendByteArray(Mono.just(body)).then();
    }

    static void apply(HeaderOps ops, HttpHeaders headers) {
        ops.remove().forEach(headers::remove);
        ops.set().forEach(headers::set);
        ops.add().forEach(headers::add);
    }
}
