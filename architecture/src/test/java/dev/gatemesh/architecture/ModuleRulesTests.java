package dev.gatemesh.architecture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.gatemesh.api.fixture.ReachesIntoTheCa;
import dev.gatemesh.architecture.fixture.left.Left;
import dev.gatemesh.architecture.fixture.right.Right;
import dev.gatemesh.egress.fixture.ReachesIntoTheIngress;
import dev.gatemesh.server.fixture.ReachesIntoTheProxy;
import org.junit.jupiter.api.Test;

/** The rules catch what they are for: shown on test fixtures made to break them. */
class ModuleRulesTests {

    private static JavaClasses classes(Class<?>... types) {
        return new ClassFileImporter().importClasses(types);
    }

    @Test
    void aCycleBetweenTwoPackagesFailsTheRuleNamingBoth() {
        assertThatThrownBy(() -> ModuleRules.noPackageCycles().check(classes(Left.class, Right.class)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected")
                .hasMessageContaining("architecture.fixture.left")
                .hasMessageContaining("architecture.fixture.right");
    }

    @Test
    void theConfigServerUsingTheProxyFailsTheRule() {
        assertThatThrownBy(() -> ModuleRules.configServerDoesNotDependOnTheProxy().check(classes(ReachesIntoTheProxy.class)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("ReachesIntoTheProxy").hasMessageContaining("PathNormalization");
    }

    @Test
    void anAppUsingAnotherAppFailsTheRule() {
        assertThatThrownBy(() -> ModuleRules.appDependsOnNoOtherApp("egress").check(classes(ReachesIntoTheIngress.class)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("IngressGatewayApplication");
    }

    @Test
    void meshApiUsingMeshCaFailsTheRule() {
        assertThatThrownBy(() -> ModuleRules.foundationDependsOnNoOtherModule("api").check(classes(ReachesIntoTheCa.class)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("SpiffeId");
    }
}
