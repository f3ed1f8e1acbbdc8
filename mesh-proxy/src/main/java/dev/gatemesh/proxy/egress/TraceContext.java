package dev.gatemesh.proxy.egress;

import java.util.HexFormat;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The trace a request belongs to, as W3C Trace Context ({@code traceparent}) or B3 ({@code x-b3-traceid}) carry it;
 * a request that carries none gets a new {@code traceparent} here, so that every audited egress call can be found
 * in the traces of the external call it made.
 */
public final class TraceContext {

    private TraceContext() {
    }

    /** The trace id of the request's headers, or null when it carries none (or a malformed one). */
    public static String traceIdOf(Function<String, String> headers) {
        String traceparent = headers.apply("traceparent");
        if (traceparent != null) {
            String[] parts = traceparent.trim().split("-");
            if (parts.length >= 4 && parts[1].length() == 32 && isHex(parts[1]) && !parts[1].equals("0".repeat(32))) {
                return parts[1];
            }
        }
        String b3 = headers.apply("x-b3-traceid");
        if (b3 != null && (b3.length() == 32 || b3.length() == 16) && isHex(b3)) {
            return b3.length() == 32 ? b3 : "0".repeat(16) + b3;
        }
        return null;
    }

    /** A new sampled {@code traceparent} with a random trace and span id. */
    public static String newTraceparent(RandomGenerator random) {
        HexFormat hex = HexFormat.of();
        long high = random.nextLong();
        long low = random.nextLong() | 1L; // never all zero
        return "00-" + hex.toHexDigits(high) + hex.toHexDigits(low) + "-" + hex.toHexDigits(random.nextLong() | 1L) + "-01";
    }

    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
