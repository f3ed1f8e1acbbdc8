package dev.gatemesh.meshctl.demo;

import dev.gatemesh.api.thread.DaemonThreads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Steady demo traffic: {@code GET /productpage} on the ingress gateway at a fixed rate from one worker
 * thread, and every report period one line (see {@link TrafficTally#summary}) for the person watching.
 * Failures are counted, never thrown or printed as stack traces.
 */
public final class TrafficGenerator implements AutoCloseable {

    /** Longer than the apps' own 3 s calls, so a slow dependency shows on the page rather than as a failure. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final double MAX_RATE = 1000;

    private final URI productPage;
    private final Duration interval;
    private final Duration reportPeriod;
    private final Consumer<String> report;
    private final Clock clock;
    private final ExecutorService clientThreads;
    private final HttpClient client;
    private final Thread worker;
    private volatile boolean running = true;

    private TrafficGenerator(URI baseUrl, double requestsPerSecond, Duration reportPeriod, Consumer<String> report,
                             Clock clock) {
        if (!(requestsPerSecond > 0 && requestsPerSecond <= MAX_RATE)) {
            throw new IllegalArgumentException("the request rate must be above 0 and at most " + (int) MAX_RATE
                    + " per second (got " + requestsPerSecond + ")");
        }
        if (reportPeriod.isNegative() || reportPeriod.isZero()) {
            throw new IllegalArgumentException("the report period must be positive (got " + reportPeriod + ")");
        }
        this.productPage = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/productpage");
        this.interval = Duration.ofNanos(Math.round(1_000_000_000 / requestsPerSecond));
        this.reportPeriod = reportPeriod;
        this.report = report;
        this.clock = clock;
        this.clientThreads = Executors.newSingleThreadExecutor(DaemonThreads.factory("demo-traffic-client"));
        this.client = HttpClient.newBuilder()
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(TIMEOUT)
                .executor(clientThreads)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.worker = DaemonThreads.thread("demo-traffic", this::run);
    }

    /**
     * Starts sending to {@code baseUrl}{@code /productpage} (e.g. {@code http://127.0.0.1:8080}).
     *
     * @param requestsPerSecond above 0, at most 1000; requests are spaced 1/rate apart
     * @param reportPeriod      how often a line goes to {@code report}
     */
    public static TrafficGenerator start(URI baseUrl, double requestsPerSecond, Duration reportPeriod,
                                         Consumer<String> report) {
        return start(baseUrl, requestsPerSecond, reportPeriod, report, Clock.systemUTC());
    }

    /** As {@link #start(URI, double, Duration, Consumer)}, measuring time with {@code clock}. */
    public static TrafficGenerator start(URI baseUrl, double requestsPerSecond, Duration reportPeriod,
                                         Consumer<String> report, Clock clock) {
        TrafficGenerator generator = new TrafficGenerator(baseUrl, requestsPerSecond, reportPeriod, report, clock);
        generator.worker.start();
        return generator;
    }

    private void run() {
        TrafficTally tally = new TrafficTally();
        Instant nextSend = clock.instant();
        Instant nextReport = nextSend.plus(reportPeriod);
        while (running) {
            Instant now = clock.instant();
            if (!now.isBefore(nextReport)) {
                report.accept(tally.summary(reportPeriod));
                tally = new TrafficTally();
                nextReport = nextReport.plus(reportPeriod);
                if (nextReport.isBefore(now)) {
                    nextReport = now.plus(reportPeriod);
                }
                continue;
            }
            if (!now.isBefore(nextSend)) {
                send(tally);
                // Behind schedule (slow answers): carry on from now rather than bursting to catch up.
                nextSend = nextSend.plus(interval);
                if (nextSend.isBefore(now.minus(interval))) {
                    nextSend = now;
                }
                continue;
            }
            Instant wake = nextSend.isBefore(nextReport) ? nextSend : nextReport;
            if (!sleep(Duration.between(now, wake))) {
                return;
            }
        }
    }

    private void send(TrafficTally tally) {
        HttpRequest request = HttpRequest.newBuilder(productPage).timeout(TIMEOUT).GET().build();
        Instant sent = clock.instant();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            tally.recordResponse(response.statusCode(), response.headers().firstValue(Http.SERVED_BY).orElse(null),
                    Duration.between(sent, clock.instant()));
        } catch (IOException | RuntimeException e) {
            tally.recordFailure();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(Math.max(0, duration.toMillis()), (int) Math.max(0, duration.toNanosPart() % 1_000_000));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the worker (an answer in flight is abandoned) and waits for it briefly. */
    @Override
    public void close() {
        running = false;
        worker.interrupt();
        try {
            worker.join(TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clientThreads.shutdownNow();
    }
}
