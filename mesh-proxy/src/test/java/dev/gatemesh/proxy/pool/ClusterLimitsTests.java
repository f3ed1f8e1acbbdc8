package dev.gatemesh.proxy.pool;

import dev.gatemesh.proxy.route.PoolSettings;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ClusterLimitsTests {

    private final List<ClusterLimits.Limit> overflows = new ArrayList<>();

    private ClusterLimits limits(int maxConnections, int maxPending, int maxRequests, int maxRetries) {
        return new ClusterLimits("outbound|9080||ratings", "ratings", new PoolSettings(maxConnections, maxPending, maxRequests,
                0, maxRetries, Duration.ofSeconds(10), Duration.ofHours(1)), (l, limit) -> overflows.add(limit));
    }

    private static boolean admittedNow(ClusterLimits.Admission admission) {
        AtomicBoolean done = new AtomicBoolean();
        admission.ready().doOnSuccess(v -> done.set(true)).subscribe();
        return done.get();
    }

    @Test
    void admitsUpToMaxConnectionsThenQueuesUpToMaxPendingThenOverflows() {
        ClusterLimits limits = limits(1, 1, PoolSettings.UNLIMITED, PoolSettings.UNLIMITED);
        ClusterLimits.Admission first = limits.admit();
        ClusterLimits.Admission second = limits.admit();
        ClusterLimits.Admission third = limits.admit();
        assertThat(first.overflow()).isNull();
        assertThat(admittedNow(first)).isTrue();
        assertThat(second.overflow()).isNull();
        assertThat(third.overflow()).isEqualTo(ClusterLimits.Limit.MAX_PENDING_REQUESTS);
        assertThat(overflows).containsExactly(ClusterLimits.Limit.MAX_PENDING_REQUESTS);
        assertThat(limits.active()).isEqualTo(1);
        assertThat(limits.pending()).isEqualTo(1);
    }

    @Test
    void aQueuedRequestIsAdmittedWhenTheConnectionFreesUp() {
        ClusterLimits limits = limits(1, 1, PoolSettings.UNLIMITED, PoolSettings.UNLIMITED);
        ClusterLimits.Admission first = limits.admit();
        ClusterLimits.Admission second = limits.admit();
        AtomicBoolean admitted = new AtomicBoolean();
        second.ready().doOnSuccess(v -> admitted.set(true)).subscribe();
        assertThat(admitted).isFalse();
        first.release();
        assertThat(admitted).isTrue();
        assertThat(limits.active()).isEqualTo(1);
        assertThat(limits.pending()).isZero();
        second.release();
        assertThat(limits.active()).isZero();
    }

    @Test
    void aReleaseBeforeSubscribingStillHandsTheConnectionOn() {
        ClusterLimits limits = limits(1, 1, PoolSettings.UNLIMITED, PoolSettings.UNLIMITED);
        ClusterLimits.Admission first = limits.admit();
        ClusterLimits.Admission second = limits.admit();
        first.release();
        assertThat(admittedNow(second)).isTrue();
    }

    @Test
    void aQueuedRequestThatGivesUpLeavesTheQueue() {
        ClusterLimits limits = limits(1, 1, PoolSettings.UNLIMITED, PoolSettings.UNLIMITED);
        limits.admit();
        ClusterLimits.Admission queued = limits.admit();
        queued.release();
        assertThat(limits.pending()).isZero();
        assertThat(limits.admit().overflow()).isNull();
    }

    @Test
    void releasingTwiceFreesOnce() {
        ClusterLimits limits = limits(2, 0, PoolSettings.UNLIMITED, PoolSettings.UNLIMITED);
        ClusterLimits.Admission first = limits.admit();
        limits.admit();
        first.release();
        first.release();
        assertThat(limits.active()).isEqualTo(1);
    }

    @Test
    void withoutAPendingQueueTheConnectionLimitRefusesAtOnce() {
        ClusterLimits limits = limits(1, 0, PoolSettings.UNLIMITED, PoolSettings.UNLIMITED);
        limits.admit();
        assertThat(limits.admit().overflow()).isEqualTo(ClusterLimits.Limit.MAX_CONNECTIONS);
    }

    @Test
    void http2MaxRequestsRefusesWithoutQueueing() {
        ClusterLimits limits = limits(PoolSettings.UNLIMITED, 5, 2, PoolSettings.UNLIMITED);
        limits.admit();
        limits.admit();
        assertThat(limits.admit().overflow()).isEqualTo(ClusterLimits.Limit.MAX_REQUESTS);
        assertThat(limits.pending()).isZero();
    }

    @Test
    void noLimitsAdmitsEverythingWithoutCounting() {
        ClusterLimits limits = new ClusterLimits("c", "h", PoolSettings.NONE, (l, limit) -> overflows.add(limit));
        for (int i = 0; i < 10_000; i++) {
            assertThat(limits.admit().overflow()).isNull();
        }
        assertThat(limits.active()).isZero();
    }

    @Test
    void retryPermitsAreCappedByMaxRetriesAndComeBackWhenReleased() {
        ClusterLimits limits = limits(PoolSettings.UNLIMITED, PoolSettings.UNLIMITED, PoolSettings.UNLIMITED, 2);
        assertThat(limits.tryAcquireRetry()).isTrue();
        assertThat(limits.tryAcquireRetry()).isTrue();
        assertThat(limits.tryAcquireRetry()).isFalse();
        assertThat(overflows).containsExactly(ClusterLimits.Limit.MAX_RETRIES);
        limits.releaseRetry();
        assertThat(limits.tryAcquireRetry()).isTrue();
        assertThat(limits.retries()).isEqualTo(2);
    }
}
