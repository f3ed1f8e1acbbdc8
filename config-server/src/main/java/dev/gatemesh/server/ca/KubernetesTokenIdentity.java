package dev.gatemesh.server.ca;

import dev.gatemesh.ca.pki.SpiffeId;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;

/**
 * In a cluster: the caller presents its projected service-account token (audience {@code gatemesh});
 * the Kubernetes TokenReview API says whose it is. Only {@code system:serviceaccount:<ns>:<sa>}
 * users with the right audience are proven.
 */
public final class KubernetesTokenIdentity implements CallerIdentity {

    public static final String AUDIENCE = "gatemesh";
    private static final String PREFIX = "system:serviceaccount:";

    private final KubernetesClient client;
    private final String trustDomain;

    public KubernetesTokenIdentity(KubernetesClient client, String trustDomain) {
        this.client = client;
        this.trustDomain = trustDomain;
    }

    @Override
    public SpiffeId prove(String credential, String claim) throws NotProven {
        if (credential == null || credential.isBlank()) {
            throw new NotProven("no service-account token");
        }
        TokenReview review;
        try {
            review = client.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                    .withNewSpec().withToken(credential).withAudiences(AUDIENCE).endSpec().build());
        } catch (KubernetesClientException e) {
            throw new NotProven("the token could not be reviewed by Kubernetes: " + e.getMessage());
        }
        var status = review.getStatus();
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated())) {
            throw new NotProven("Kubernetes does not accept the token" + (status != null && status.getError() != null
                    ? ": " + status.getError() : " (expired, revoked or not a token)"));
        }
        List<String> audiences = status.getAudiences();
        if (audiences == null || !audiences.contains(AUDIENCE)) {
            throw new NotProven("the token is not for audience " + AUDIENCE + " (Kubernetes confirmed "
                    + (audiences == null || audiences.isEmpty() ? "no audience" : audiences) + ")");
        }
        String user = status.getUser() == null ? null : status.getUser().getUsername();
        if (user == null || !user.startsWith(PREFIX) || user.substring(PREFIX.length()).split(":").length != 2) {
            throw new NotProven("the token belongs to " + user + ", not to a service account");
        }
        String[] parts = user.substring(PREFIX.length()).split(":");
        return new SpiffeId(trustDomain, parts[0], parts[1]);
    }

    @Override
    public boolean blocks() {
        return true;
    }

    @Override
    public String kind() {
        return "kubernetes-token";
    }
}
