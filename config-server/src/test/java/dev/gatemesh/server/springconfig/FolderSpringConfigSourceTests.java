package dev.gatemesh.server.springconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderSpringConfigSourceTests {

    @TempDir
    Path config;

    @Test
    void doesNotCreateTheSpringFolderInTheConfigFolderAndReadsItWhenItAppears() throws Exception {
        Path spring = config.resolve("spring");
        AtomicReference<List<PropertyFileText>> seen = new AtomicReference<>();
        FolderSpringConfigSource source = new FolderSpringConfigSource(spring, Duration.ofMillis(20));
        try {
            source.start(seen::set);
            assertThat(spring).doesNotExist();
            assertThat(seen.get()).isEmpty();

            Path staging = Files.createDirectories(config.resolve(".staging"));
            Files.writeString(staging.resolve("ingress-gateway.yml"), "greeting: hello\n");
            Files.move(staging, spring, StandardCopyOption.ATOMIC_MOVE);
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.get().size() == 1);
            assertThat(seen.get().get(0).text()).contains("greeting: hello");

            Files.writeString(spring.resolve("ingress-gateway.yml"), "greeting: changed\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.get().size() == 1
                    && seen.get().get(0).text().contains("changed"));
        } finally {
            source.close();
        }
    }
}
