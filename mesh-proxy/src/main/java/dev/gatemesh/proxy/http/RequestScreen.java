package dev.gatemesh.proxy.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits between Netty's HTTP/1.1 decoder and reactor-netty's request handling and refuses, before any handler runs,
 * requests that break {@link RequestRules}. A refused request is marked failed rather than answered here, so that
 * reactor-netty answers it in its turn after earlier pipelined requests and closes the connection; on its way out that
 * empty answer is replaced by one that says what was wrong (as is the answer to a request Netty could not decode).
 */
final class RequestScreen extends ChannelDuplexHandler {

    static final String NAME = "gatemesh.requestScreen";

    private static final Logger log = LoggerFactory.getLogger(RequestScreen.class);

    private final HttpListenerSettings settings;
    private final ConnectRequests connect;
    /** Refusals by the number of the request (and so of the response) on this connection. */
    private final Map<Long, Refusal> refusals = new HashMap<>();
    private long requests;
    private long responses;

    RequestScreen(HttpListenerSettings settings, ConnectRequests connect) {
        this.settings = settings;
        this.connect = connect;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject)) {
            // The connection was upgraded to HTTP/2, whose codec checks requests itself.
            ctx.pipeline().remove(this);
        } else if (msg instanceof HttpRequest request) {
            requests++;
            Refusal refusal = request.decoderResult().isFailure()
                    ? Refusals.ofDecoderFailure(request.decoderResult().cause(), settings)
                    : RequestRules.check(request, connect);
            if (refusal != null) {
                refusals.put(requests, refusal);
                if (request.decoderResult().isSuccess()) {
                    request.setDecoderResult(DecoderResult.failure(new RefusedRequestException(refusal)));
                }
                log.debug("Refusing request {} from {}: {} {}", requests, ctx.channel().remoteAddress(), refusal.status(),
                        refusal.reason());
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            Refusal refusal = refusals.remove(++responses);
            if (refusal != null) {
                ReferenceCountUtil.release(msg);
                ctx.write(Refusals.response(refusal, ctx.alloc()), promise);
                return;
            }
        }
        ctx.write(msg, promise);
    }
}
