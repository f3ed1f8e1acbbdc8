package dev.gatemesh.server;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.snapshot.MeshConfig;
import dev.gatemesh.ca.CertificateAuthority;
import dev.gatemesh.ca.policy.SigningPolicy;
import dev.gatemesh.server.ca.BootstrapTokenIdentity;
import dev.gatemesh.server.ca.CaReloader;
import dev.gatemesh.server.ca.CaStore;
import dev.gatemesh.server.ca.CallerIdentity;
import dev.gatemesh.server.ca.CertificateEndpoint;
import dev.gatemesh.server.ca.FileCaStore;
import dev.gatemesh.server.ca.KubernetesCaStore;
import dev.gatemesh.server.ca.KubernetesTokenIdentity;
import dev.gatemesh.server.push.MeshConfigStore;
import dev.gatemesh.server.push.ProxyHub;
import dev.gatemesh.server.source.ConfigSource;
import dev.gatemesh.server.source.FileConfigSource;
import dev.gatemesh.server.source.KubernetesConfigSource;
import dev.gatemesh.server.status.ConfigSourceHealthIndicator;
import dev.gatemesh.server.status.MeshProxiesEndpoint;
import dev.gatemesh.server.ca.BootstrapToken;
import dev.gatemesh.server.stream.ControlPlaneStreamHandler;
import dev.gatemesh.server.stream.PeerCertificateFilter;
import dev.gatemesh.server.tls.MeshTlsCustomizer;
import dev.gatemesh.server.tls.ServingCertificate;
import dev.gatemesh.ca.identity.ControlPlaneIdentity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import reactor.netty.http.server.WebsocketServerSpec;

/** Wires source -> store -> hub -> stream, and the status endpoints. */
@Configuration(proxyBeanMethods = false)
public class ConfigServerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ConfigServerConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    LoadOptions loadOptions(ConfigServerProperties properties) {
        return properties.loadOptions();
    }

    @Bean
    MeshConfigStore meshConfigStore(LoadOptions options) {
        return new MeshConfigStore(options);
    }

    @Bean
    ProxyHub proxyHub(LoadOptions options, Clock clock) {
        return new ProxyHub(MeshConfig.empty(options), clock);
    }

    @Bean(destroyMethod = "close")
    KubernetesClients kubernetesClients(ObjectProvider<KubernetesClient> provided) {
        return new KubernetesClients(provided);
    }

    @Bean(destroyMethod = "close")
    ConfigSource configSource(ConfigServerProperties properties, LoadOptions options, KubernetesClients kubernetes) {
        if (properties.effectiveSource() == ConfigServerProperties.SourceType.KUBERNETES) {
            return new KubernetesConfigSource(kubernetes.get(), false, options, properties.debounce());
        }
        return new FileConfigSource(properties.file().path(), properties.file().extraFiles(), options, properties.debounce());
    }

    @Bean
    BootstrapToken.Value bootstrapToken(ConfigServerProperties properties) {
        String token = BootstrapToken.resolve(properties.bootstrapToken(), properties.home(), new SecureRandom());
        if (properties.bootstrapToken() == null || properties.bootstrapToken().isBlank()) {
            log.info("Proxies authenticate with the bootstrap token in {}", properties.home().resolve(BootstrapToken.FILE_NAME));
        }
        return new BootstrapToken.Value(token);
    }

    @Bean
    CaStore caStore(ConfigServerProperties properties, KubernetesClients kubernetes, Clock clock) {
        if (properties.effectiveSource() == ConfigServerProperties.SourceType.KUBERNETES) {
            return new KubernetesCaStore(kubernetes.get(), properties.rootNamespace(), properties.trustDomain(), clock,
                    new SecureRandom());
        }
        return new FileCaStore(properties.home(), properties.ca().cacerts(), properties.trustDomain(), clock,
                new SecureRandom());
    }

    @Bean
    CertificateAuthority certificateAuthority(CaStore store, ConfigServerProperties properties, Clock clock) {
        CertificateAuthority ca = new CertificateAuthority(store.loadOrCreate(), new SigningPolicy(properties.trustDomain(),
                properties.ca().defaultTtl(), properties.ca().maxTtl()), clock, new SecureRandom());
        store.publish(ca.trustBundle());
        log.info("Mesh CA: {} (trust domain {}, {} root(s))", store.describe(), properties.trustDomain(),
                ca.trustBundle().roots().size());
        return ca;
    }

    @Bean
    CallerIdentity callerIdentity(ConfigServerProperties properties, KubernetesClients kubernetes,
                                  BootstrapToken.Value token, MeshConfigStore store) {
        if (properties.effectiveSource() == ConfigServerProperties.SourceType.KUBERNETES) {
            return new KubernetesTokenIdentity(kubernetes.get(), properties.trustDomain());
        }
        return new BootstrapTokenIdentity(token.token(), store, properties.trustDomain());
    }

    @Bean
    RouterFunction<ServerResponse> certificateRoutes(CertificateAuthority ca, CallerIdentity callers,
                                                     ConfigServerProperties properties) {
        return new CertificateEndpoint(ca, callers, ControlPlaneIdentity.of(properties.trustDomain(),
                properties.rootNamespace())).routes();
    }

    /**
     * Reads the source before the web server accepts proxies (the phase is earlier than the server's),
     * and stops it after the server.
     */
    @Bean
    SmartLifecycle configSourceLifecycle(ConfigSource source, MeshConfigStore store, ProxyHub hub) {
        return new PhasedLifecycle(SmartLifecycle.DEFAULT_PHASE - 4096, () -> {
            store.onChange(hub::configChanged);
            source.start(store::accept);
            log.info("Config source {}: {} resources, {} services", source.describe(),
                    store.current().resources().size(), store.current().registry().services().size());
        }, source::close);
    }

    /** Ends the proxies' streams before the web server's graceful shutdown would wait for them. */
    @Bean
    SmartLifecycle proxyStreamsLifecycle(ProxyHub hub) {
        return new PhasedLifecycle(SmartLifecycle.DEFAULT_PHASE, () -> { }, hub::closeAll);
    }

    private static final class PhasedLifecycle implements SmartLifecycle {
        private final int phase;
        private final Runnable onStart;
        private final Runnable onStop;
        private volatile boolean running;

        PhasedLifecycle(int phase, Runnable onStart, Runnable onStop) {
            this.phase = phase;
            this.onStart = onStart;
            this.onStop = onStop;
        }

        @Override
        public void start() {
            onStart.run();
            running = true;
        }

        @Override
        public void stop() {
            onStop.run();
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return phase;
        }
    }

    @Bean(destroyMethod = "close")
    ServingCertificate servingCertificate(CertificateAuthority ca, ConfigServerProperties properties, Clock clock) {
        ServingCertificate serving = new ServingCertificate(ca, ControlPlaneIdentity.of(properties.trustDomain(),
                properties.rootNamespace()), properties.servingHostNames(), properties.ca().defaultTtl(), clock,
                new SecureRandom());
        log.info("Serving as {} (TLS; also named {})", serving.current().identity(), String.join(", ", serving.hostNames()));
        return serving;
    }

    @Bean(destroyMethod = "close")
    CaReloader caReloader(CaStore store, CertificateAuthority ca, ServingCertificate serving,
                          ConfigServerProperties properties) {
        return new CaReloader(store, ca, properties.ca().reloadInterval(), serving::renewNow);
    }

    @Bean
    MeshTlsCustomizer meshTlsCustomizer(ServingCertificate serving, CertificateAuthority ca, ConfigServerProperties properties,
                                        Clock clock) {
        return new MeshTlsCustomizer(serving, ca::trustBundle, properties.trustDomain(), clock);
    }

    @Bean
    PeerCertificateFilter peerCertificateFilter(CertificateAuthority ca, ConfigServerProperties properties, Clock clock) {
        return new PeerCertificateFilter(ca::trustBundle, properties.trustDomain(), clock);
    }

    @Bean
    HandlerMapping controlPlaneStreamMapping(ProxyHub hub, CertificateAuthority ca, ConfigServerProperties properties,
                                             Clock clock) {
        return new SimpleUrlHandlerMapping(Map.of(ControlPlaneStreamHandler.PATH,
                new ControlPlaneStreamHandler(hub, ca::trustBundle, properties.trustDomain(), clock)), -1);
    }

    @Bean
    WebSocketHandlerAdapter webSocketHandlerAdapter() {
        var spec = WebsocketServerSpec.builder().maxFramePayloadLength(1 << 20);
        return new WebSocketHandlerAdapter(new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(spec)));
    }

    @Bean
    MeshProxiesEndpoint meshProxiesEndpoint(ProxyHub hub, LoadOptions options, CertificateAuthority ca, Clock clock) {
        return new MeshProxiesEndpoint(hub, options, ca::trustBundle, clock);
    }

    @Bean
    ConfigSourceHealthIndicator configSourceHealthIndicator(ConfigSource source, MeshConfigStore store) {
        return new ConfigSourceHealthIndicator(source, store);
    }
}
