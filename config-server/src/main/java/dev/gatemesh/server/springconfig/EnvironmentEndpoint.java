package dev.gatemesh.server.springconfig;

import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.server.ca.CallerIdentity;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The Spring Cloud Config Server protocol, {@code GET /{application}/{profiles}[/{label}]}: the JSON of
 * {@code org.springframework.cloud.config.environment.Environment}, property sources most specific first,
 * so that a stock config client ({@code spring.config.import=configserver:}) reads it. On the mesh port,
 * for callers proving who they are with the credential they get certificates with (bearer token; in local
 * mode also the header {@value #WORKLOAD_HEADER}, the {@code namespace/name} of their WorkloadEntry), and only
 * for their own application and the shared one ({@link ApplicationGrants}): anything else is 403, written to the
 * audit log. The label is accepted and echoed; there is one version of everything.
 */
public final class EnvironmentEndpoint {

    public static final String WORKLOAD_HEADER = "Gatemesh-Workload";

    /**
     * First path segments that are never an application: the control plane's own paths ({@code /v1/stream},
     * {@code /v1/certificates}) and actuator's (which stays a 404 here: it is served on the management port only).
     */
    static final java.util.Set<String> RESERVED = java.util.Set.of("v1", "actuator");

    private static final Logger audit = LoggerFactory.getLogger("gatemesh.audit");

    private final SpringPropertiesStore store;
    private final CallerIdentity callers;
    private final ApplicationGrants grants;

    public EnvironmentEndpoint(SpringPropertiesStore store, CallerIdentity callers, ApplicationGrants grants) {
        this.store = store;
        this.callers = callers;
        this.grants = grants;
    }

    public RouterFunction<ServerResponse> routes() {
        RequestPredicate notReserved = request -> !RESERVED.contains(request.path().substring(1).split("/", 2)[0]);
        return RouterFunctions.route()
                .GET("/{application}/{profiles}", notReserved, this::environment)
                .GET("/{application}/{profiles}/{label}", notReserved, this::environment)
                .build();
    }

    private Mono<ServerResponse> environment(ServerRequest request) {
        String header = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.startsWith("Bearer ") || header.substring("Bearer ".length()).isBlank()) {
            return refuse(request, "NO_CREDENTIAL", "send the mesh credential (bootstrap token or service-account token) "
                    + "as Authorization: Bearer <token>");
        }
        String credential = header.substring("Bearer ".length()).trim();
        String claim = request.headers().firstHeader(WORKLOAD_HEADER);
        return Mono.fromCallable(() -> callers.prove(credential, claim))
                .subscribeOn(callers.blocks() ? Schedulers.boundedElastic() : Schedulers.immediate())
                .flatMap(proven -> grants.allows(proven, claim, request.pathVariable("application"))
                        ? respond(request, proven) : forbid(request, proven, claim))
                .onErrorResume(CallerIdentity.NotProven.class, e -> refuse(request, "NOT_PROVEN", e.getMessage()
                        + (claim == null ? " (on this endpoint, send it as the header " + WORKLOAD_HEADER + ")" : "")));
    }

    private Mono<ServerResponse> respond(ServerRequest request, SpiffeId caller) {
        String application = request.pathVariable("application");
        List<String> profiles = Arrays.stream(request.pathVariable("profiles").split(","))
                .map(String::trim).filter(p -> !p.isEmpty()).toList();
        String label = request.pathVariables().get("label");
        SpringProperties properties = store.current();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", application);
        body.put("profiles", profiles);
        body.put("label", label);
        body.put("version", properties.version());
        body.put("state", null);
        body.put("propertySources", properties.sourcesFor(application, profiles).stream().map(file -> {
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("name", file.origin());
            source.put("source", file.properties());
            return source;
        }).toList());
        audit.debug("spring properties served: application={} profiles={} version={} caller={}", application, profiles,
                properties.version(), caller);
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }

    private Mono<ServerResponse> forbid(ServerRequest request, SpiffeId caller, String claim) {
        String application = request.pathVariable("application");
        var readable = grants.applicationsOf(caller, claim);
        audit.warn("spring properties refused: reason=NOT_ITS_APPLICATION application={} caller={} claim={} readable={}",
                application, caller, claim, readable);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", caller + " may read the properties of " + String.join(", ", readable) + " and the shared "
                + SpringProperties.SHARED + ", not of " + application);
        body.put("reason", "NOT_ITS_APPLICATION");
        return ServerResponse.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }

    private Mono<ServerResponse> refuse(ServerRequest request, String reason, String message) {
        audit.warn("spring properties refused: reason={} path={} caller={} credential={}: {}", reason, request.path(),
                request.remoteAddress().map(Object::toString).orElse("unknown"), callers.kind(), message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("reason", reason);
        return ServerResponse.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }
}
