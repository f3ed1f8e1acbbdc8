package dev.gatemesh.api.thread;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class DaemonThreadsTests {

    @Test
    void threadsAreNamedDaemons() {
        Thread thread = DaemonThreads.factory("gatemesh-test").newThread(() -> { });
        assertThat(thread.getName()).isEqualTo("gatemesh-test");
        assertThat(thread.isDaemon()).isTrue();
    }

    @Test
    void numberedThreadsCanBeToldApart() {
        ThreadFactory factory = DaemonThreads.numbered("gatemesh-pool");
        assertThat(factory.newThread(() -> { }).getName()).isEqualTo("gatemesh-pool-1");
        assertThat(factory.newThread(() -> { }).getName()).isEqualTo("gatemesh-pool-2");
    }

    @Test
    void theSchedulerRunsOnANamedDaemon() throws Exception {
        ScheduledExecutorService scheduler = DaemonThreads.scheduler("gatemesh-chores");
        try {
            Thread thread = scheduler.submit(Thread::currentThread).get();
            assertThat(thread.getName()).isEqualTo("gatemesh-chores");
            assertThat(thread.isDaemon()).isTrue();
        } finally {
            scheduler.shutdownNow();
        }
    }
}
