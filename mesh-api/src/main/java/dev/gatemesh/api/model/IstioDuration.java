package dev.gatemesh.api.model;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration written as Istio writes it: {@code 1.5s}, {@code 100ms}, {@code 1m}, {@code 1h30m}
 * (units h, m, s, ms, us, ns; decimals allowed).
 */
public record IstioDuration(Duration value) implements Comparable<IstioDuration> {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)(h|ms|m|s|us|µs|ns)");

    public IstioDuration {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException("duration must be zero or positive");
        }
    }

    public static IstioDuration of(Duration value) {
        return new IstioDuration(value);
    }

    /**
     * Parses Istio's form.
     *
     * @throws IllegalArgumentException with a message fit for users when the text is not a duration
     */
    public static IstioDuration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected a duration such as 1.5s, 100ms or 1m, got an empty value");
        }
        Matcher m = PART.matcher(text);
        int at = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException(
                        "expected a duration such as 1.5s, 100ms or 1m (units h, m, s, ms, us, ns), got \"" + text + "\"");
            }
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            at = m.end();
        }
        BigDecimal whole = nanos.setScale(0, java.math.RoundingMode.DOWN);
        if (whole.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("duration \"" + text + "\" is too long");
        }
        return new IstioDuration(Duration.ofNanos(whole.longValueExact()));
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "h" -> 3_600_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "s" -> 1_000_000_000L;
            case "ms" -> 1_000_000L;
            case "us", "µs" -> 1_000L;
            default -> 1L;
        };
    }

    /** The shortest exact form: {@code 1h}, {@code 90s}, {@code 1.5s}, {@code 100ms}, {@code 500us}, {@code 100ns}. */
    public String text() {
        long nanos = value.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        if (nanos % 3_600_000_000_000L == 0) {
            return nanos / 3_600_000_000_000L + "h";
        }
        if (nanos % 60_000_000_000L == 0) {
            return nanos / 60_000_000_000L + "m";
        }
        if (nanos >= 1_000_000_000L) {
            return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString() + "s";
        }
        if (nanos >= 1_000_000L) {
            return BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString() + "ms";
        }
        if (nanos >= 1_000L) {
            return BigDecimal.valueOf(nanos, 3).stripTrailingZeros().toPlainString() + "us";
        }
        return nanos + "ns";
    }

    @Override
    public int compareTo(IstioDuration other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return text();
    }
}
