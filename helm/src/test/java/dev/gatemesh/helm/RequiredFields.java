package dev.gatemesh.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields the API server requires of each rendered kind, and the references between the objects that
 * must hold for the release to work (a Service selects a Deployment's pods, a binding names a role and a
 * service account the chart renders, a probe's port is a container port).
 */
final class RequiredFields {

    private final RenderedChart chart;
    private final List<String> problems = new ArrayList<>();

    private RequiredFields(RenderedChart chart) {
        this.chart = chart;
    }

    static List<String> missing(RenderedChart chart) {
        RequiredFields check = new RequiredFields(chart);
        chart.documents().forEach(check::check);
        return check.problems;
    }

    private void require(boolean present, HasMetadata object, String what) {
        if (!present) {
            problems.add(RenderedChart.describe(object) + ": " + what);
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    private void check(HasMetadata object) {
        require(!isBlank(object.getMetadata().getName()), object, "metadata.name is required");
        require(!isBlank(object.getApiVersion()) && !isBlank(object.getKind()), object, "apiVersion and kind are required");
        boolean clusterScoped = object instanceof ClusterRole || object instanceof ClusterRoleBinding
                || object instanceof CustomResourceDefinition || object instanceof MutatingWebhookConfiguration
                || object instanceof ValidatingWebhookConfiguration;
        require(clusterScoped || !isBlank(object.getMetadata().getNamespace()), object,
                "metadata.namespace is required (kubectl apply -f of the rendered chart must land in the release namespace)");
        if (object instanceof Deployment deployment) {
            deployment(deployment);
        } else if (object instanceof Service service) {
            service(service);
        } else if (object instanceof PodDisruptionBudget pdb) {
            require(pdb.getSpec() != null && pdb.getSpec().getSelector() != null, pdb, "spec.selector is required");
            require(pdb.getSpec().getMinAvailable() != null || pdb.getSpec().getMaxUnavailable() != null, pdb,
                    "spec.minAvailable or spec.maxUnavailable is required");
            require(selectsSomePods(pdb.getSpec().getSelector().getMatchLabels()), pdb, "its selector matches no rendered pods");
        } else if (object instanceof ClusterRole role) {
            rules(role, role.getRules());
        } else if (object instanceof Role role) {
            rules(role, role.getRules());
        } else if (object instanceof ClusterRoleBinding binding) {
            binding(binding, binding.getRoleRef().getKind(), binding.getRoleRef().getName(), binding.getSubjects());
        } else if (object instanceof RoleBinding binding) {
            binding(binding, binding.getRoleRef().getKind(), binding.getRoleRef().getName(), binding.getSubjects());
        } else if (object instanceof MutatingWebhookConfiguration config) {
            require(!config.getWebhooks().isEmpty(), config, "webhooks are required");
            for (MutatingWebhook webhook : config.getWebhooks()) {
                webhook(config, webhook.getName(), webhook.getSideEffects(), webhook.getAdmissionReviewVersions(),
                        webhook.getClientConfig().getService());
            }
        } else if (object instanceof ValidatingWebhookConfiguration config) {
            require(!config.getWebhooks().isEmpty(), config, "webhooks are required");
            for (ValidatingWebhook webhook : config.getWebhooks()) {
                webhook(config, webhook.getName(), webhook.getSideEffects(), webhook.getAdmissionReviewVersions(),
                        webhook.getClientConfig().getService());
            }
        } else if (object instanceof CustomResourceDefinition crd) {
            crd(crd);
        }
    }

    private void crd(CustomResourceDefinition crd) {
        var spec = crd.getSpec();
        require(!isBlank(spec.getGroup()) && spec.getNames() != null && !isBlank(spec.getNames().getPlural())
                && !isBlank(spec.getNames().getKind()) && !isBlank(spec.getScope()), crd,
                "spec.group, spec.names.plural, spec.names.kind and spec.scope are required");
        require(crd.getMetadata().getName().equals(spec.getNames().getPlural() + "." + spec.getGroup()), crd,
                "metadata.name must be <plural>.<group>");
        require(spec.getVersions().stream().filter(v -> Boolean.TRUE.equals(v.getStorage())).count() == 1, crd,
                "exactly one version is stored");
        spec.getVersions().forEach(v -> require(v.getSchema() != null && v.getSchema().getOpenAPIV3Schema() != null,
                crd, "version " + v.getName() + " needs schema.openAPIV3Schema"));
    }

    private void deployment(Deployment deployment) {
        var spec = deployment.getSpec();
        require(spec != null && spec.getSelector() != null && spec.getTemplate() != null, deployment,
                "spec.selector and spec.template are required");
        PodTemplateSpec template = spec.getTemplate();
        Map<String, String> labels = template.getMetadata().getLabels();
        require(labels != null && labels.entrySet().containsAll(spec.getSelector().getMatchLabels().entrySet()), deployment,
                "spec.template.metadata.labels must contain spec.selector.matchLabels");
        var pod = template.getSpec();
        require(!pod.getContainers().isEmpty(), deployment, "spec.template.spec.containers is required");
        String account = pod.getServiceAccountName();
        require(account != null && chart.find(ServiceAccount.class, account).isPresent(), deployment,
                "its serviceAccountName " + account + " is not rendered");
        for (Container container : pod.getContainers()) {
            require(!isBlank(container.getName()) && !isBlank(container.getImage()), deployment,
                    "every container needs name and image");
            require(container.getResources() != null && container.getResources().getRequests() != null
                    && container.getResources().getRequests().containsKey("memory"), deployment,
                    "container " + container.getName() + " needs resources.requests.memory");
            Set<Integer> ports = new java.util.HashSet<>();
            container.getPorts().forEach(p -> {
                require(p.getContainerPort() != null, deployment, "every container port needs containerPort");
                ports.add(p.getContainerPort());
            });
            for (var probe : java.util.Arrays.asList(container.getStartupProbe(), container.getLivenessProbe(),
                    container.getReadinessProbe())) {
                require(probe != null && probe.getHttpGet() != null, deployment,
                        "container " + container.getName() + " needs startup, liveness and readiness HTTP probes");
                if (probe != null && probe.getHttpGet() != null) {
                    require(ports.contains(probe.getHttpGet().getPort().getIntVal()), deployment,
                            "a probe's port " + probe.getHttpGet().getPort() + " is not a container port");
                }
            }
            container.getVolumeMounts().forEach(mount -> require(pod.getVolumes().stream()
                    .anyMatch(v -> v.getName().equals(mount.getName())), deployment,
                    "volume mount " + mount.getName() + " names no volume"));
        }
    }

    private void service(Service service) {
        require(service.getSpec() != null && !service.getSpec().getPorts().isEmpty(), service, "spec.ports is required");
        Map<String, String> selector = service.getSpec().getSelector();
        require(selectsSomePods(selector), service, "its selector matches no rendered pods");
        for (ServicePort port : service.getSpec().getPorts()) {
            require(port.getPort() != null && !isBlank(port.getName()), service, "every port needs port and name");
            int target = port.getTargetPort() == null ? port.getPort() : port.getTargetPort().getIntVal();
            require(chart.all(Deployment.class).stream()
                    .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                    .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
                    .flatMap(c -> c.getPorts().stream()).anyMatch(p -> p.getContainerPort() == target), service,
                    "port " + port.getName() + " targets " + target + ", which no selected container listens on");
        }
    }

    private boolean selectsSomePods(Map<String, String> selector) {
        return selector != null && !selector.isEmpty() && chart.all(Deployment.class).stream()
                .anyMatch(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()));
    }

    private void rules(HasMetadata role, List<PolicyRule> rules) {
        require(!rules.isEmpty(), role, "rules are required");
        rules.forEach(rule -> require(!rule.getVerbs().isEmpty() && !rule.getResources().isEmpty()
                && !rule.getApiGroups().isEmpty(), role, "every rule needs apiGroups, resources and verbs"));
    }

    private void binding(HasMetadata binding, String roleKind, String roleName, List<Subject> subjects) {
        boolean roleRendered = "ClusterRole".equals(roleKind) ? chart.find(ClusterRole.class, roleName).isPresent()
                : chart.find(Role.class, roleName).isPresent();
        require(roleRendered, binding, "roleRef " + roleKind + " " + roleName + " is not rendered");
        require(!subjects.isEmpty(), binding, "subjects are required");
        subjects.forEach(s -> require("ServiceAccount".equals(s.getKind())
                && chart.find(ServiceAccount.class, s.getName()).isPresent() && s.getNamespace() != null, binding,
                "subject " + s.getName() + " must be a rendered ServiceAccount with its namespace"));
    }

    private void webhook(HasMetadata config, String name, String sideEffects, List<String> versions,
                         io.fabric8.kubernetes.api.model.admissionregistration.v1.ServiceReference service) {
        require(!isBlank(name) && name.contains("."), config, "a webhook's name must be a qualified name");
        require(!isBlank(sideEffects), config, "webhook " + name + " needs sideEffects");
        require(versions != null && versions.contains("v1"), config, "webhook " + name + " must speak AdmissionReview v1");
        require(service != null && chart.find(Service.class, service.getName()).isPresent(), config,
                "webhook " + name + " must call a rendered Service");
        if (service != null) {
            require(chart.find(Service.class, service.getName()).stream()
                    .anyMatch(s -> s.getSpec().getPorts().stream().anyMatch(p -> p.getPort().equals(service.getPort()))),
                    config, "webhook " + name + " calls port " + service.getPort() + ", which its Service does not have");
        }
    }
}
