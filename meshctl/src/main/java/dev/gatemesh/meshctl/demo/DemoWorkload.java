package dev.gatemesh.meshctl.demo;

/**
 * One demo app to run: which bookinfo app ({@code app}, {@code version}), the port it serves on and the
 * port of its sidecar's outbound listener, through which it calls the other services.
 *
 * @param name         the WorkloadEntry's name, e.g. {@code reviews-v2}
 * @param app          productpage, details, reviews or ratings
 * @param version      v1, v2, v3 (reviews' version picks its behaviour)
 * @param appPort      the loopback port the app binds; 0 for any free port (see {@link BookinfoApps#port})
 * @param outboundPort the loopback port of the sidecar's outbound listener, used as an HTTP proxy
 */
public record DemoWorkload(String name, String app, String version, int appPort, int outboundPort) {

    public DemoWorkload {
        require(name, "name");
        require(app, "app");
        require(version, "version");
        if (appPort < 0 || appPort > 65535) {
            throw new IllegalArgumentException(name + ": appPort must be between 0 and 65535 (got " + appPort + ")");
        }
        if (outboundPort < 1 || outboundPort > 65535) {
            throw new IllegalArgumentException(name + ": outboundPort must be between 1 and 65535 (got " + outboundPort + ")");
        }
    }

    /** {@code app-version}, the name the apps report in {@code x-bookinfo-served-by}. */
    public String appVersion() {
        return app + "-" + version;
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a demo workload needs a " + field);
        }
    }
}
