package dev.gatemesh.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The egress gateway is a thin app on mesh-proxy, not on another app: what both gateways share (their credential
 * sources) lives in mesh-proxy. Read from this module's pom, so that a dependency added back fails here.
 */
class EgressGatewayDependenciesTests {

    private static final List<String> APPS = List.of("ingress-gateway", "mesh-sidecar", "config-server", "meshctl");

    @Test
    void dependsOnNoOtherAppOutsideItsTests() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        NodeList dependencies = pom.getElementsByTagName("dependency");
        List<String> onApps = new ArrayList<>();
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            String artifact = text(dependency, "artifactId");
            if (APPS.contains(artifact) && !"test".equals(text(dependency, "scope"))) {
                onApps.add(artifact);
            }
        }
        assertThat(text(pom.getDocumentElement(), "artifactId")).isEqualTo("egress-gateway");
        assertThat(onApps).isEmpty();
    }

    /** The text of the direct child {@code name} of {@code element}, or null. */
    private static String text(Element element, String name) {
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child && child.getTagName().equals(name)) {
                return child.getTextContent().trim();
            }
        }
        return null;
    }
}
