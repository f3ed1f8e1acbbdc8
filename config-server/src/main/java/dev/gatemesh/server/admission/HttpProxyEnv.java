package dev.gatemesh.server.admission;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The redirect without NET_ADMIN: the HTTP proxy convention on an app container, pointing at the sidecar's outbound
 * listener. Only clients that honour it are meshed: curl, Go's net/http, Python requests and the like read
 * {@code HTTP_PROXY}/{@code http_proxy}; the JVM reads its {@code http.proxyHost} system properties (set here through
 * {@code JAVA_TOOL_OPTIONS}), which {@code HttpURLConnection} and {@code java.net.http.HttpClient} honour but
 * Reactor Netty and Apache clients do not unless built to. A variable the container already sets is its own choice
 * and stays.
 */
final class HttpProxyEnv {

    static final String PROXY_URL = "http://127.0.0.1:" + InjectionSettings.OUTBOUND_PORT;
    static final String NO_PROXY = "localhost,127.0.0.1,::1";
    static final String JAVA_OPTIONS = "-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=" + InjectionSettings.OUTBOUND_PORT
            + " -Dhttp.nonProxyHosts=localhost|127.*|[::1]";

    private HttpProxyEnv() {
    }

    static Container apply(Container container) {
        List<EnvVar> env = new ArrayList<>(container.getEnv() == null ? List.of() : container.getEnv());
        for (var entry : Map.of("HTTP_PROXY", PROXY_URL, "http_proxy", PROXY_URL, "NO_PROXY", NO_PROXY,
                "no_proxy", NO_PROXY).entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            if (env.stream().noneMatch(e -> entry.getKey().equals(e.getName()))) {
                env.add(new EnvVarBuilder().withName(entry.getKey()).withValue(entry.getValue()).build());
            }
        }
        javaOptions(env);
        return new ContainerBuilder(container).withEnv(env).build();
    }

    /** Ours first, so that a property the app's own options set again wins. */
    private static void javaOptions(List<EnvVar> env) {
        for (int i = 0; i < env.size(); i++) {
            EnvVar existing = env.get(i);
            if ("JAVA_TOOL_OPTIONS".equals(existing.getName())) {
                if (existing.getValueFrom() == null) {
                    String theirs = existing.getValue() == null ? "" : existing.getValue().trim();
                    env.set(i, new EnvVarBuilder().withName("JAVA_TOOL_OPTIONS")
                            .withValue(theirs.isEmpty() ? JAVA_OPTIONS : JAVA_OPTIONS + " " + theirs).build());
                }
                return;
            }
        }
        env.add(new EnvVarBuilder().withName("JAVA_TOOL_OPTIONS").withValue(JAVA_OPTIONS).build());
    }
}
