package dev.gatemesh.proxy.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose client takes longer than the limit to send a request's header section, counted from
 * the first bytes read while a request is awaited (the connection's first bytes, a TLS handshake included, or the
 * first bytes after the previous request). Envoy's {@code request_headers_timeout}: a client dribbling its headers a
 * byte at a time holds a connection for that long at most. It gets 408 when no answer is under way, else is closed.
 * Waiting with no bytes at all is the idle timeout's business.
 */
final class RequestHeadersTimeout extends ChannelDuplexHandler {

    static final String NAME = "gatemesh.requestHeadersTimeout";

    private static final Logger log = LoggerFactory.getLogger(RequestHeadersTimeout.class);

    private final HttpListenerSettings settings;
    private boolean awaitingHeaders = true;
    /** A request ended in the current read: the bytes after it, if any, are not known to exist. */
    private boolean requestEndedInThisRead;
    private boolean responseUnderway;
    private int pendingResponses;
    private ScheduledFuture<?> deadline;
    private boolean expired;

    RequestHeadersTimeout(HttpListenerSettings settings) {
        this.settings = settings;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (expired) {
            // What the decoder makes of the partial request when the connection closes: nothing to answer or log.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof HttpObject)) {
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof HttpRequest) {
            cancel();
            awaitingHeaders = false;
            pendingResponses++;
        }
        if (msg instanceof LastHttpContent) {
            awaitingHeaders = true;
            requestEndedInThisRead = true;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (awaitingHeaders && !requestEndedInThisRead && deadline == null) {
            long nanos = settings.requestHeadersTimeout().toNanos();
            deadline = ctx.executor().schedule(() -> expire(ctx), nanos, TimeUnit.NANOSECONDS);
        }
        requestEndedInThisRead = false;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            responseUnderway = true;
        }
        if (msg instanceof LastHttpContent && responseUnderway) {
            responseUnderway = false;
            pendingResponses--;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof HttpServerUpgradeHandler.UpgradeEvent
                || evt instanceof CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent) {
            ctx.pipeline().remove(this);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    private void expire(ChannelHandlerContext ctx) {
        deadline = null;
        if (!awaitingHeaders || !ctx.channel().isActive()) {
            return;
        }
        expired = true;
        log.debug("Closing {}: no complete request headers within {}", ctx.channel().remoteAddress(),
                settings.requestHeadersTimeout());
        if (pendingResponses > 0) {
            ctx.close();
            return;
        }
        Refusal timeout = new Refusal(408, "request headers not received within " + seconds() + " s");
        ctx.writeAndFlush(Refusals.response(timeout, ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
    }

    private String seconds() {
        return settings.requestHeadersTimeout().toMillis() % 1000 == 0
                ? String.valueOf(settings.requestHeadersTimeout().toSeconds())
                : String.valueOf(settings.requestHeadersTimeout().toMillis() / 1000.0);
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
