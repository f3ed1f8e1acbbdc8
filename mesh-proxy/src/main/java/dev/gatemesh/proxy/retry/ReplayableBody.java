package dev.gatemesh.proxy.retry;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;

/**
 * A request body kept so that a retry can send it again. Only a body of known length up to {@link #LIMIT} (or none)
 * is kept; a larger or chunked one streams through once, and such a request is never retried: part of it may have
 * reached the upstream already and it cannot be sent again.
 */
public final class ReplayableBody {

    /** The largest request body kept for retries: 64 KiB, as Envoy's default buffer limit. */
    public static final int LIMIT = 64 * 1024;

    private final byte[] bytes;
    private final ByteBufFlux streamed;

    private ReplayableBody(byte[] bytes, ByteBufFlux streamed) {
        this.bytes = bytes;
        this.streamed = streamed;
    }

    /** Reads a body that fits the limit whole; leaves a larger or chunked one to stream. */
    public static Mono<ReplayableBody> read(HttpHeaders headers, ByteBufFlux body) {
        if (!fits(headers)) {
            return Mono.just(new ReplayableBody(null, body));
        }
        return body.aggregate().asByteArray().defaultIfEmpty(new byte[0]).map(bytes -> new ReplayableBody(bytes, null));
    }

    /** A body with no Content-Length and no Transfer-Encoding is empty; one with a length up to the limit fits. */
    static boolean fits(HttpHeaders headers) {
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length == null) {
            return !headers.contains(HttpHeaderNames.TRANSFER_ENCODING);
        }
        try {
            long bytes = Long.parseLong(length.trim());
            return bytes >= 0 && bytes <= LIMIT;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public boolean replayable() {
        return bytes != null;
    }

    /** The kept bytes (shared, not to be changed), or null for a body that streams. */
    public byte[] bytes() {
        return bytes;
    }

    /** The body for one try: the kept bytes again, or the stream (which only one try may take). */
    public Publisher<ByteBuf> content() {
        return bytes != null ? Mono.fromSupplier(() -> Unpooled.wrappedBuffer(bytes)) : streamed.retain();
    }
}
