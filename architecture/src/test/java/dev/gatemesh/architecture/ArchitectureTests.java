package dev.gatemesh.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of {@link ModuleRules} over the main classes of every module (tests excluded: a test may reach across,
 * e.g. the config server's tests start proxies).
 */
class ArchitectureTests {

    private static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        mainClasses = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/test-classes/") && !location.contains("-tests.jar"))
                .importPackages("dev.gatemesh");
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        ModuleRules.noPackageCycles().check(mainClasses);
    }

    @ParameterizedTest
    @ValueSource(strings = {"api", "ca"})
    void theFoundationModulesDependOnNoOtherModule(String module) {
        ModuleRules.foundationDependsOnNoOtherModule(module).check(mainClasses);
    }

    @Test
    void theConfigServerNeverDependsOnMeshProxy() {
        ModuleRules.configServerDoesNotDependOnTheProxy().check(mainClasses);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sidecar", "ingress", "egress"})
    void noAppDependsOnAnotherApp(String app) {
        ModuleRules.appDependsOnNoOtherApp(app).check(mainClasses);
    }
}
