package dev.gatemesh.api.model;

import java.util.List;

/** Istio's RequestAuthentication: which JWTs a workload accepts (a request with a bad token is refused). */
@IstioFields(unsupported = {"targetRef", "targetRefs"})
public record RequestAuthentication(WorkloadSelector selector, List<JwtRule> jwtRules) {

    public RequestAuthentication {
        jwtRules = Immutable.list(jwtRules);
    }

    @IstioFields(unsupported = {"fromCookies", "outputPayloadToHeader"})
    public record JwtRule(String issuer, List<String> audiences, String jwksUri, String jwks,
                          List<JwtHeader> fromHeaders, List<String> fromParams, Boolean forwardOriginalToken,
                          List<ClaimToHeader> outputClaimToHeaders, IstioDuration timeout) {
        public JwtRule {
            audiences = Immutable.list(audiences);
            fromHeaders = Immutable.list(fromHeaders);
            fromParams = Immutable.list(fromParams);
            outputClaimToHeaders = Immutable.list(outputClaimToHeaders);
        }
    }

    public record JwtHeader(String name, String prefix) {
    }

    public record ClaimToHeader(String header, String claim) {
    }
}
