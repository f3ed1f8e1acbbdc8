package dev.gatemesh.proxy.thread;

import dev.gatemesh.api.thread.DaemonThreads;
import java.util.concurrent.ThreadFactory;

/**
 * Thread names that say which proxy a thread works for: {@code gatemesh[<proxy id>]-<purpose>}. A thread
 * dump reads better, and when several proxies share one JVM (local mode) their logs are kept apart by it.
 */
public final class ProxyThreads {

    private static final String OPEN = "gatemesh[";

    private ProxyThreads() {
    }

    /** The name prefix of the threads of one proxy that serve one purpose. */
    public static String name(String proxyId, String purpose) {
        return OPEN + proxyId + "]-" + purpose;
    }

    /** Daemon threads named {@link #name}. */
    public static ThreadFactory daemon(String proxyId, String purpose) {
        return DaemonThreads.factory(name(proxyId, purpose));
    }

    /** The proxy a thread of this name works for, or null when the name does not say. */
    public static String proxyOf(String threadName) {
        if (!threadName.startsWith(OPEN)) {
            return null;
        }
        int close = threadName.indexOf("]-", OPEN.length());
        return close < 0 ? null : threadName.substring(OPEN.length(), close);
    }
}
