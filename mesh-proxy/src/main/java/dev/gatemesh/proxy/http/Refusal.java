package dev.gatemesh.proxy.http;

/**
 * Why a request is answered at the parsing stage, before any lookup: the status and a short reason for the client,
 * which never quotes the request's own bytes.
 */
public record Refusal(int status, String reason) {

    static Refusal badRequest(String reason) {
        return new Refusal(400, reason);
    }
}
