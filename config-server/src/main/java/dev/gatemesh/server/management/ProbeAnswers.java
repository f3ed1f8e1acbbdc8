package dev.gatemesh.server.management;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;

/**
 * The answer to a probe by a caller who proved nothing: the status of a health group and nothing else (no
 * component names, no details, no paths), 200 when UP and 503 otherwise, as the kubelet reads it.
 */
public final class ProbeAnswers {

    /** A probe's HTTP status and its whole body. */
    public record Answer(int httpStatus, String body) {
    }

    /** Probe paths and the health group each reads ({@code ""}: the overall health). */
    static final Map<String, String> GROUPS = Map.of(
            "/livez", "liveness",
            "/readyz", "readiness",
            "/actuator/health/liveness", "liveness",
            "/actuator/health/readiness", "readiness",
            "/actuator/health", "");

    private final Supplier<HealthEndpoint> health;

    /** @param health the health endpoint, or a supplier of null when actuator's health is switched off */
    public ProbeAnswers(Supplier<HealthEndpoint> health) {
        this.health = health;
    }

    /** Whether {@code path} is a probe path. */
    public static boolean isProbe(String path) {
        return GROUPS.containsKey(path);
    }

    /**
     * The answer for a probe path (blocks while the health indicators run); empty for other paths, and when
     * actuator's health endpoint is switched off.
     */
    public Optional<Answer> answer(String path) {
        String group = GROUPS.get(path);
        HealthEndpoint endpoint = health.get();
        if (group == null || endpoint == null) {
            return Optional.empty();
        }
        HealthDescriptor descriptor = group.isEmpty() ? endpoint.health() : endpoint.healthForPath(group);
        Status status = descriptor == null ? Status.UNKNOWN : descriptor.getStatus();
        return Optional.of(new Answer(Status.UP.equals(status) ? 200 : 503, "{\"status\":\"" + status.getCode() + "\"}"));
    }
}
