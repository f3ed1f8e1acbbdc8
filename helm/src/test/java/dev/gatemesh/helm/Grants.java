package dev.gatemesh.helm;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the chart's RBAC lets one service account do, flattened to single permissions such as
 * {@code cluster "" configmaps create} or {@code gatemesh-system "" secrets/cacerts get}: the roles bound to
 * it by the rendered (Cluster)RoleBindings.
 */
public record Grants(Set<Permission> permissions) {

    /**
     * One permission: {@code scope} is {@code cluster} or a namespace; {@code name} is {@code *} for every object.
     */
    public record Permission(String scope, String group, String resource, String name, String verb)
            implements Comparable<Permission> {

        @Override
        public int compareTo(Permission other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return scope + " " + (group.isEmpty() ? "core" : group) + " " + resource + ("*".equals(name) ? "" : "/" + name)
                    + " " + verb;
        }
    }

    public static Grants of(RenderedChart chart, String namespace, String serviceAccount) {
        Set<Permission> permissions = new TreeSet<>();
        for (ClusterRoleBinding binding : chart.all(ClusterRoleBinding.class)) {
            if (binds(binding.getSubjects(), namespace, serviceAccount)) {
                ClusterRole role = chart.get(ClusterRole.class, binding.getRoleRef().getName());
                add(permissions, "cluster", role.getRules());
            }
        }
        for (RoleBinding binding : chart.all(RoleBinding.class)) {
            if (binds(binding.getSubjects(), namespace, serviceAccount)) {
                Role role = chart.get(Role.class, binding.getRoleRef().getName());
                add(permissions, binding.getMetadata().getNamespace(), role.getRules());
            }
        }
        return new Grants(permissions);
    }

    private static boolean binds(List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects, String namespace, String name) {
        return subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind()) && name.equals(s.getName())
                && namespace.equals(s.getNamespace()));
    }

    private static void add(Set<Permission> permissions, String scope, List<PolicyRule> rules) {
        for (PolicyRule rule : rules) {
            List<String> names = rule.getResourceNames().isEmpty() ? List.of("*") : rule.getResourceNames();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String name : names) {
                        for (String verb : rule.getVerbs()) {
                            permissions.add(new Permission(scope, group, resource, name, verb));
                        }
                    }
                }
            }
        }
    }

    /** Whether one API request is allowed, as Kubernetes' RBAC decides (no wildcards are granted here). */
    public boolean allows(ApiRequest request) {
        return permissions.stream().anyMatch(p -> p.group().equals(request.group())
                && p.resource().equals(request.resource()) && p.verb().equals(request.verb())
                && ("*".equals(p.name()) || p.name().equals(request.name()))
                && ("cluster".equals(p.scope()) || p.scope().equals(request.namespace())));
    }

    public Set<String> described() {
        Set<String> out = new TreeSet<>();
        permissions.forEach(p -> out.add(p.toString()));
        return out;
    }
}
