package dev.gatemesh.proxy.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The answers of the parsing stage: a short plain-text reason (never the request's own bytes, which may be
 * anything) and {@code Connection: close}, the connection being closed after it.
 */
final class Refusals {

    private Refusals() {
    }

    /** What to tell the client about a request Netty's decoder could not read. */
    static Refusal ofDecoderFailure(Throwable failure, HttpListenerSettings settings) {
        Throwable cause = failure.getCause() != null && !(failure instanceof TooLongFrameException) ? failure.getCause() : failure;
        if (cause instanceof RefusedRequestException refused) {
            return refused.refusal();
        }
        if (cause instanceof TooLongHttpLineException) {
            return new Refusal(414, "request line longer than " + settings.maxInitialLineLength() + " bytes");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new Refusal(431, "request header section larger than " + settings.maxHeaderSize() + " bytes");
        }
        String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("content-length")) {
            return Refusal.badRequest("invalid or conflicting Content-Length");
        }
        if (message.contains("transfer-encoding") || message.contains("chunk")) {
            return Refusal.badRequest("invalid Transfer-Encoding or chunked body");
        }
        if (message.contains("header name")) {
            return Refusal.badRequest("invalid header field name");
        }
        if (message.contains("header value")) {
            return Refusal.badRequest("invalid header field value");
        }
        if (message.contains("version")) {
            return Refusal.badRequest("invalid HTTP version");
        }
        return Refusal.badRequest("malformed request line or header field");
    }

    static FullHttpResponse response(Refusal refusal, ByteBufAllocator allocator) {
        byte[] body = (refusal.reason() + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(refusal.status()),
                allocator.buffer(body.length).writeBytes(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }
}
