package dev.gatemesh.proxy.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RetryConditionsTests {

    @Test
    void fiveXxRetriesEveryServerErrorAndEveryFailure() {
        RetryConditions on = RetryConditions.parse(List.of("5xx"));
        assertThat(on.retriesResponse(500, null)).isTrue();
        assertThat(on.retriesResponse(503, null)).isTrue();
        assertThat(on.retriesResponse(404, null)).isFalse();
        assertThat(on.retriesResponse(200, null)).isFalse();
        for (RetryConditions.Failure failure : RetryConditions.Failure.values()) {
            assertThat(on.retriesFailure(failure)).as(failure.name()).isTrue();
        }
    }

    @Test
    void gatewayErrorRetries502To504AndPerTryTimeoutsButNot500() {
        RetryConditions on = RetryConditions.parse(List.of("gateway-error"));
        assertThat(on.retriesResponse(502, null)).isTrue();
        assertThat(on.retriesResponse(503, null)).isTrue();
        assertThat(on.retriesResponse(504, null)).isTrue();
        assertThat(on.retriesResponse(500, null)).isFalse();
        assertThat(on.retriesFailure(RetryConditions.Failure.PER_TRY_TIMEOUT)).isTrue();
        assertThat(on.retriesFailure(RetryConditions.Failure.CONNECT_FAILURE)).isTrue();
        assertThat(on.retriesFailure(RetryConditions.Failure.RESET)).isFalse();
    }

    @Test
    void connectFailureRetriesOnlyFailuresToConnect() {
        RetryConditions on = RetryConditions.parse(List.of("connect-failure"));
        assertThat(on.retriesFailure(RetryConditions.Failure.CONNECT_FAILURE)).isTrue();
        assertThat(on.retriesFailure(RetryConditions.Failure.RESET)).isFalse();
        assertThat(on.retriesFailure(RetryConditions.Failure.PER_TRY_TIMEOUT)).isFalse();
        assertThat(on.retriesResponse(503, null)).isFalse();
    }

    @Test
    void resetRetriesFailuresButNoResponse() {
        RetryConditions on = RetryConditions.parse(List.of("reset"));
        assertThat(on.retriesFailure(RetryConditions.Failure.RESET)).isTrue();
        assertThat(on.retriesFailure(RetryConditions.Failure.PER_TRY_TIMEOUT)).isTrue();
        assertThat(on.retriesResponse(503, null)).isFalse();
    }

    @Test
    void retriable4xxRetriesOnly409() {
        RetryConditions on = RetryConditions.parse(List.of("retriable-4xx"));
        assertThat(on.retriesResponse(409, null)).isTrue();
        assertThat(on.retriesResponse(429, null)).isFalse();
        assertThat(on.retriesResponse(400, null)).isFalse();
    }

    @Test
    void bareStatusCodesAreRetriableStatusCodes() {
        RetryConditions on = RetryConditions.parse(List.of("retriable-status-codes", "503", "429"));
        assertThat(on.retriesResponse(503, null)).isTrue();
        assertThat(on.retriesResponse(429, null)).isTrue();
        assertThat(on.retriesResponse(500, null)).isFalse();
        assertThat(on.retriesFailure(RetryConditions.Failure.CONNECT_FAILURE)).isFalse();
    }

    @Test
    void grpcConditionsReadTheGrpcStatusHeader() {
        RetryConditions on = RetryConditions.parse(List.of("unavailable", "cancelled"));
        assertThat(on.retriesResponse(200, "14")).isTrue();
        assertThat(on.retriesResponse(200, "1")).isTrue();
        assertThat(on.retriesResponse(200, "13")).isFalse();
        assertThat(on.retriesResponse(200, null)).isFalse();
    }

    @Test
    void noConditionsMeansIstiosDefaultRetrying503AndConnectFailures() {
        RetryConditions on = RetryConditions.parse(List.of());
        assertThat(on).isSameAs(RetryConditions.ISTIO_DEFAULT);
        assertThat(on.retriesResponse(503, null)).isTrue();
        assertThat(on.retriesResponse(500, null)).isFalse();
        assertThat(on.retriesResponse(504, null)).isFalse();
        assertThat(on.retriesFailure(RetryConditions.Failure.CONNECT_FAILURE)).isTrue();
        assertThat(on.retriesFailure(RetryConditions.Failure.RESET)).isFalse();
        assertThat(on.retriesFailure(RetryConditions.Failure.PER_TRY_TIMEOUT)).isFalse();
    }

    @Test
    void conditionsThatCannotOccurBetweenGatemeshProxiesNeverRetry() {
        RetryConditions on = RetryConditions.parse(List.of("refused-stream", "envoy-ratelimited", "retriable-headers",
                "http3-post-connect-failure"));
        assertThat(on.retriesResponse(503, null)).isFalse();
        for (RetryConditions.Failure failure : RetryConditions.Failure.values()) {
            assertThat(on.retriesFailure(failure)).isFalse();
        }
    }
}
