package dev.gatemesh.proxy.runtime;

import dev.gatemesh.proxy.thread.ProxyThreads;
import dev.gatemesh.proxy.state.MeshState;
import dev.gatemesh.ca.TrustBundle;
import dev.gatemesh.ca.identity.ControlPlaneIdentity;
import dev.gatemesh.ca.identity.IssueFailed;
import dev.gatemesh.ca.identity.WorkloadIdentity;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.proxy.controlplane.Backoff;
import dev.gatemesh.proxy.controlplane.ControlPlaneClient;
import dev.gatemesh.proxy.controlplane.ControlPlaneClientSettings;
import dev.gatemesh.proxy.controlplane.ControlPlaneEvents;
import dev.gatemesh.proxy.controlplane.ControlPlaneTls;
import dev.gatemesh.proxy.fault.FaultInjector;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.ca.identity.WorkloadKeyManager;
import dev.gatemesh.proxy.gateway.GatewayPorts;
import dev.gatemesh.proxy.gateway.GatewaySettings;
import dev.gatemesh.proxy.http.ListenerServers;
import dev.gatemesh.proxy.identity.CertificateIssuer;
import dev.gatemesh.proxy.listener.MeshDispatcher;
import dev.gatemesh.proxy.mirror.MirrorMetrics;
import dev.gatemesh.proxy.mirror.MirrorSampler;
import dev.gatemesh.proxy.mirror.RequestMirror;
import dev.gatemesh.proxy.listener.InboundListener;
import dev.gatemesh.proxy.listener.OutboundListener;
import dev.gatemesh.proxy.listener.SelfTraffic;
import dev.gatemesh.proxy.outlier.OutlierEjections;
import dev.gatemesh.proxy.route.EndpointPicker;
import dev.gatemesh.proxy.telemetry.ResilienceTelemetry;
import dev.gatemesh.proxy.route.OutboundRouter;
import dev.gatemesh.proxy.telemetry.RequestTelemetry;
import dev.gatemesh.proxy.tls.OriginationTls;
import dev.gatemesh.proxy.tls.PeerTls;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A proxy in any role, put together: its identity first (the certificate is obtained before anything
 * listens), then the control-plane stream, then its listeners: a sidecar's outbound and inbound ones, or a
 * gateway's ports as its Gateways name them. Ready when it holds a valid certificate and its first
 * configuration.
 */
public final class MeshProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MeshProxy.class);

    private final SidecarSettings settings;
    private final MeterRegistry registry;
    private final Clock clock;
    private final ControlPlaneEvents events;
    private LoopResources loops;
    private LoopResources controlLoop;
    private final ScheduledExecutorService scheduler;
    private WorkloadIdentity identity;
    private MeshState state;
    private ControlPlaneClient controlPlane;
    private final GatewaySettings gateway;
    private OutboundListener outbound;
    private InboundListener inbound;
    private GatewayPorts gatewayPorts;
    private MeshDispatcher dispatcher;
    private RandomGenerator faultRandom = new SplittableRandom();

    public MeshProxy(SidecarSettings settings, MeterRegistry registry, Clock clock) {
        this(settings, null, registry, clock, new ControlPlaneEvents());
    }

    public MeshProxy(SidecarSettings settings, GatewaySettings gateway, MeterRegistry registry, Clock clock) {
        this(settings, gateway, registry, clock, new ControlPlaneEvents());
    }

    /**
     * @param gateway a gateway's settings, for the ingress and egress roles; null for a sidecar
     * @param events  where the control plane's notices go (the app subscribes there)
     */
    public MeshProxy(SidecarSettings settings, GatewaySettings gateway, MeterRegistry registry, Clock clock,
                       ControlPlaneEvents events) {
        if ((gateway == null) != (settings.node().role() == ProxyRole.SIDECAR)) {
            throw new IllegalArgumentException("a " + settings.node().role() + " needs gateway settings exactly when it is a gateway");
        }
        this.gateway = gateway;
        this.settings = settings;
        this.registry = registry;
        this.clock = clock;
        this.events = events;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(ProxyThreads.daemon(settings.node().id(), "identity"));
    }

    /**
     * Draws the percentages of VirtualService faults and mirrors with {@code random} (a seeded one makes tests
     * repeatable; faults and mirrors share it, one draw per percentage that is neither 0 nor 100); before {@link #start}.
     */
    public MeshProxy faultRandom(RandomGenerator random) {
        this.faultRandom = random;
        return this;
    }

    /** Obtains the certificate (retrying while the CA cannot be reached), then connects and listens. */
    public MeshProxy start() throws InterruptedException {
        SpiffeId self = new SpiffeId(settings.options().trustDomain(), settings.node().namespace(),
                settings.node().serviceAccount() == null ? "default" : settings.node().serviceAccount());
        SpiffeId controlPlaneId = ControlPlaneIdentity.of(settings.options().trustDomain(), settings.options().rootNamespace());
        AtomicReference<TrustBundle> trusted = new AtomicReference<>(readRootCert());
        var issuer = new CertificateIssuer(settings.controlPlane().resolve("/v1/certificates"), readCredential(),
                settings.workloadClaim(), self, settings.certificateTtl(),
                ControlPlaneTls.certificateRequests(trusted::get, controlPlaneId, clock), new SecureRandom());
        identity = new WorkloadIdentity(issuer::issue, clock, new SplittableRandom(), scheduler, Duration.ofSeconds(2));
        identity.onRotation(material -> trusted.set(material.trustBundle()));
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), new SplittableRandom());
        for (int attempt = 0; ; attempt++) {
            try {
                trusted.set(identity.start().trustBundle());
                break;
            } catch (IssueFailed e) {
                log.warn("No workload certificate yet for {} (attempt {}): {}", self, attempt + 1, e.getMessage());
                Thread.sleep(backoff.delay(attempt).toMillis()); // startup retry, not test synchronisation
            }
        }
        ResilienceTelemetry resilience = new ResilienceTelemetry(registry, "source");
        OutlierEjections outliers = new OutlierEjections(clock, resilience);
        resilience.ejectedFrom(outliers::ejected);
        EndpointPicker picker = new EndpointPicker(new SplittableRandom(), outliers);
        state = new MeshState(settings.node(), settings.options(), settings.outboundPolicy(), picker, clock);
        PeerTls tls = new PeerTls(identity, settings.options().trustDomain(), clock);
        RequestTelemetry telemetry = new RequestTelemetry(registry);
        String workload = RequestTelemetry.workloadOf(settings.node());
        // The data path's own event loops (Istio's proxy "concurrency"): a client connection to a peer is served on
        // the loop that accepted the request, and the sidecar never takes more cores than it is given.
        String id = settings.node().id();
        loops = LoopResources.create(ProxyThreads.name(id, "proxy"), settings.concurrency(), true);
        // The control-plane stream has a loop of its own: applying a snapshot never stalls the data path.
        controlLoop = LoopResources.create(ProxyThreads.name(id, "control"), 1, true);
        RandomGenerator percentages = new SharedRandom(faultRandom);
        dispatcher = new MeshDispatcher(new OutboundRouter(picker, new SplittableRandom()), picker, tls, telemetry,
                new FaultInjector(percentages, Schedulers.parallel()), workload, settings.node().namespace(), self.toString().substring("spiffe://".length()), loops,
                new RequestMirror(new MirrorSampler(percentages), picker, new MirrorMetrics(registry), "source",
                        RequestMirror.DEFAULT_MAX_IN_FLIGHT, RequestMirror.DEFAULT_MAX_TIMEOUT),
                new dev.gatemesh.proxy.retry.RetryBackoff(new SplittableRandom()), resilience, outliers,
                new OriginationTls(gateway == null ? null : gateway.credentials()));
        state.onApplied(applied -> {
            Set<String> clusters = new HashSet<>(applied.routes().clusters().keySet());
            if (applied.gateways() != null) {
                applied.gateways().listeners().values().forEach(l -> clusters.addAll(l.routes().clusters().keySet()));
            }
            dispatcher.connectionPools().retainOnly(clusters);
            outliers.retainOnly(clusters);
        });
        ListenerServers servers = new ListenerServers(loops, settings.http());
        if (gateway != null) {
            gatewayPorts = GatewayPorts.start(gateway, state, dispatcher, workload, id, new WorkloadKeyManager(identity::current),
                    tls, settings.node().role() == ProxyRole.EGRESS_GATEWAY, servers, clock, settings.pathNormalization());
        } else {
            inbound = new InboundListener(state, tls, telemetry, self, workload, settings.appHost(), settings.appPorts(), loops,
                    servers, settings.pathNormalization()).start(settings.inboundHost(), settings.inboundPort());
            Set<Integer> listenerPorts = new HashSet<>(List.of(inbound.port()));
            if (settings.outboundPort() > 0) {
                listenerPorts.add(settings.outboundPort());
            }
            SelfTraffic selfTraffic = new SelfTraffic(listenerPorts, settings.protectedPorts(),
                    HexFormat.of().toHexDigits(new SecureRandom().nextLong()));
            outbound = new OutboundListener(state, dispatcher, servers, settings.pathNormalization(), selfTraffic)
                    .start(settings.outboundHost(), settings.outboundPort());
        }
        URI stream = URI.create("wss://" + settings.controlPlane().getRawAuthority() + "/v1/stream");
        controlPlane = new ControlPlaneClient(new ControlPlaneClientSettings(stream, settings.node(), settings.options(),
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), new SplittableRandom()), 64 << 20), identity, state, events, controlLoop);
        controlPlane.start();
        if (gateway != null) {
            log.info("Gateway {} ({}) as {}: ports open as Gateway servers select it, on {}", settings.node().id(),
                    settings.node().role(), self, gateway.host());
        } else {
            log.info("Sidecar {} as {}: outbound 127.0.0.1:{}, inbound {}:{}, app {}:{}", settings.node().id(), self,
                    outbound.port(), settings.inboundHost(), inbound.port(), settings.appHost(), settings.appPorts());
        }
        return this;
    }

    private TrustBundle readRootCert() {
        try {
            return TrustBundle.fromPem(Files.readString(settings.rootCert()));
        } catch (IOException e) {
            throw new SidecarConfigurationException("cannot read the mesh's root certificate " + settings.rootCert()
                    + " (" + e.getClass().getSimpleName() + ")", "gatemesh.proxy.root-cert: point it at the trust bundle the config "
                    + "server publishes (local mode: <home>/root-cert.pem; Kubernetes: the ConfigMap gatemesh-ca-root-cert)");
        }
    }

    private String readCredential() {
        try {
            return Files.readString(settings.credentialFile()).trim();
        } catch (IOException e) {
            throw new SidecarConfigurationException("cannot read the credential " + settings.credentialFile() + " ("
                    + e.getClass().getSimpleName() + ")", "gatemesh.proxy.credential-file: the bootstrap token (local mode: "
                    + "<home>/bootstrap-token of the config server) or the projected service-account token (Kubernetes)");
        }
    }

    /** A valid certificate and a configuration: the sidecar can serve. */
    public boolean isReady() {
        return identity != null && identity.isReady() && state != null && state.hasConfiguration();
    }

    public MeshState state() {
        return state;
    }

    public WorkloadIdentity identity() {
        return identity;
    }

    /** The outbound listener's port (sidecars), or -1. */
    public int outboundPort() {
        return outbound == null ? -1 : outbound.port();
    }

    /** The inbound listener's port (sidecars), or -1. */
    public int inboundPort() {
        return inbound == null ? -1 : inbound.port();
    }

    /** A gateway's ports, or null for a sidecar. */
    public GatewayPorts gatewayPorts() {
        return gatewayPorts;
    }

    /** The listeners are closed already: no quiet period to wait for, and a bounded wait for the threads. */
    private static void dispose(LoopResources resources) {
        if (resources == null) {
            return;
        }
        try {
            resources.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(6));
        } catch (RuntimeException e) {
            log.warn("Event loops still busy after 5 s; leaving them to stop on their own: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (controlPlane != null) {
            controlPlane.close();
        }
        if (outbound != null) {
            outbound.close();
        }
        if (inbound != null) {
            inbound.close();
        }
        if (gatewayPorts != null) {
            gatewayPorts.close();
        }
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (identity != null) {
            identity.close();
        }
        dispose(loops);
        dispose(controlLoop);
        scheduler.shutdownNow();
    }
}
