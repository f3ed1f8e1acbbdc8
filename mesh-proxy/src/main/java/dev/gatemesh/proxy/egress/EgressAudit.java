package dev.gatemesh.proxy.egress;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The egress gateway's audit trail: one JSON line per request that reaches it, allowed or refused, on the logger
 * {@value #LOGGER} (route it to its own file or collector with the logging configuration). A field that is not
 * known is written as {@code null}, never left out, so that every line has the same fields.
 */
public final class EgressAudit {

    /** The logger the audit lines go to. */
    public static final String LOGGER = "gatemesh.egress.audit";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private final Clock clock;
    private final String gateway;

    /**
     * @param clock   stamps each line
     * @param gateway this gateway's workload name
     */
    public EgressAudit(Clock clock, String gateway) {
        this.clock = clock;
        this.gateway = gateway;
    }

    /**
     * One egress request.
     *
     * @param sourcePrincipal the caller's verified mesh identity ({@code cluster.local/ns/x/sa/y}), or null when it came
     *                        without mutual TLS
     * @param destinationHost the external host asked for
     * @param bytesReceived   body bytes from the caller
     * @param bytesSent       body bytes back to the caller
     * @param traceId         the W3C trace id the request carries (or was given here)
     */
    public record Entry(String sourcePrincipal, String sourceAddress, String destinationHost, String method, String path,
                        int status, long bytesReceived, long bytesSent, long durationMillis, String traceId,
                        String requestId) {
    }

    public void record(Entry entry) {
        if (log.isInfoEnabled()) {
            log.info(line(clock.instant(), gateway, entry));
        }
    }

    /** The audit line for {@code entry}: a JSON object with a fixed set of fields, in a fixed order. */
    static String line(Instant time, String gateway, Entry entry) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("time", time.toString());
        fields.put("gateway", gateway);
        fields.put("source_principal", entry.sourcePrincipal());
        fields.put("source_address", entry.sourceAddress());
        fields.put("destination_host", entry.destinationHost());
        fields.put("method", entry.method());
        fields.put("path", entry.path());
        fields.put("status", entry.status());
        fields.put("bytes_received", entry.bytesReceived());
        fields.put("bytes_sent", entry.bytesSent());
        fields.put("duration_ms", entry.durationMillis());
        fields.put("trace_id", entry.traceId());
        fields.put("request_id", entry.requestId());
        StringBuilder out = new StringBuilder("{");
        fields.forEach((name, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append('"').append(name).append("\":");
            if (value == null) {
                out.append("null");
            } else if (value instanceof Number) {
                out.append(value);
            } else {
                quote(out, value.toString());
            }
        });
        return out.append('}').toString();
    }

    private static void quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
