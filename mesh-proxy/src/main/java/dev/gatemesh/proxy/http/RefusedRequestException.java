package dev.gatemesh.proxy.http;

import io.netty.handler.codec.DecoderException;

/**
 * Marks a decoded request as failed, so that reactor-netty answers it in its turn among pipelined requests and then
 * closes the connection, exactly as it does for requests Netty's decoder could not read.
 */
final class RefusedRequestException extends DecoderException {

    private final transient Refusal refusal;

    RefusedRequestException(Refusal refusal) {
        super(refusal.reason());
        this.refusal = refusal;
    }

    Refusal refusal() {
        return refusal;
    }
}
