package dev.gatemesh.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.support.SpringApplicationJsonEnvironmentPostProcessor;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * The sockets a rendered container's Spring Boot app binds, worked out as Boot would: the app's own YAML (what its
 * jar carries, from the module's {@code src/main/resources}), overridden by the container's environment (with
 * {@code SPRING_APPLICATION_JSON} expanded) and its {@code --name=value} arguments. The app is the module named like
 * the image's repository ({@code gatemesh/ingress-gateway} -> {@code ingress-gateway}).
 */
record ContainerListeners(String app, List<Listener> listeners) {

    /** One bound socket; {@code address} null means every address. */
    record Listener(String name, String address, int port) {

        boolean loopbackOnly() {
            return address != null && (address.startsWith("127.") || address.equals("::1") || address.equals("localhost"));
        }

        @Override
        public String toString() {
            return name + " on " + (address == null ? "every address" : address) + ":" + port;
        }
    }

    static ContainerListeners of(Container container) {
        String app = container.getImage().replaceFirst(":[^:/]*$", "").replaceFirst(".*/", "");
        StandardEnvironment environment = new StandardEnvironment();
        var sources = environment.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        Map<String, Object> env = new LinkedHashMap<>();
        for (EnvVar var : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            env.put(var.getName(), var.getValueFrom() != null ? "from-the-downward-api" : var.getValue());
        }
        sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        List<String> args = Optional.ofNullable(container.getArgs()).orElse(List.of()).stream()
                .filter(a -> a.startsWith("--")).toList();
        sources.addFirst(new SimpleCommandLinePropertySource(args.toArray(String[]::new)));
        new SpringApplicationJsonEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        try {
            for (var yaml : new YamlPropertySourceLoader().load(app + " defaults", new FileSystemResource(appYaml(app)))) {
                sources.addLast(yaml);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        List<Listener> listeners = new ArrayList<>();
        int serverPort = environment.getProperty("server.port", Integer.class, 8080);
        String serverAddress = environment.getProperty("server.address");
        listeners.add(new Listener("server", serverAddress, serverPort));
        Integer managementPort = environment.getProperty("management.server.port", Integer.class);
        if (managementPort != null && managementPort != serverPort) {
            listeners.add(new Listener("management", environment.getProperty("management.server.address"), managementPort));
        }
        if (environment.getProperty("gatemesh.proxy.enabled", Boolean.class, false)) {
            int probePort = environment.getProperty("gatemesh.proxy.probe.port", Integer.class, -1);
            if (probePort >= 0) {
                listeners.add(new Listener("probe listener", environment.getProperty("gatemesh.proxy.probe.host", "0.0.0.0"),
                        probePort));
            }
        }
        return new ContainerListeners(app, List.copyOf(listeners));
    }

    /** The YAML the app's jar carries: its module's only {@code .yaml} resource. */
    static Path appYaml(String app) {
        Path resources = ChartFiles.repository().resolve(app).resolve("src/main/resources");
        try (Stream<Path> files = Files.list(resources)) {
            List<Path> yaml = files.filter(f -> f.getFileName().toString().endsWith(".yaml")).toList();
            if (yaml.size() != 1) {
                throw new AssertionError("expected one .yaml in " + resources + ", found " + yaml);
            }
            return yaml.get(0);
        } catch (IOException e) {
            throw new AssertionError("no app module for image " + app + " (" + resources + ")", e);
        }
    }

    /** The listener a probe of this container reaches (a named port resolved through the container's ports). */
    Optional<Listener> probed(Container container, Probe probe) {
        int port = port(container, probe);
        return listeners.stream().filter(l -> l.port() == port).findFirst();
    }

    static int port(Container container, Probe probe) {
        IntOrString port = probe.getHttpGet() != null ? probe.getHttpGet().getPort() : probe.getTcpSocket().getPort();
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return Optional.ofNullable(container.getPorts()).orElse(List.of()).stream()
                .filter(p -> Objects.equals(p.getName(), port.getStrVal())).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + ": a probe names port " + port.getStrVal()
                        + ", which the container does not declare")).getContainerPort();
    }
}
