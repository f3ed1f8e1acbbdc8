package dev.gatemesh.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * Creates the HTTP server of every proxy listener (the sidecar's outbound and inbound ones, each gateway port), so
 * that all parse requests alike before any routing: RFC 9112's request-line and Host rules
 * ({@link RequestRules}), the request-line and header-size limits, the request-headers timeout and the keep-alive
 * idle timeout of {@link HttpListenerSettings}. Listeners add their address, TLS, protocols and handler.
 */
public final class ListenerServers {

    private final LoopResources loops;
    private final HttpListenerSettings settings;

    public ListenerServers(LoopResources loops, HttpListenerSettings settings) {
        this.loops = loops;
        this.settings = settings;
    }

    public HttpListenerSettings settings() {
        return settings;
    }

    /** An HTTP server on the proxy's event loops with the parsing rules and limits in force. */
    public HttpServer create(ConnectRequests connect) {
        return HttpServer.create().runOn(loops)
                .idleTimeout(settings.idleTimeout())
                .httpRequestDecoder(decoder -> decoder.maxInitialLineLength(settings.maxInitialLineLength())
                        .maxHeaderSize(settings.maxHeaderSize()).validateHeaders(true))
                .doOnChannelInit((observer, channel, remote) -> install(channel, connect));
    }

    private void install(Channel channel, ConnectRequests connect) {
        if (channel instanceof Http2StreamChannel) {
            return;
        }
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null) {
            addBeforeTrafficHandler(pipeline, connect);
        } else if (pipeline.get(NettyPipeline.ReactiveBridge) != null) {
            // TLS with ALPN: the HTTP/1.1 handlers only exist once the handshake chose the protocol.
            pipeline.addBefore(NettyPipeline.ReactiveBridge, "gatemesh.http1Screens", new AfterNegotiation(connect));
        }
    }

    private void addBeforeTrafficHandler(ChannelPipeline pipeline, ConnectRequests connect) {
        pipeline.addBefore(NettyPipeline.HttpTrafficHandler, RequestHeadersTimeout.NAME, new RequestHeadersTimeout(settings))
                .addBefore(NettyPipeline.HttpTrafficHandler, RequestScreen.NAME, new RequestScreen(settings, connect));
    }

    /** Adds the screens when the TLS handshake settled on HTTP/1.1 (HTTP/2's codec checks requests itself). */
    private final class AfterNegotiation extends ChannelInboundHandlerAdapter {

        private final ConnectRequests connect;

        AfterNegotiation(ConnectRequests connect) {
            this.connect = connect;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent) {
                ChannelPipeline pipeline = ctx.pipeline();
                pipeline.remove(this);
                if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null) {
                    addBeforeTrafficHandler(pipeline, connect);
                }
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
