package dev.gatemesh.api.thread;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named daemon threads, the one way Gatemesh makes its background threads: a name says in a thread dump and in the
 * logs what a thread is for, and a daemon never keeps the JVM alive after the application has stopped (a watcher or
 * a periodic chore must not block the shutdown of a proxy or of {@code meshctl}).
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** A daemon thread called {@code name}, not started. */
    public static Thread thread(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Daemon threads that all carry {@code name} (for an executor of one thread, or a purpose more than a thread). */
    public static ThreadFactory factory(String name) {
        return task -> thread(name, task);
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, ... (for pools, where threads must be told apart). */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> thread(prefix + "-" + count.incrementAndGet(), task);
    }

    /** A scheduler of one daemon thread called {@code name}: the tasks it runs never overlap. */
    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(factory(name));
    }
}
