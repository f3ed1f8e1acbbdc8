package dev.gatemesh.proxy.listener;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The headers that belong to one connection and are never forwarded, both ways (RFC 9110 section 7.6.1): the fixed
 * hop-by-hop set, and every header the message's own {@code Connection} header names (an attacker's
 * {@code Connection: x-forwarded-client-cert} must not strip what the next hop relies on, nor may a nominated header
 * reach it). {@code Host} is set by the forwarder itself.
 */
final class HopByHopHeaders {

    static final Set<String> ALWAYS = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
            "te", "trailer", "upgrade", "proxy-authorization", "proxy-authenticate", "host");

    private HopByHopHeaders() {
    }

    /** Hands every end-to-end header of {@code from} to {@code add}, in order. */
    static void forEachForwarded(HttpHeaders from, BiConsumer<String, String> add) {
        forEachForwarded(from, Set.of(), add);
    }

    /** The same, also leaving out {@code alsoDropped} (lower-case names). */
    static void forEachForwarded(HttpHeaders from, Set<String> alsoDropped, BiConsumer<String, String> add) {
        Set<String> nominated = nominated(from);
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!ALWAYS.contains(name) && !alsoDropped.contains(name) && !nominated.contains(name)) {
                add.accept(header.getKey(), header.getValue());
            }
        }
    }

    /** The names a message's {@code Connection} header lists, lower case (none for the usual close / keep-alive). */
    static Set<String> nominated(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.CONNECTION)) {
            return Set.of();
        }
        Set<String> names = null;
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !ALWAYS.contains(name) && !name.equals("close")) {
                    if (names == null) {
                        names = new HashSet<>();
                    }
                    names.add(name);
                }
            }
        }
        return names == null ? Set.of() : names;
    }
}
