package dev.gatemesh.meshctl.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class BookinfoAppsIntegrationTests {

    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private FakeSidecar sidecar;
    private BookinfoApps apps;

    @BeforeEach
    void start() throws IOException {
        sidecar = new FakeSidecar();
        apps = BookinfoApps.start(workloads(sidecar.port()));
        sidecar.route("details", apps.port("details-v1"))
                .route("reviews", apps.port("reviews-v1"))
                .route("ratings", apps.port("ratings-v1"));
    }

    @AfterEach
    void stop() {
        apps.close();
        sidecar.close();
    }

    static List<DemoWorkload> workloads(int outboundPort) {
        return List.of(
                new DemoWorkload("productpage-v1", "productpage", "v1", 0, outboundPort),
                new DemoWorkload("details-v1", "details", "v1", 0, outboundPort),
                new DemoWorkload("reviews-v1", "reviews", "v1", 0, outboundPort),
                new DemoWorkload("reviews-v2", "reviews", "v2", 0, outboundPort),
                new DemoWorkload("reviews-v3", "reviews", "v3", 0, outboundPort),
                new DemoWorkload("ratings-v1", "ratings", "v1", 0, outboundPort));
    }

    private HttpResponse<String> get(String workload, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apps.port(workload) + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String lastLine(String page) {
        List<String> lines = page.lines().toList();
        return lines.get(lines.size() - 1);
    }

    @Test
    void productPageWithReviewsV1NamesDetailsAndReviewsButNoRatings() {
        HttpResponse<String> page = get("productpage-v1", "/productpage");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(page.body()).contains(ProductPageApp.TITLE, "Author: William Shakespeare", "ISBN-13: 123-1234567890",
                "-- Reviewer1").doesNotContain("★");
        assertThat(lastLine(page.body())).isEqualTo("Served by: productpage-v1 -> details-v1, reviews-v1");
        assertThat(page.headers().firstValue("x-bookinfo-served-by")).hasValue("productpage-v1,details-v1,reviews-v1");
        assertThat(sidecar.relayed("ratings")).isEmpty();
    }

    @Test
    void productPageWithReviewsV2ShowsBlackStarsFromRatings() {
        sidecar.route("reviews", apps.port("reviews-v2"));

        HttpResponse<String> page = get("productpage-v1", "/productpage");

        assertThat(page.body()).contains("-- Reviewer1  ★★★★★ (black)", "-- Reviewer2  ★★★★☆ (black)");
        assertThat(lastLine(page.body())).isEqualTo("Served by: productpage-v1 -> details-v1, reviews-v2 -> ratings-v1");
        assertThat(page.headers().firstValue("x-bookinfo-served-by"))
                .hasValue("productpage-v1,details-v1,reviews-v2,ratings-v1");
    }

    @Test
    void productPageWithReviewsV3ShowsRedStars() {
        sidecar.route("reviews", apps.port("reviews-v3"));

        HttpResponse<String> page = get("productpage-v1", "/productpage");

        assertThat(page.body()).contains("★★★★★ (red)");
        assertThat(lastLine(page.body())).isEqualTo("Served by: productpage-v1 -> details-v1, reviews-v3 -> ratings-v1");
    }

    @Test
    void theUserFromTheQueryGoesToReviewsAndOnToRatingsWithTheTraceHeaders() {
        sidecar.route("reviews", apps.port("reviews-v2"));

        HttpResponse<String> page = get("productpage-v1", "/productpage?u=jason", "x-request-id", "req-42",
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        assertThat(page.body()).contains("Signed in as: jason");
        for (String service : List.of("details", "reviews", "ratings")) {
            assertThat(sidecar.relayed(service)).as(service).singleElement().satisfies(r -> {
                assertThat(r.headers()).containsEntry("end-user", "jason").containsEntry("x-request-id", "req-42")
                        .containsEntry("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
                assertThat(r.path()).isEqualTo("/" + service + "/0");
            });
        }
    }

    @Test
    void theEndUserHeaderIsForwardedToo() {
        sidecar.route("reviews", apps.port("reviews-v3"));

        get("productpage-v1", "/productpage", "end-user", "alice");

        assertThat(sidecar.relayed("ratings")).singleElement()
                .satisfies(r -> assertThat(r.headers()).containsEntry("end-user", "alice"));
    }

    @Test
    void aDeniedDependencyShowsOnThePageWhichStillAnswers200() {
        sidecar.answer("details", 403, "RBAC: access denied");

        HttpResponse<String> page = get("productpage-v1", "/productpage");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Details unavailable: HTTP 403 (RBAC: access denied)", "-- Reviewer1");
        assertThat(lastLine(page.body())).isEqualTo("Served by: productpage-v1 -> details: 403, reviews-v1");
        assertThat(page.headers().firstValue("x-bookinfo-served-by")).hasValue("productpage-v1,details:403,reviews-v1");
    }

    @Test
    void failingRatingsShowInReviewsAndOnThePageWithoutFailingEither() {
        sidecar.route("reviews", apps.port("reviews-v2")).answer("ratings", 500, "fault filter abort");

        HttpResponse<String> reviews = get("reviews-v2", "/reviews/0");
        HttpResponse<String> page = get("productpage-v1", "/productpage");

        assertThat(reviews.statusCode()).isEqualTo(200);
        JsonNode json = Http.JSON.readTree(reviews.body());
        assertThat(json.get("version").asString()).isEqualTo("v2");
        assertThat(json.get("ratings").get("error").asString()).isEqualTo("HTTP 500 (fault filter abort)");
        assertThat(json.get("reviews").get(0).has("rating")).isFalse();
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Ratings unavailable: HTTP 500 (fault filter abort)").doesNotContain("★");
        assertThat(lastLine(page.body())).isEqualTo("Served by: productpage-v1 -> details-v1, reviews-v2 -> ratings: 500");
    }

    @Test
    void aSidecarThatDoesNotAnswerShowsAsNoResponse() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        try (BookinfoApps alone = BookinfoApps.start(List.of(new DemoWorkload("productpage-v1", "productpage", "v1", 0, closed)))) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + alone.port("productpage-v1") + "/productpage")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Details unavailable: no response (cannot connect to the sidecar's outbound listener on 127.0.0.1:" + closed + ")",
                    "Reviews unavailable: no response (");
            assertThat(lastLine(page.body())).isEqualTo("Served by: productpage-v1 -> details: failed, reviews: failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theProductApiAnswersJsonThroughTheMesh() {
        HttpResponse<String> list = get("productpage-v1", "/api/v1/products");
        HttpResponse<String> product = get("productpage-v1", "/api/v1/products/0");
        HttpResponse<String> reviews = get("productpage-v1", "/api/v1/products/0/reviews");

        assertThat(Http.JSON.readTree(list.body()).get(0).get("title").asString()).isEqualTo(ProductPageApp.TITLE);
        assertThat(Http.JSON.readTree(product.body()).get("author").asString()).isEqualTo("William Shakespeare");
        assertThat(Http.JSON.readTree(reviews.body()).get("version").asString()).isEqualTo("v1");
        assertThat(get("productpage-v1", "/api/v1/products/7").statusCode()).isEqualTo(404);
        assertThat(get("productpage-v1", "/static/bookinfo.css").statusCode()).isEqualTo(200);
    }

    @Test
    void aDeniedDependencyOfTheApiKeepsItsStatus() {
        sidecar.answer("details", 403, "RBAC: access denied");

        HttpResponse<String> product = get("productpage-v1", "/api/v1/products/0");

        assertThat(product.statusCode()).isEqualTo(403);
        assertThat(Http.JSON.readTree(product.body()).get("error").asString()).isEqualTo("HTTP 403 (RBAC: access denied)");
    }

    @Test
    void detailsAndRatingsAnswerJsonWithTheirVersion() {
        JsonNode details = Http.JSON.readTree(get("details-v1", "/details/0").body());
        JsonNode ratings = Http.JSON.readTree(get("ratings-v1", "/ratings/0").body());

        assertThat(details.get("ISBN-10").asString()).isEqualTo("1234567890");
        assertThat(details.get("version").asString()).isEqualTo("v1");
        assertThat(ratings.get("ratings").get("Reviewer1").asInt()).isEqualTo(5);
        assertThat(ratings.get("version").asString()).isEqualTo("v1");
    }

    @Test
    void everyAppAnswersHealthAndRejectsOtherMethods() throws Exception {
        for (DemoWorkload workload : apps.workloads()) {
            assertThat(get(workload.name(), "/health").statusCode()).as(workload.name()).isEqualTo(200);
        }
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + apps.port("details-v1") + "/details/0")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void closingFreesThePorts() throws IOException {
        int port = apps.port("details-v1");
        apps.close();

        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", port));
            assertThat(again.isBound()).isTrue();
        }
    }

    @Test
    void aPortInUseFailsNamingTheWorkloadAndStopsTheAppsAlreadyStarted() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int free;
            try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                free = probe.getLocalPort();
            }
            List<DemoWorkload> clashing = List.of(new DemoWorkload("details-v1", "details", "v1", free, 1),
                    new DemoWorkload("ratings-v1", "ratings", "v1", taken.getLocalPort(), 1));

            assertThatThrownBy(() -> BookinfoApps.start(clashing)).hasMessageContaining("ratings-v1: cannot listen on 127.0.0.1:"
                    + taken.getLocalPort());
            try (ServerSocket again = new ServerSocket()) {
                again.bind(new InetSocketAddress("127.0.0.1", free));
            }
        }
    }

    @Test
    void anUnknownAppIsRejectedWithTheAppsThereAre() {
        assertThatThrownBy(() -> BookinfoApps.start(List.of(new DemoWorkload("web-v1", "web", "v1", 0, 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("web-v1: no demo app called web");
    }
}
