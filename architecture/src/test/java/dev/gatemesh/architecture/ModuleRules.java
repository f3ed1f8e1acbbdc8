package dev.gatemesh.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.stream.Stream;

/**
 * The project's module and package rules (DESIGN.md "Modules"). Each module has a root package of its own, so a rule
 * on packages is a rule on modules: {@code dev.gatemesh.api} is mesh-api, {@code .ca} mesh-ca, {@code .proxy}
 * mesh-proxy, {@code .server} the config server, {@code .sidecar}, {@code .ingress}, {@code .egress} the apps of the
 * three proxy roles, {@code .meshctl} the CLI, {@code .bench} the benchmarks.
 */
final class ModuleRules {

    /** The thin apps: a role is configuration of mesh-proxy, never a fork of another app. */
    static final List<String> APPS = List.of("sidecar", "ingress", "egress");

    private ModuleRules() {
    }

    /** No two packages depend on each other, directly or through others, in any module. */
    static ArchRule noPackageCycles() {
        return slices().matching("dev.gatemesh.(**)").namingSlices("$1").should().beFreeOfCycles();
    }

    /** mesh-api and mesh-ca are the foundation: they depend on no other module of ours. */
    static ArchRule foundationDependsOnNoOtherModule(String module) {
        return noClasses().that().resideInAPackage("dev.gatemesh." + module + "..")
                .should().dependOnClassesThat().resideInAnyPackage(otherModules(module))
                .as("dev.gatemesh." + module + " (" + moduleName(module) + ") depends on no other module of ours");
    }

    /** The control plane never depends on the data plane (nor on Spring Cloud Gateway through it). */
    static ArchRule configServerDoesNotDependOnTheProxy() {
        return noClasses().that().resideInAPackage("dev.gatemesh.server..")
                .should().dependOnClassesThat().resideInAPackage("dev.gatemesh.proxy..")
                .as("the config server (dev.gatemesh.server) does not depend on mesh-proxy (dev.gatemesh.proxy)");
    }

    /** One app never depends on another. */
    static ArchRule appDependsOnNoOtherApp(String app) {
        return noClasses().that().resideInAPackage("dev.gatemesh." + app + "..")
                .should().dependOnClassesThat().resideInAnyPackage(APPS.stream().filter(other -> !other.equals(app))
                        .map(other -> "dev.gatemesh." + other + "..").toArray(String[]::new))
                .as("the " + app + " app depends on no other app");
    }

    private static String[] otherModules(String module) {
        return Stream.of("api", "ca", "proxy", "server", "sidecar", "ingress", "egress", "meshctl", "bench")
                .filter(other -> !other.equals(module)).map(other -> "dev.gatemesh." + other + "..").toArray(String[]::new);
    }

    private static String moduleName(String module) {
        return "mesh-" + module;
    }
}
