package dev.gatemesh.proxy.outlier;

import dev.gatemesh.proxy.route.OutlierSettings;
import dev.gatemesh.proxy.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutlierDetectorTests {

    private final MutableClock clock = new MutableClock();
    private final List<String> ejections = new ArrayList<>();

    private OutlierDetector detector(int consecutive5xx, int consecutiveGateway, int maxEjectionPercent, int minHealthPercent) {
        return new OutlierDetector(new OutlierSettings(consecutive5xx, consecutiveGateway, Duration.ofMillis(100),
                Duration.ofSeconds(1), maxEjectionPercent, minHealthPercent), clock,
                (endpoint, times) -> ejections.add(endpoint + " x" + times));
    }

    private static void fail(OutlierDetector detector, String endpoint, int status, int times) {
        for (int i = 0; i < times; i++) {
            detector.record(endpoint, status, 3);
        }
    }

    @Test
    void consecutive5xxEjectAtOnceAndASuccessInBetweenStartsTheCountAgain() {
        OutlierDetector detector = detector(3, 0, 100, 0);
        fail(detector, "a", 500, 2);
        detector.record("a", 200, 3);
        fail(detector, "a", 500, 2);
        assertThat(detector.isEjected("a", 3)).isFalse();
        detector.record("a", 500, 3);
        assertThat(detector.isEjected("a", 3)).isTrue();
        assertThat(ejections).containsExactly("a x1");
    }

    @Test
    void anEjectedEndpointReturnsAtTheFirstSweepAfterTheBaseEjectionTime() {
        OutlierDetector detector = detector(1, 0, 100, 0);
        detector.record("a", 503, 3);
        clock.advance(Duration.ofMillis(999));
        assertThat(detector.isEjected("a", 3)).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(detector.isEjected("a", 3)).isFalse();
        assertThat(detector.ejectedCount()).isZero();
    }

    @Test
    void aSecondEjectionLastsTwiceTheBaseEjectionTime() {
        OutlierDetector detector = detector(1, 0, 100, 0);
        detector.record("a", 500, 3);
        clock.advance(Duration.ofSeconds(1));
        assertThat(detector.isEjected("a", 3)).isFalse();
        detector.record("a", 500, 3);
        clock.advance(Duration.ofMillis(1900));
        assertThat(detector.isEjected("a", 3)).isTrue();
        clock.advance(Duration.ofMillis(100));
        assertThat(detector.isEjected("a", 3)).isFalse();
        assertThat(ejections).containsExactly("a x1", "a x2");
    }

    @Test
    void theEjectionCountDecaysWhileTheEndpointStaysHealthy() {
        OutlierDetector detector = detector(1, 0, 100, 0);
        detector.record("a", 500, 3);
        clock.advance(Duration.ofSeconds(5));
        detector.record("a", 500, 3);
        assertThat(ejections).containsExactly("a x1", "a x1");
    }

    @Test
    void gatewayErrorsCountOnlyWhenTheirThresholdIsSet() {
        OutlierDetector detector = detector(0, 2, 100, 0);
        fail(detector, "a", 500, 5);
        assertThat(detector.isEjected("a", 3)).isFalse();
        fail(detector, "a", 502, 1);
        fail(detector, "a", 504, 1);
        assertThat(detector.isEjected("a", 3)).isTrue();
    }

    @Test
    void maxEjectionPercentCapsTheShareEjected() {
        OutlierDetector detector = detector(1, 0, 50, 0);
        detector.record("a", 500, 3);
        detector.record("b", 500, 3);
        assertThat(detector.isEjected("a", 3)).isTrue();
        assertThat(detector.isEjected("b", 3)).as("2 of 3 would be more than 50%").isFalse();
    }

    @Test
    void istiosDefaultTenPercentEjectsNothingOfThreeEndpoints() {
        OutlierDetector detector = detector(1, 0, OutlierSettings.DEFAULT_MAX_EJECTION_PERCENT, 0);
        detector.record("a", 500, 3);
        assertThat(detector.isEjected("a", 3)).isFalse();
        assertThat(ejections).isEmpty();
    }

    @Test
    void belowMinHealthPercentEjectionsAreIgnored() {
        OutlierDetector detector = detector(1, 0, 100, 50);
        detector.record("a", 500, 3);
        assertThat(detector.isEjected("a", 3)).isTrue();
        detector.record("b", 500, 3);
        assertThat(detector.panics(3)).isTrue();
        assertThat(detector.isEjected("a", 3)).isFalse();
        assertThat(detector.isEjected("b", 3)).isFalse();
    }

    @Test
    void aLongIdleDetectorSweepsWithoutLoopingForEver() {
        OutlierDetector detector = detector(1, 0, 100, 0);
        detector.record("a", 500, 3);
        clock.advance(Duration.ofDays(365));
        assertThat(detector.isEjected("a", 3)).isFalse();
    }
}
