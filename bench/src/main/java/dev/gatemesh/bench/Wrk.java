package dev.gatemesh.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The wrk load generator (Debian's {@code wrk}): closed-loop HTTP/1.1 load, with its own latency percentiles. */
final class Wrk {

    /** What one run measured: requests per second, latency percentiles in milliseconds, non-2xx/3xx and socket errors. */
    record Result(double requestsPerSecond, double p50, double p90, double p99, long failed) {

        String row() {
            return String.format("%,.0f | %.2f | %.2f | %.2f | %d", requestsPerSecond, p50, p90, p99, failed);
        }
    }

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|90|99)%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private final int threads;
    private final int connections;

    Wrk(int threads, int connections) {
        this.threads = threads;
        this.connections = connections;
    }

    String describe() {
        return "wrk -t" + threads + " -c" + connections;
    }

    /** Loads {@code url} (with {@code host} as its Host header, and {@code headers} more) for {@code duration}. */
    Result run(String url, String host, Duration duration, String... headers) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections,
                "-d" + duration.toSeconds() + "s", "--latency", "--timeout", "10s"));
        if (host != null) {
            command.addAll(List.of("-H", "Host: " + host));
        }
        for (String header : headers) {
            command.addAll(List.of("-H", header));
        }
        command.add(url);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("wrk failed: " + output);
        }
        return parse(output);
    }

    static Result parse(String output) {
        Matcher rate = RATE.matcher(output);
        if (!rate.find()) {
            throw new IllegalStateException("no Requests/sec in wrk's output:\n" + output);
        }
        double[] percentiles = new double[3];
        Matcher percentile = PERCENTILE.matcher(output);
        while (percentile.find()) {
            double value = Double.parseDouble(percentile.group(2));
            double millis = switch (percentile.group(3)) {
                case "us" -> value / 1000;
                case "s" -> value * 1000;
                default -> value;
            };
            percentiles[switch (percentile.group(1)) {
                case "50" -> 0;
                case "90" -> 1;
                default -> 2;
            }] = millis;
        }
        long failed = 0;
        Matcher non2xx = NON_2XX.matcher(output);
        if (non2xx.find()) {
            failed += Long.parseLong(non2xx.group(1));
        }
        Matcher errors = SOCKET_ERRORS.matcher(output);
        if (errors.find()) {
            for (int i = 1; i <= 4; i++) {
                failed += Long.parseLong(errors.group(i));
            }
        }
        return new Result(Double.parseDouble(rate.group(1)), percentiles[0], percentiles[1], percentiles[2], failed);
    }
}
