package dev.gatemesh.bench;

import dev.gatemesh.server.ConfigServerApplication;
import java.nio.file.Path;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A real config server in the benchmark's JVM: a folder source, a home, a bootstrap token, quiet logs. */
final class BenchConfigServer {

    private BenchConfigServer() {
    }

    static ConfigurableApplicationContext start(int port, Path folder, Path home, String token) {
        return new SpringApplicationBuilder(ConfigServerApplication.class).run(
                "--server.port=" + port, "--server.address=127.0.0.1",
                "--gatemesh.server.source=file", "--gatemesh.server.file.path=" + folder,
                "--gatemesh.server.home=" + home, "--gatemesh.server.bootstrap-token=" + token,
                "--logging.level.root=WARN", "--management.server.port=0");
    }
}
