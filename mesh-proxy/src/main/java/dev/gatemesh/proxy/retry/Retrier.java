package dev.gatemesh.proxy.retry;

import dev.gatemesh.proxy.route.Cluster;
import dev.gatemesh.proxy.route.Endpoint;
import dev.gatemesh.proxy.route.Route;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Carries out a route's retry policy for one request, as Envoy's router does: each try bounded by the per-try
 * timeout, a failed try retried (while attempts remain, the request body can be sent again and the destination's
 * retry budget allows) after a jittered back-off, on another endpoint when there is one. The last try's response, or
 * its failure, is the answer. The route's own timeout is the caller's, around the whole.
 */
public final class Retrier {

    /** Istio's policy for a route without {@code retries}: 2 retries on {@link RetryConditions#ISTIO_DEFAULT}. */
    public static final Route.RetryPolicy ISTIO_DEFAULT = new Route.RetryPolicy(2, null, List.of());

    /** Envoy's retry budget defaults: 20% of the requests in flight, and at least 3 retries in flight. */
    public static final double DEFAULT_BUDGET_PERCENT = 20;
    public static final int DEFAULT_MIN_RETRY_CONCURRENCY = 3;

    /** How one request's tries are made and read; {@code R} is a response whose body is not read yet. */
    public interface Tries<R> {

        /** Sends one try to {@code endpoint}; emits the response once its headers came, or fails. */
        Mono<R> send(Endpoint endpoint);

        /** The endpoint for a retry, avoiding those already tried when the cluster has others. */
        Endpoint next(Set<Endpoint> tried);

        int status(R response);

        /** The response header's value, or null. */
        String header(R response, String name);

        /** Drops a response that is retried (its body read and released). */
        Mono<Void> discard(R response);

        /** Takes a permit of the cluster's connection pool for one more retry ({@code http.maxRetries}); false: none left. */
        default boolean tryStartRetry() {
            return true;
        }

        /** Gives back the permit of a retry that ended. */
        default void retryEnded() {
        }
    }

    private final RetryBackoff backoff;
    private final RetryMetrics metrics;
    private final Scheduler timer;
    private final double budgetPercent;
    private final int minRetryConcurrency;
    private final Map<String, RetryBudget> budgets = new ConcurrentHashMap<>();

    /** @param timer runs the back-off waits and per-try timeouts (never blocks a thread) */
    public Retrier(RetryBackoff backoff, RetryMetrics metrics, Scheduler timer, double budgetPercent, int minRetryConcurrency) {
        new RetryBudget(budgetPercent, minRetryConcurrency); // rejects bad values at once
        this.backoff = backoff;
        this.metrics = metrics;
        this.timer = timer;
        this.budgetPercent = budgetPercent;
        this.minRetryConcurrency = minRetryConcurrency;
    }

    /**
     * Makes the first try to {@code first}, and retries as {@code policy} (null: {@link #ISTIO_DEFAULT}) says.
     *
     * @param replayable whether the request (its body) can be sent more than once; if not, it is tried once
     */
    public <R> Mono<R> execute(Route.RetryPolicy policy, Cluster cluster, String reporter, boolean replayable,
                               Endpoint first, Tries<R> tries) {
        Route.RetryPolicy effective = policy == null ? ISTIO_DEFAULT : policy;
        Request<R> request = new Request<>(effective, RetryConditions.parse(effective.retryOn()), cluster, reporter,
                replayable ? effective.attempts() : 0, budgets.computeIfAbsent(cluster.name(),
                name -> new RetryBudget(budgetPercent, minRetryConcurrency)), tries, new LinkedHashSet<>());
        return Mono.defer(() -> {
            request.budget.requestStarted();
            return attempt(request, 0, first, () -> { })
                    .doFinally(signal -> request.budget.requestFinished());
        });
    }

    /** The budget of a destination cluster, for tests and diagnostics. */
    RetryBudget budget(String cluster) {
        return budgets.get(cluster);
    }

    private record Request<R>(Route.RetryPolicy policy, RetryConditions conditions, Cluster cluster, String reporter,
                              int attempts, RetryBudget budget, Tries<R> tries, Set<Endpoint> tried) {
    }

    /** What one try gave: a response, or a failure before any. */
    private record Outcome<R>(R response, Throwable failure) {
    }

    private <R> Mono<R> attempt(Request<R> request, int retry, Endpoint endpoint, Runnable release) {
        request.tried().add(endpoint);
        Mono<R> one = request.tries().send(endpoint);
        Duration perTry = request.policy().perTryTimeout();
        if (perTry != null) {
            one = one.timeout(perTry, Mono.error(() -> new PerTryTimeoutException(perTry)), timer);
        }
        return one.map(response -> new Outcome<R>(response, null))
                .onErrorResume(error -> Mono.just(new Outcome<>(null, error)))
                .doFinally(signal -> release.run())
                .flatMap(outcome -> decide(request, retry, outcome));
    }

    private <R> Mono<R> decide(Request<R> request, int retry, Outcome<R> outcome) {
        boolean retriable;
        if (outcome.failure() != null) {
            RetryConditions.Failure failure = classify(outcome.failure());
            if (failure == RetryConditions.Failure.PER_TRY_TIMEOUT) {
                metrics.timeout(RetryMetrics.TimeoutKind.PER_TRY, request.reporter(), request.cluster().host());
            }
            retriable = failure != null && request.conditions().retriesFailure(failure);
        } else {
            R response = outcome.response();
            Tries<R> tries = request.tries();
            retriable = request.conditions().retriesResponse(tries.status(response), tries.header(response, "grpc-status"));
        }
        Mono<R> answer = outcome.failure() != null ? Mono.error(outcome.failure()) : Mono.just(outcome.response());
        if (!retriable || request.attempts() == 0) {
            return answer;
        }
        if (retry >= request.attempts()) {
            metrics.retry(RetryMetrics.Result.EXHAUSTED, request.reporter(), request.cluster().host());
            return answer;
        }
        if (!request.budget().tryStartRetry()) {
            metrics.retry(RetryMetrics.Result.BUDGET_EXHAUSTED, request.reporter(), request.cluster().host());
            return answer;
        }
        if (!request.tries().tryStartRetry()) {
            request.budget().retryFinished();
            metrics.retry(RetryMetrics.Result.BUDGET_EXHAUSTED, request.reporter(), request.cluster().host());
            return answer;
        }
        metrics.retry(RetryMetrics.Result.RETRIED, request.reporter(), request.cluster().host());
        Runnable release = once(() -> {
            request.budget().retryFinished();
            request.tries().retryEnded();
        });
        Mono<Void> dropped = outcome.response() == null ? Mono.empty()
                : request.tries().discard(outcome.response()).onErrorResume(error -> Mono.empty());
        return dropped
                .then(Mono.delay(backoff.delay(retry + 1), timer))
                .then(Mono.defer(() -> attempt(request, retry + 1, request.tries().next(request.tried()), release)))
                .doOnCancel(release);
    }

    /** The retry condition a try's failure falls under, or null for one that is not retried (not an I/O failure). */
    static RetryConditions.Failure classify(Throwable error) {
        if (error instanceof PerTryTimeoutException) {
            return RetryConditions.Failure.PER_TRY_TIMEOUT;
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof io.netty.channel.ConnectTimeoutException
                    || cause instanceof SSLException) {
                return RetryConditions.Failure.CONNECT_FAILURE;
            }
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof IOException) {
                return RetryConditions.Failure.RESET;
            }
        }
        return null;
    }

    private static Runnable once(Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        };
    }
}
