package dev.gatemesh.server.springconfig;

import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.WorkloadEntry;
import dev.gatemesh.api.registry.MeshService;
import dev.gatemesh.api.registry.ServiceEndpoint;
import dev.gatemesh.api.snapshot.MeshConfig;
import dev.gatemesh.ca.pki.SpiffeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Which applications' Spring properties a proven caller may read, so that one workload cannot read another's
 * (passwords, routes). The rule: besides the shared {@code application}, a caller proven as
 * {@code <namespace>/<service account>} reads
 * <ul>
 *   <li>the application named like its service account;</li>
 *   <li>the application its workload names, as Istio names a workload's canonical service: the label
 *       {@code service.istio.io/canonical-name}, else {@code app.kubernetes.io/name}, else {@code app}; and for a
 *       gateway labelled {@code istio} or {@code gatemesh} {@code : ingressgateway} / {@code egressgateway}, the
 *       gateway app's own name, {@code ingress-gateway} / {@code egress-gateway}.</li>
 * </ul>
 * Its workloads are the WorkloadEntry it claimed (local mode, where the bootstrap token proves the claim) and the
 * registry's instances in its namespace running as its service account (pods in a cluster): labels count only
 * where the credential proves the caller runs as that workload.
 */
public final class ApplicationGrants {

    static final List<String> NAME_LABELS = List.of("service.istio.io/canonical-name", "app.kubernetes.io/name", "app");
    static final List<String> GATEWAY_LABELS = List.of("istio", "gatemesh");
    static final Map<String, String> GATEWAY_APPLICATIONS = Map.of("ingressgateway", "ingress-gateway",
            "egressgateway", "egress-gateway");

    private final Supplier<MeshConfig> mesh;

    public ApplicationGrants(Supplier<MeshConfig> mesh) {
        this.mesh = mesh;
    }

    /** Whether {@code caller} (who claimed {@code claim}, may be null) may read {@code application}'s properties. */
    public boolean allows(SpiffeId caller, String claim, String application) {
        return SpringProperties.SHARED.equals(application) || applicationsOf(caller, claim).contains(application);
    }

    /** The applications {@code caller} may read besides the shared one, sorted. */
    public Set<String> applicationsOf(SpiffeId caller, String claim) {
        Set<String> names = new TreeSet<>();
        names.add(caller.serviceAccount());
        for (Map<String, String> labels : workloadLabels(caller, claim)) {
            NAME_LABELS.stream().map(labels::get).filter(Objects::nonNull).findFirst().ifPresent(names::add);
            GATEWAY_LABELS.stream().map(labels::get).filter(Objects::nonNull).map(GATEWAY_APPLICATIONS::get)
                    .filter(Objects::nonNull).forEach(names::add);
        }
        return names;
    }

    private List<Map<String, String>> workloadLabels(SpiffeId caller, String claim) {
        MeshConfig config = mesh.get();
        List<Map<String, String>> labels = new ArrayList<>();
        if (claim != null && claim.equals(caller.namespace() + "/" + claimedName(claim))) {
            config.resources().stream()
                    .filter(r -> r.kind() == Kind.WORKLOAD_ENTRY && r.namespace().equals(caller.namespace())
                            && r.name().equals(claimedName(claim)))
                    .map(r -> r.as(WorkloadEntry.class).spec())
                    .filter(spec -> caller.serviceAccount().equals(spec.serviceAccount() == null ? "default" : spec.serviceAccount()))
                    .forEach(spec -> labels.add(spec.labels()));
        }
        for (MeshService service : config.registry().services()) {
            for (ServiceEndpoint endpoint : service.endpoints()) {
                if (caller.namespace().equals(endpoint.namespace()) && caller.serviceAccount().equals(
                        endpoint.serviceAccount() == null ? "default" : endpoint.serviceAccount())) {
                    labels.add(endpoint.labels());
                }
            }
        }
        return labels;
    }

    private static String claimedName(String claim) {
        return claim.substring(claim.indexOf('/') + 1);
    }
}
