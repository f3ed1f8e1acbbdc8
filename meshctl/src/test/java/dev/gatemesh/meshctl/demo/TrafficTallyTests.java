package dev.gatemesh.meshctl.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficTallyTests {

    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);
    private final TrafficTally tally = new TrafficTally();

    private void responses(int count, int status, String servedBy, long millis) {
        for (int i = 0; i < count; i++) {
            tally.recordResponse(status, servedBy, Duration.ofMillis(millis));
        }
    }

    @Test
    void countsStatusesReviewsVersionsAndLatencyPercentiles() {
        responses(23, 200, "productpage-v1,details-v1,reviews-v1", 9);
        responses(2, 200, "productpage-v1,details-v1,reviews-v3,ratings-v1", 31);

        assertThat(tally.summary(FIVE_SECONDS))
                .isEqualTo("traffic (last 5s): 25 requests | 200: 25 | reviews v1 23 (92%), v3 2 (8%) | p50 9 ms, p99 31 ms");
    }

    @Test
    void aResponseWithoutReviewsCountsAsAReviewsError() {
        responses(3, 200, "productpage-v1,details-v1,reviews:503", 5);
        responses(1, 403, null, 2);

        assertThat(tally.summary(FIVE_SECONDS))
                .isEqualTo("traffic (last 5s): 4 requests | 200: 3, 403: 1 | reviews error 4 (100%) | p50 5 ms, p99 5 ms");
    }

    @Test
    void connectionFailuresCountAsFailedWithoutLatency() {
        responses(1, 200, "productpage-v1,details-v1,reviews-v2,ratings-v1", 12);
        tally.recordFailure();
        tally.recordFailure();
        tally.recordFailure();

        assertThat(tally.summary(FIVE_SECONDS))
                .isEqualTo("traffic (last 5s): 4 requests | 200: 1, failed: 3 | reviews v2 1 (25%), error 3 (75%) | p50 12 ms, p99 12 ms");
    }

    @Test
    void anEmptyPeriodSaysSo() {
        assertThat(tally.summary(Duration.ofMillis(500))).isEqualTo("traffic (last 500ms): 0 requests");
        assertThat(tally.requests()).isZero();
    }

    @Test
    void statusesAreListedInNumericOrder() {
        responses(1, 503, null, 1);
        responses(1, 200, "reviews-v1", 1);
        responses(1, 404, null, 1);

        assertThat(tally.summary(FIVE_SECONDS)).contains("| 200: 1, 404: 1, 503: 1 |");
    }

    @Test
    void theReviewsVersionIsReadFromTheServedByHeader() {
        assertThat(TrafficTally.reviewsVersion("productpage-v1,details-v1,reviews-v2,ratings-v1")).isEqualTo("v2");
        assertThat(TrafficTally.reviewsVersion("productpage-v1, reviews-v3")).isEqualTo("v3");
        assertThat(TrafficTally.reviewsVersion("productpage-v1,details-v1,reviews:failed")).isEqualTo("error");
        assertThat(TrafficTally.reviewsVersion("")).isEqualTo("error");
        assertThat(TrafficTally.reviewsVersion(null)).isEqualTo("error");
    }

    @Test
    void percentilesUseTheNearestRank() {
        List<Long> hundred = java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList();

        assertThat(TrafficTally.percentile(hundred, 50)).isEqualTo(50);
        assertThat(TrafficTally.percentile(hundred, 99)).isEqualTo(99);
        assertThat(TrafficTally.percentile(List.of(7L), 99)).isEqualTo(7);
    }
}
