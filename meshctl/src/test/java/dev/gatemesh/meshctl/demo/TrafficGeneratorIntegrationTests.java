package dev.gatemesh.meshctl.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TrafficGeneratorIntegrationTests {

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private String nextLine() throws InterruptedException {
        String line = lines.poll(10, TimeUnit.SECONDS);
        assertThat(line).as("a report line within 10 s").isNotNull();
        return line;
    }

    @Test
    void reportsTheReviewsVersionsTheGatewayAnswered() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        gateway.createContext("/productpage", exchange -> {
            String reviews = requests.incrementAndGet() % 2 == 0 ? "reviews-v1" : "reviews-v3,ratings-v1";
            exchange.getResponseHeaders().set("x-bookinfo-served-by", "productpage-v1,details-v1," + reviews);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        gateway.start();
        URI base = URI.create("http://127.0.0.1:" + gateway.getAddress().getPort());
        try (TrafficGenerator traffic = TrafficGenerator.start(base, 40, Duration.ofMillis(500), lines::add,
                Clock.systemUTC())) {
            nextLine();
            String line = nextLine();

            assertThat(line).matches("traffic \\(last 500ms\\): \\d+ requests \\| 200: \\d+ \\| reviews v1 \\d+ \\(\\d+%\\),"
                    + " v3 \\d+ \\(\\d+%\\) \\| p50 \\d+ ms, p99 \\d+ ms");
            int count = Integer.parseInt(line.replaceAll("^traffic \\(last 500ms\\): (\\d+) requests.*", "$1"));
            assertThat(count).as("about 40/s for 0.5 s").isBetween(10, 25);
        } finally {
            gateway.stop(0);
        }
    }

    @Test
    void aGatewayThatIsNotThereCountsAsFailedRequests() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        try (TrafficGenerator traffic = TrafficGenerator.start(URI.create("http://127.0.0.1:" + closed + "/"), 20,
                Duration.ofMillis(300), lines::add)) {
            assertThat(nextLine()).matches("traffic \\(last 300ms\\): (\\d+) requests? \\| failed: \\1 \\| reviews error \\1 \\(100%\\)");
        }
    }

    @Test
    void drivesTheRealProductPage() throws Exception {
        try (FakeSidecar sidecar = new FakeSidecar();
             BookinfoApps apps = BookinfoApps.start(BookinfoAppsIntegrationTests.workloads(sidecar.port()))) {
            sidecar.route("details", apps.port("details-v1")).route("reviews", apps.port("reviews-v2"))
                    .route("ratings", apps.port("ratings-v1"));
            URI productPage = URI.create("http://127.0.0.1:" + apps.port("productpage-v1"));
            try (TrafficGenerator traffic = TrafficGenerator.start(productPage, 20, Duration.ofMillis(500), lines::add)) {
                nextLine(); // the first period may hold a single cold-start request
                assertThat(nextLine()).matches("traffic \\(last 500ms\\): (\\d+) requests? \\| 200: \\1 \\| reviews v2 \\1 \\(100%\\) .*");
            }
        }
    }

    @Test
    void closingStopsTheRequests() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        gateway.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        gateway.start();
        try {
            TrafficGenerator traffic = TrafficGenerator.start(URI.create("http://127.0.0.1:" + gateway.getAddress().getPort()),
                    50, Duration.ofSeconds(10), lines::add);
            Thread.sleep(200);
            traffic.close();
            int afterClose = requests.get();
            Thread.sleep(200);

            assertThat(afterClose).isPositive();
            assertThat(requests.get()).isEqualTo(afterClose);
        } finally {
            gateway.stop(0);
        }
    }

    @Test
    void rejectsARateThatIsNotPositive() {
        assertThatThrownBy(() -> TrafficGenerator.start(URI.create("http://127.0.0.1:8080"), 0, Duration.ofSeconds(5),
                List.of()::add)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the request rate must be above 0 and at most 1000 per second (got 0.0)");
    }
}
