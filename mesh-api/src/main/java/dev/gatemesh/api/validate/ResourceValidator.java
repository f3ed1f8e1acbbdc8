package dev.gatemesh.api.validate;

import dev.gatemesh.api.model.AuthorizationPolicy;
import dev.gatemesh.api.model.DestinationRule;
import dev.gatemesh.api.model.Gateway;
import dev.gatemesh.api.model.PeerAuthentication;
import dev.gatemesh.api.model.RequestAuthentication;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.ServiceEntry;
import dev.gatemesh.api.model.Sidecar;
import dev.gatemesh.api.model.VirtualService;
import dev.gatemesh.api.model.WorkloadEntry;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.problem.ProblemSink;
import dev.gatemesh.api.problem.ResourceProblems;
import java.util.List;

/** Checks one resource on its own, by kind; returns every problem found, errors and warnings. */
public final class ResourceValidator {

    public List<Problem> validate(Resource<?> resource) {
        ProblemSink sink = new ProblemSink();
        Checks checks = new Checks(new ResourceProblems(resource, sink));
        Object spec = resource.spec();
        switch (resource.kind()) {
            case VIRTUAL_SERVICE -> VirtualServiceValidator.validate((VirtualService) spec, checks);
            case DESTINATION_RULE -> DestinationRuleValidator.validate((DestinationRule) spec, checks);
            case GATEWAY -> GatewayValidator.validate((Gateway) spec, checks);
            case SERVICE_ENTRY -> ServiceEntryValidator.validate((ServiceEntry) spec, checks);
            case SIDECAR -> SidecarValidator.validate((Sidecar) spec, checks);
            case WORKLOAD_ENTRY -> WorkloadEntryValidator.validate((WorkloadEntry) spec, resource.metadata(), checks);
            case PEER_AUTHENTICATION -> PeerAuthenticationValidator.validate((PeerAuthentication) spec, checks);
            case AUTHORIZATION_POLICY -> AuthorizationPolicyValidator.validate((AuthorizationPolicy) spec, checks);
            case REQUEST_AUTHENTICATION -> RequestAuthenticationValidator.validate((RequestAuthentication) spec, checks);
            case KUBERNETES_SERVICE, KUBERNETES_WORKLOAD -> { } // read for reference only
        }
        return sink.problems();
    }
}
