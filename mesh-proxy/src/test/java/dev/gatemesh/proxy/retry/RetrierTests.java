package dev.gatemesh.proxy.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatemesh.proxy.route.Cluster;
import dev.gatemesh.proxy.route.Endpoint;
import dev.gatemesh.proxy.route.LoadBalancing;
import dev.gatemesh.proxy.route.Route;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

class RetrierTests {

    private static final Endpoint A = new Endpoint("10.0.0.1", 9080, 15006, "a", Map.of(), true);
    private static final Endpoint B = new Endpoint("10.0.0.2", 9080, 15006, "b", Map.of(), true);
    private static final Cluster CLUSTER = new Cluster(Cluster.name(9080, null, "ratings"), "ratings", 9080, null,
            List.of(A, B), LoadBalancing.DEFAULT, Cluster.PeerTls.AUTO, Set.of());

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Retrier retrier = new Retrier(new RetryBackoff(new SplittableRandom(1)), new RetryMetrics(registry),
            Schedulers.parallel(), 20, 3);

    /** Answers each try with the next scripted status (or failure), and records the endpoints tried. */
    private static final class Script implements Retrier.Tries<Integer> {
        final Iterator<Object> answers;
        final List<Endpoint> tried = new ArrayList<>();

        Script(Object... answers) {
            this.answers = List.of(answers).iterator();
        }

        @Override
        public Mono<Integer> send(Endpoint endpoint) {
            tried.add(endpoint);
            Object next = answers.next();
            return next instanceof Throwable error ? Mono.error(error) : next.equals("hang") ? Mono.never() : Mono.just((Integer) next);
        }

        @Override
        public Endpoint next(Set<Endpoint> tried) {
            return tried.contains(A) ? B : A;
        }

        @Override
        public int status(Integer response) {
            return response;
        }

        @Override
        public String header(Integer response, String name) {
            return null;
        }

        @Override
        public Mono<Void> discard(Integer response) {
            return Mono.empty();
        }
    }

    private double count(String name, String tag, String value) {
        var counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aRetriableStatusIsRetriedOnAnotherEndpointUntilOneSucceeds() {
        Script script = new Script(503, 503, 200);
        Integer status = retrier.execute(new Route.RetryPolicy(3, null, List.of("5xx")), CLUSTER, "source", true, A, script)
                .block(Duration.ofSeconds(5));
        assertThat(status).isEqualTo(200);
        assertThat(script.tried).containsExactly(A, B, B);
        assertThat(count("gatemesh.retries", "result", "retried")).isEqualTo(2);
    }

    @Test
    void whenEveryAttemptFailsTheLastAnswerIsReturnedAndCountedAsExhausted() {
        Script script = new Script(503, 503, 502);
        Integer status = retrier.execute(new Route.RetryPolicy(2, null, List.of("5xx")), CLUSTER, "source", true, A, script)
                .block(Duration.ofSeconds(5));
        assertThat(status).isEqualTo(502);
        assertThat(count("gatemesh.retries", "result", "exhausted")).isEqualTo(1);
    }

    @Test
    void aStatusNotInRetryOnIsNotRetried() {
        Script script = new Script(500);
        assertThat(retrier.execute(new Route.RetryPolicy(3, null, List.of("gateway-error")), CLUSTER, "source", true, A,
                script).block(Duration.ofSeconds(5))).isEqualTo(500);
        assertThat(script.tried).hasSize(1);
    }

    @Test
    void aBodyThatCannotBeReplayedIsSentOnce() {
        Script script = new Script(503);
        assertThat(retrier.execute(new Route.RetryPolicy(3, null, List.of("5xx")), CLUSTER, "source", false, A, script)
                .block(Duration.ofSeconds(5))).isEqualTo(503);
        assertThat(script.tried).hasSize(1);
    }

    @Test
    void aPerTryTimeoutIsRetriedAndCounted() {
        Script script = new Script("hang", 200);
        assertThat(retrier.execute(new Route.RetryPolicy(1, Duration.ofMillis(50), List.of("gateway-error")), CLUSTER,
                "source", true, A, script).block(Duration.ofSeconds(5))).isEqualTo(200);
        assertThat(count("gatemesh.timeouts", "kind", "per_try")).isEqualTo(1);
    }

    @Test
    void theLastFailureIsReturnedWhenItIsNotRetriable() {
        Script script = new Script(new ConnectException("refused"), new java.io.IOException("reset"));
        assertThatThrownBy(() -> retrier.execute(new Route.RetryPolicy(2, null, List.of("connect-failure")), CLUSTER,
                "source", true, A, script).block(Duration.ofSeconds(5))).hasMessageContaining("reset");
        assertThat(script.tried).containsExactly(A, B);
    }

    @Test
    void noPolicyMeansIstiosTwoRetriesOn503() {
        Script script = new Script(503, 503, 503);
        assertThat(retrier.execute(null, CLUSTER, "source", true, A, script).block(Duration.ofSeconds(5))).isEqualTo(503);
        assertThat(script.tried).hasSize(3);
    }

    @Test
    void aRetryBeyondTheBudgetIsNotMadeAndIsCounted() {
        Retrier tight = new Retrier(new RetryBackoff(new SplittableRandom(1)), new RetryMetrics(registry),
                Schedulers.parallel(), 0, 0);
        Script script = new Script(503);
        assertThat(tight.execute(new Route.RetryPolicy(3, null, List.of("5xx")), CLUSTER, "source", true, A, script)
                .block(Duration.ofSeconds(5))).isEqualTo(503);
        assertThat(script.tried).hasSize(1);
        assertThat(count("gatemesh.retries", "result", "budget_exhausted")).isEqualTo(1);
        assertThat(tight.budget(CLUSTER.name()).activeRetries()).isZero();
    }

    @Test
    void budgetSlotsAreGivenBackWhenRetriesEnd() {
        Script script = new Script(503, 503, 200);
        retrier.execute(new Route.RetryPolicy(3, null, List.of("5xx")), CLUSTER, "source", true, A, script)
                .block(Duration.ofSeconds(5));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(retrier.budget(CLUSTER.name()).activeRetries()).isZero());
    }

    @Test
    void connectionFailuresAreClassifiedApartFromResets() {
        assertThat(Retrier.classify(new ConnectException("refused"))).isEqualTo(RetryConditions.Failure.CONNECT_FAILURE);
        assertThat(Retrier.classify(new RuntimeException(new javax.net.ssl.SSLHandshakeException("bad"))))
                .isEqualTo(RetryConditions.Failure.CONNECT_FAILURE);
        assertThat(Retrier.classify(new java.io.IOException("reset"))).isEqualTo(RetryConditions.Failure.RESET);
        assertThat(Retrier.classify(new PerTryTimeoutException(Duration.ofMillis(1))))
                .isEqualTo(RetryConditions.Failure.PER_TRY_TIMEOUT);
        assertThat(Retrier.classify(new IllegalStateException("bug"))).isNull();
    }
}
