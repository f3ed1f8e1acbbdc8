package dev.gatemesh.sidecar;

import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The sidecar: mesh-proxy's auto-configuration does the work; this app serves actuator on 15020. */
@SpringBootApplication
public class MeshSidecarApplication {

    public static void main(String[] args) {
        builder().run(args);
    }

    /** The app as it runs: its own configuration file name, and no TLS session tickets. */
    public static SpringApplicationBuilder builder() {
        // TLS 1.3 session tickets would let a resumed session outlive a certificate rotation or a trust change.
        System.setProperty("jdk.tls.server.enableSessionTicketExtension", "false");
        return new SpringApplicationBuilder(MeshSidecarApplication.class)
                .properties(Map.of("spring.config.name", "gatemesh-sidecar"));
    }
}
