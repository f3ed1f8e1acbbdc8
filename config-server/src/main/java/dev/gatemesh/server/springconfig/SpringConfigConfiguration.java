package dev.gatemesh.server.springconfig;

import dev.gatemesh.api.protocol.ControlMessage;
import dev.gatemesh.api.protocol.ProtocolCodec;
import dev.gatemesh.server.ConfigServerProperties;
import dev.gatemesh.server.KubernetesClients;
import dev.gatemesh.server.ca.CallerIdentity;
import dev.gatemesh.server.push.MeshConfigStore;
import dev.gatemesh.server.push.ProxyHub;
import dev.gatemesh.server.source.FileConfigSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Spring properties for the mesh's Spring apps: read from the folder's {@code spring/} or from labelled
 * ConfigMaps, served with the Spring Cloud Config protocol, and every change announced to the connected
 * proxies over the control-plane stream.
 */
@Configuration(proxyBeanMethods = false)
public class SpringConfigConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SpringConfigConfiguration.class);

    @Bean
    SpringPropertiesStore springPropertiesStore() {
        return new SpringPropertiesStore();
    }

    @Bean(destroyMethod = "close")
    SpringConfigSource springConfigSource(ConfigServerProperties properties, KubernetesClients kubernetes) {
        if (properties.effectiveSource() == ConfigServerProperties.SourceType.KUBERNETES) {
            return new KubernetesSpringConfigSource(kubernetes.get(), properties.debounce());
        }
        return new FolderSpringConfigSource(properties.file().path().resolve(FileConfigSource.SPRING_FOLDER),
                properties.debounce());
    }

    @Bean
    RouterFunction<ServerResponse> springEnvironmentRoutes(SpringPropertiesStore store, CallerIdentity callers,
                                                          MeshConfigStore mesh) {
        return new EnvironmentEndpoint(store, callers, new ApplicationGrants(mesh::current)).routes();
    }

    /** Reads the Spring properties before the web server serves them; announces every change to the proxies. */
    @Bean
    SmartLifecycle springConfigSourceLifecycle(SpringConfigSource source, SpringPropertiesStore store, ProxyHub hub) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                store.onChange((names, version) -> hub.broadcast(ProtocolCodec.encode(
                        new ControlMessage.PropertiesChanged(names, version))));
                source.start(store::accept);
                log.info("Spring properties from {}: {} (version {})", source.describe(), store.current().baseNames(),
                        store.current().version());
                running = true;
            }

            @Override
            public void stop() {
                source.close();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return SmartLifecycle.DEFAULT_PHASE - 4096;
            }
        };
    }
}
