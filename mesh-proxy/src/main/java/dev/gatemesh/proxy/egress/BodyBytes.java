package dev.gatemesh.proxy.egress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import reactor.netty.NettyPipeline;

/**
 * Counts the body bytes of the request being served on a connection (or HTTP/2 stream) and of its response, for
 * the audit log. It sits behind the HTTP codec, so it sees bodies, not headers or TLS records, and it starts
 * over at each new request and response (HTTP/1.1 serves one request at a time on a connection; HTTP/2 gives each
 * request a channel of its own).
 */
public final class BodyBytes extends ChannelDuplexHandler {

    static final String NAME = "gatemesh.bodyBytes";

    private volatile long received;
    private volatile long sent;

    /** The counter of {@code channel}, installed when first asked for. Call on the channel's event loop. */
    public static BodyBytes on(Channel channel) {
        BodyBytes existing = (BodyBytes) channel.pipeline().get(NAME);
        if (existing != null) {
            return existing;
        }
        BodyBytes counter = new BodyBytes();
        if (channel.pipeline().get(NettyPipeline.ReactiveBridge) != null) {
            channel.pipeline().addBefore(NettyPipeline.ReactiveBridge, NAME, counter);
        } else {
            channel.pipeline().addLast(NAME, counter);
        }
        return counter;
    }

    /** Body bytes received with the current request. */
    public long received() {
        return received;
    }

    /** Body bytes sent with the current response. */
    public long sent() {
        return sent;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            received = 0;
        }
        if (msg instanceof HttpContent content) {
            received += content.content().readableBytes();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse) {
            sent = 0;
        }
        if (msg instanceof ByteBuf buffer) {
            sent += buffer.readableBytes();
        } else if (msg instanceof ByteBufHolder holder) {
            sent += holder.content().readableBytes();
        }
        super.write(ctx, msg, promise);
    }
}
