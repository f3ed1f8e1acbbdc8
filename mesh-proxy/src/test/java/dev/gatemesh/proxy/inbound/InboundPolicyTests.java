package dev.gatemesh.proxy.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.LoadResult;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.model.PeerAuthentication.Mode;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.registry.ServiceEntryRegistry;
import dev.gatemesh.api.snapshot.MeshConfig;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.api.snapshot.ProxySnapshot;
import dev.gatemesh.api.snapshot.SnapshotBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Inbound policy of the reviews workload (namespace bookinfo, labels app=reviews, version=v1). */
class InboundPolicyTests {

    private static final ProxyNode REVIEWS = new ProxyNode("reviews-v1", ProxyRole.SIDECAR, "bookinfo", "bookinfo-reviews",
            Map.of("app", "reviews", "version", "v1"));
    private static final String PRODUCTPAGE = "cluster.local/ns/bookinfo/sa/bookinfo-productpage";
    private static final String RATINGS = "cluster.local/ns/bookinfo/sa/bookinfo-ratings";
    private static final String SLEEP = "cluster.local/ns/tools/sa/sleep";

    static ProxySnapshot snapshot(String yaml) {
        LoadResult loaded = new ManifestLoader(LoadOptions.DEFAULTS).loadText("policies.yaml", yaml);
        assertThat(loaded.problems()).isEmpty();
        List<Resource<?>> resources = loaded.validResources();
        return SnapshotBuilder.build(new MeshConfig(resources, ServiceEntryRegistry.build(resources, LoadOptions.DEFAULTS),
                LoadOptions.DEFAULTS), REVIEWS.proxyClass());
    }

    private static InboundRequest request(String method, String path, String principal) {
        String namespace = principal == null ? null : principal.split("/")[2];
        return new InboundRequest(method, path, "reviews.bookinfo.svc.cluster.local", 9080,
                name -> name.equalsIgnoreCase("x-canary") ? "yes" : null, principal, namespace, "10.1.2.3");
    }

    private static String policy(String name, String action, String rules) {
        return """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: %s
                  namespace: bookinfo
                spec:
                  selector:
                    matchLabels:
                      app: reviews
                  action: %s
                %s""".formatted(name, action, rules);
    }

    @Test
    void aPathAnAppMayReadTwoWaysIsAllowedOnlyWhenBothReadingsAre() {
        Authorizer denyAdmin = Authorizer.of(snapshot(policy("no-admin", "DENY", """
                  rules:
                  - to:
                    - operation:
                        paths: ["/admin*"]
                """)));
        Authorizer allowPublic = Authorizer.of(snapshot(policy("public-only", "ALLOW", """
                  rules:
                  - to:
                    - operation:
                        notPaths: ["/admin*"]
                """)));

        Authorizer.Decision denied = denyAdmin.decide(request("GET", "//admin/x", null), java.util.List.of("/admin/x"));
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reason()).isEqualTo("RBAC: access denied by AuthorizationPolicy bookinfo/no-admin (the path //admin/x "
                + "is read as /admin/x by some apps)");
        assertThat(allowPublic.decide(request("GET", "/%2Fadmin/x", null), java.util.List.of("/admin/x")).allowed())
                .as("an ALLOW that matches one reading only").isFalse();
        assertThat(denyAdmin.decide(request("GET", "//public/x", null), java.util.List.of("/public/x")).allowed()).isTrue();
        assertThat(denyAdmin.decide(request("GET", "/public/x", null), java.util.List.of()).allowed()).isTrue();
    }

    @Test
    void withoutPoliciesEverythingIsAllowed() {
        assertThat(Authorizer.of(snapshot("")).decide(request("DELETE", "/", null)).allowed()).isTrue();
    }

    @Test
    void allowByPrincipalAdmitsThatCallerOnlyAndTheDenialNamesThePolicy() {
        Authorizer authorizer = Authorizer.of(snapshot(policy("reviews-viewer", "ALLOW", """
                  rules:
                  - from:
                    - source:
                        principals: ["cluster.local/ns/bookinfo/sa/bookinfo-productpage"]
                """)));
        assertThat(authorizer.decide(request("GET", "/reviews/1", PRODUCTPAGE)).allowed()).isTrue();
        Authorizer.Decision denied = authorizer.decide(request("GET", "/reviews/1", RATINGS));
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reason()).isEqualTo("RBAC: access denied: no rule of AuthorizationPolicy bookinfo/reviews-viewer allows it");
        assertThat(authorizer.decide(request("GET", "/reviews/1", null)).allowed()).as("plain text has no principal").isFalse();
    }

    @Test
    void allowByNamespacePathAndMethodTogether() {
        Authorizer authorizer = Authorizer.of(snapshot(policy("reads-from-bookinfo", "ALLOW", """
                  rules:
                  - from:
                    - source:
                        namespaces: ["bookinfo"]
                    to:
                    - operation:
                        methods: ["GET", "HEAD"]
                        paths: ["/reviews/*", "/health"]
                """)));
        assertThat(authorizer.decide(request("GET", "/reviews/7", RATINGS)).allowed()).isTrue();
        assertThat(authorizer.decide(request("GET", "/health", PRODUCTPAGE)).allowed()).isTrue();
        assertThat(authorizer.decide(request("POST", "/reviews/7", RATINGS)).allowed()).as("method").isFalse();
        assertThat(authorizer.decide(request("GET", "/admin", RATINGS)).allowed()).as("path").isFalse();
        assertThat(authorizer.decide(request("GET", "/reviews/7", SLEEP)).allowed()).as("namespace").isFalse();
    }

    @Test
    void denyWinsOverAllowAndNamesThePolicy() {
        Authorizer authorizer = Authorizer.of(snapshot(policy("allow-all-bookinfo", "ALLOW", """
                  rules:
                  - from:
                    - source:
                        namespaces: ["bookinfo"]
                """) + "---\n" + policy("deny-delete", "DENY", """
                  rules:
                  - to:
                    - operation:
                        methods: ["DELETE"]
                """)));
        assertThat(authorizer.decide(request("GET", "/reviews/1", PRODUCTPAGE)).allowed()).isTrue();
        Authorizer.Decision denied = authorizer.decide(request("DELETE", "/reviews/1", PRODUCTPAGE));
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reason()).isEqualTo("RBAC: access denied by AuthorizationPolicy bookinfo/deny-delete");
    }

    @Test
    void aDenyOfRequestsWithoutIdentityStopsPlainTextOnly() {
        Authorizer authorizer = Authorizer.of(snapshot(policy("require-mtls", "DENY", """
                  rules:
                  - from:
                    - source:
                        notPrincipals: ["*"]
                """)));
        assertThat(authorizer.decide(request("GET", "/", null)).allowed()).isFalse();
        assertThat(authorizer.decide(request("GET", "/", SLEEP)).allowed()).isTrue();
    }

    @Test
    void conditionsOnHeadersAndSourceIpBlocks() {
        Authorizer authorizer = Authorizer.of(snapshot(policy("canary-from-office", "ALLOW", """
                  rules:
                  - from:
                    - source:
                        ipBlocks: ["10.1.0.0/16"]
                    when:
                    - key: request.headers[X-Canary]
                      values: ["yes"]
                """)));
        assertThat(authorizer.decide(request("GET", "/", SLEEP)).allowed()).isTrue();
        InboundRequest elsewhere = new InboundRequest("GET", "/", "reviews", 9080, name -> "yes", SLEEP, "tools", "10.2.0.1");
        assertThat(authorizer.decide(elsewhere).allowed()).isFalse();
        InboundRequest noHeader = new InboundRequest("GET", "/", "reviews", 9080, name -> null, SLEEP, "tools", "10.1.9.9");
        assertThat(authorizer.decide(noHeader).allowed()).isFalse();
    }

    @Test
    void conditionsGatemeshCannotEvaluateFailClosed() {
        String unknownKey = """
                  rules:
                  - when:
                    - key: connection.sni
                      values: ["reviews.example.com"]
                """;
        assertThat(Authorizer.of(snapshot(policy("admins", "ALLOW", unknownKey))).decide(request("GET", "/", PRODUCTPAGE))
                .allowed()).as("an ALLOW it cannot evaluate does not allow").isFalse();
        assertThat(Authorizer.of(snapshot(policy("no-admins", "DENY", unknownKey))).decide(request("GET", "/", PRODUCTPAGE))
                .allowed()).as("a DENY it cannot evaluate denies").isFalse();
    }

    @Test
    void endUserPrincipalsAndClaimsFromAVerifiedJwtAreMatched() {
        Authorizer authorizer = Authorizer.of(snapshot(policy("admins-only", "ALLOW", """
                  rules:
                  - from:
                    - source:
                        requestPrincipals: ["https://auth.example.com/*"]
                    when:
                    - key: request.auth.claims[groups]
                      values: ["admins"]
                    - key: request.auth.claims[org][region]
                      values: ["eu-*"]
                """)));
        java.util.Map<String, Object> claims = java.util.Map.of("groups", java.util.List.of("dev", "admins"),
                "org", java.util.Map.of("region", "eu-west"));
        assertThat(authorizer.decide(endUser("https://auth.example.com/alice", claims)).allowed()).isTrue();
        assertThat(authorizer.decide(endUser("https://auth.example.com/bob", java.util.Map.of("groups", java.util.List.of("dev"),
                "org", java.util.Map.of("region", "eu-west")))).allowed()).as("not in admins").isFalse();
        assertThat(authorizer.decide(endUser("https://other.example.com/alice", claims)).allowed()).as("other issuer").isFalse();
        assertThat(authorizer.decide(request("GET", "/", PRODUCTPAGE)).allowed()).as("no token").isFalse();
    }

    private static InboundRequest endUser(String principal, java.util.Map<String, Object> claims) {
        return new InboundRequest("GET", "/", "reviews.bookinfo.svc.cluster.local", 9080, name -> null, PRODUCTPAGE, "bookinfo",
                "10.0.0.1", principal, claims);
    }

    @Test
    void aPolicyForAnotherWorkloadDoesNotApply() {
        String other = policy("ratings-only", "ALLOW", """
                  rules:
                  - from:
                    - source:
                        principals: ["cluster.local/ns/nowhere/sa/nobody"]
                """).replace("app: reviews", "app: ratings");
        assertThat(Authorizer.of(snapshot(other)).decide(request("GET", "/", null)).allowed()).isTrue();
    }

    private static String peerAuthentication(String name, String namespace, String selector, String body) {
        return """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata:
                  name: %s
                  namespace: %s
                spec:
                %s%s""".formatted(name, namespace, selector, body);
    }

    @Test
    void peerAuthenticationDefaultsToPermissive() {
        assertThat(PeerAuthenticationPolicy.of(snapshot(""), "bookinfo", "gatemesh-system").modeFor(9080))
                .isEqualTo(Mode.PERMISSIVE);
    }

    @Test
    void peerAuthenticationPrecedenceIsWorkloadThenNamespaceThenMeshWithPortLevelFirst() {
        String mesh = peerAuthentication("default", "gatemesh-system", "", "  mtls:\n    mode: STRICT\n");
        assertThat(PeerAuthenticationPolicy.of(snapshot(mesh), "bookinfo", "gatemesh-system").modeFor(9080)).isEqualTo(Mode.STRICT);

        String namespace = peerAuthentication("default", "bookinfo", "", "  mtls:\n    mode: PERMISSIVE\n");
        assertThat(PeerAuthenticationPolicy.of(snapshot(mesh + "---\n" + namespace), "bookinfo", "gatemesh-system").modeFor(9080))
                .isEqualTo(Mode.PERMISSIVE);

        String workload = peerAuthentication("reviews", "bookinfo", "  selector:\n    matchLabels:\n      app: reviews\n",
                "  mtls:\n    mode: DISABLE\n  portLevelMtls:\n    9080:\n      mode: STRICT\n");
        PeerAuthenticationPolicy policy = PeerAuthenticationPolicy.of(snapshot(mesh + "---\n" + namespace + "---\n" + workload),
                "bookinfo", "gatemesh-system");
        assertThat(policy.modeFor(9080)).isEqualTo(Mode.STRICT);
        assertThat(policy.modeFor(9443)).isEqualTo(Mode.DISABLE);

        String unset = peerAuthentication("reviews", "bookinfo", "  selector:\n    matchLabels:\n      app: reviews\n",
                "  mtls:\n    mode: UNSET\n");
        assertThat(PeerAuthenticationPolicy.of(snapshot(mesh + "---\n" + unset), "bookinfo", "gatemesh-system").modeFor(9080))
                .as("UNSET inherits").isEqualTo(Mode.STRICT);
    }
}
