package dev.gatemesh.proxy.identity;

import dev.gatemesh.ca.TrustBundle;
import dev.gatemesh.ca.identity.IdentityMaterial;
import dev.gatemesh.ca.identity.IssueFailed;
import dev.gatemesh.ca.pki.CertificateRequests;
import dev.gatemesh.ca.pki.KeyPairs;
import dev.gatemesh.ca.pki.Pem;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.api.model.IstioDuration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gets a certificate from the config server's CA: generates a fresh P-256 key in memory, sends only
 * the CSR with the proxy's credential, and checks that what comes back certifies that key for the
 * expected identity before anyone uses it.
 */
public final class CertificateIssuer {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI endpoint;
    private final String credential;
    private final String workloadClaim;
    private final SpiffeId identity;
    private final Duration ttl;
    private final HttpClient http;
    private final SecureRandom random;

    /**
     * @param endpoint      the CA endpoint, e.g. {@code https://gatemesh-config-server.gatemesh-system.svc:15012/v1/certificates}
     * @param credential    the bearer credential (bootstrap token, or projected service-account token)
     * @param workloadClaim local mode: the {@code namespace/name} of this proxy's WorkloadEntry; null in a cluster
     * @param ttl           the lifetime to ask for, or null for the CA's default
     * @param tls           how to reach the endpoint over TLS: {@link dev.gatemesh.proxy.controlplane.ControlPlaneTls#certificateRequests}
     */
    public CertificateIssuer(URI endpoint, String credential, String workloadClaim, SpiffeId identity, Duration ttl,
                             SSLContext tls, SecureRandom random) {
        this.endpoint = endpoint;
        this.credential = credential;
        this.workloadClaim = workloadClaim;
        this.identity = identity;
        this.ttl = ttl;
        this.random = random;
        if (!"https".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("the CA endpoint must be https (the credential is a secret): " + endpoint);
        }
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls).build();
    }

    public IdentityMaterial issue() throws IssueFailed {
        KeyPair keys = KeyPairs.generateP256(random);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("csr", CertificateRequests.build(keys, identity));
        if (ttl != null) {
            body.put("ttl", IstioDuration.of(ttl).text());
        }
        if (workloadClaim != null) {
            body.put("workload", workloadClaim);
        }
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + credential).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IssueFailed("the CA at " + endpoint + " cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IssueFailed("interrupted");
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (RuntimeException e) {
            throw new IssueFailed("the CA answered HTTP " + response.statusCode() + " with no JSON");
        }
        if (response.statusCode() != 200) {
            throw new IssueFailed("the CA refused (HTTP " + response.statusCode() + ", " + text(answer, "reason") + "): "
                    + text(answer, "error"));
        }
        var chain = Pem.certificates(text(answer, "certificateChain"));
        TrustBundle bundle = TrustBundle.fromPem(text(answer, "trustBundle"));
        if (chain.isEmpty() || !chain.get(0).getPublicKey().equals(keys.getPublic())) {
            throw new IssueFailed("the CA returned a certificate for another key");
        }
        try {
            SpiffeId certified = bundle.verify(chain, java.time.Instant.now(), identity.trustDomain());
            if (!certified.equals(identity)) {
                throw new IssueFailed("the CA certified " + certified + " instead of " + identity);
            }
        } catch (TrustBundle.Untrusted e) {
            throw new IssueFailed("the CA's certificate does not verify: " + e.getMessage());
        }
        return new IdentityMaterial(identity, keys.getPrivate(), chain, bundle);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asString();
    }
}
