package dev.gatemesh.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Gatemesh control plane: config sources, registry, per-proxy snapshots and their push. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ConfigServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConfigServerApplication.class, args);
    }
}
