package dev.gatemesh.server.springconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpringPropertiesStoreTests {

    private final SpringPropertiesStore store = new SpringPropertiesStore();

    private static PropertyFileText yaml(String fileName, String text) {
        var named = PropertyFileText.parseName(fileName).orElseThrow();
        return new PropertyFileText(named.baseName(), "spring/" + fileName, named.format(), text);
    }

    @Test
    void flattensYamlAsSpringBootDoes() {
        store.accept(List.of(yaml("ingress-gateway.yml", """
                spring:
                  cloud:
                    gateway:
                      server:
                        webflux:
                          routes:
                          - id: backend
                            uri: http://127.0.0.1:8081
                            predicates:
                            - Path=/api/**
                server:
                  port: 8080
                """)));
        Map<String, Object> properties = store.current().files("ingress-gateway").get(0).properties();
        assertThat(properties).containsExactly(
                Map.entry("spring.cloud.gateway.server.webflux.routes[0].id", "backend"),
                Map.entry("spring.cloud.gateway.server.webflux.routes[0].uri", "http://127.0.0.1:8081"),
                Map.entry("spring.cloud.gateway.server.webflux.routes[0].predicates[0]", "Path=/api/**"),
                Map.entry("server.port", 8080));
    }

    @Test
    void readsPropertiesFilesToo() {
        store.accept(List.of(yaml("application.properties", "a.b=1\nc[0]=x\n")));
        assertThat(store.current().files("application").get(0).properties()).containsExactly(Map.entry("a.b", "1"),
                Map.entry("c[0]", "x"));
    }

    @Test
    void ordersSourcesMostSpecificFirstWithTheLastProfileWinning() {
        store.accept(List.of(yaml("application.yml", "a: 1"), yaml("gw.yml", "a: 2"), yaml("gw-dev.yml", "a: 3"),
                yaml("application-dev.yml", "a: 4"), yaml("gw-prod.yml", "a: 5"), yaml("other.yml", "a: 6")));
        assertThat(store.current().sourcesFor("gw", List.of("dev", "prod"))).extracting(PropertyFile::origin)
                .containsExactly("spring/gw-prod.yml", "spring/gw-dev.yml", "spring/application-dev.yml", "spring/gw.yml",
                        "spring/application.yml");
        assertThat(store.current().sourcesFor("gw", List.of("default"))).extracting(PropertyFile::origin)
                .containsExactly("spring/gw.yml", "spring/application.yml");
    }

    @Test
    void anApplicationHyphenatedNameIsNotTakenForAProfile() {
        store.accept(List.of(yaml("ingress-gateway.yml", "a: 1")));
        assertThat(store.current().sourcesFor("ingress-gateway", List.of("default"))).hasSize(1);
        assertThat(store.current().sourcesFor("ingress", List.of("gateway"))).extracting(PropertyFile::origin)
                .containsExactly("spring/ingress-gateway.yml"); // exactly what Spring Cloud Config Server does too
    }

    @Test
    void badYamlIsRejectedWithFileAndLineAndTheLastGoodContentStaysServed() {
        store.accept(List.of(yaml("gw.yml", "route: one\n")));
        String version = store.current().version();
        List<List<String>> announced = new ArrayList<>();
        store.onChange((names, v) -> announced.add(names));

        store.accept(List.of(yaml("gw.yml", "route: two\n  bad: [unclosed\n")));

        assertThat(store.current().files("gw").get(0).properties()).containsEntry("route", "one");
        assertThat(store.current().version()).isEqualTo(version);
        assertThat(announced).isEmpty();
        assertThat(store.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.origin()).isEqualTo("spring/gw.yml");
            assertThat(problem.line()).isEqualTo(2);
            assertThat(problem.getMessage()).startsWith("spring/gw.yml:2: not valid YAML (").doesNotContain("\n");
        });
    }

    @Test
    void duplicateKeysAreAProblemWithTheirLine() {
        store.accept(List.of(yaml("gw.yml", "a: 1\nb: 2\na: 3\n")));
        assertThat(store.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(3);
            assertThat(problem.getMessage()).contains("duplicate key a");
        });
        assertThat(store.current().files("gw")).isEmpty();
    }

    @Test
    void aFixedFileIsServedAgainAndADeletedOneLeaves() {
        store.accept(List.of(yaml("gw.yml", "a: [")));
        store.accept(List.of(yaml("gw.yml", "a: 1"), yaml("application.yml", "b: 1")));
        assertThat(store.problems()).isEmpty();
        assertThat(store.current().files("gw").get(0).properties()).containsEntry("a", 1);
        store.accept(List.of(yaml("application.yml", "b: 1")));
        assertThat(store.current().files("gw")).isEmpty();
    }

    @Test
    void announcesOnlyTheBaseNamesThatChanged() {
        store.accept(List.of(yaml("application.yml", "a: 1"), yaml("gw.yml", "a: 1")));
        List<String> changes = new ArrayList<>();
        store.onChange((names, version) -> changes.add(names + "@" + version));
        store.accept(List.of(yaml("application.yml", "a: 1"), yaml("gw.yml", "a: 2"), yaml("gw-dev.yml", "x: 1")));
        store.accept(List.of(yaml("application.yml", "a: 1"), yaml("gw.yml", "a: 2"), yaml("gw-dev.yml", "x: 1")));
        assertThat(changes).singleElement().asString().startsWith("[gw, gw-dev]@" + store.current().version());
    }
}
