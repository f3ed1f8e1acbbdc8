package dev.gatemesh.server.springconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KubernetesSpringConfigSourceTests {

    @Test
    void theConfigMapNameOrAnnotationNamesTheApplicationAndDataKeysTheProfiles() {
        Set<String> ignored = new HashSet<>();
        var configMap = new ConfigMapBuilder().withNewMetadata().withNamespace("edge").withName("gw-config")
                .addToAnnotations(KubernetesSpringConfigSource.APPLICATION_ANNOTATION, "ingress-gateway").endMetadata()
                .addToData("application.yml", "a: 1").addToData("application-prod.properties", "a=2")
                .addToData("notes.txt", "hello").build();

        var files = KubernetesSpringConfigSource.filesOf(configMap, ignored);

        assertThat(files).extracting(PropertyFileText::baseName).containsExactly("ingress-gateway-prod", "ingress-gateway");
        assertThat(files).extracting(PropertyFileText::origin).containsExactly(
                "ConfigMap edge/gw-config application-prod.properties", "ConfigMap edge/gw-config application.yml");
        assertThat(ignored).singleElement().asString().contains("ConfigMap edge/gw-config: data key \"notes.txt\" is ignored");
    }
}
