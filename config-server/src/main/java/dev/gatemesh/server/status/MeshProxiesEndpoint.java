package dev.gatemesh.server.status;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.ca.TrustBundle;
import dev.gatemesh.ca.pki.Pem;
import dev.gatemesh.server.push.PeerCertificate;
import dev.gatemesh.server.push.ProxyHub;
import dev.gatemesh.server.push.ProxyStatus;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/meshproxies}: every connected proxy, its identity and whether it is in sync;
 * {@code /actuator/meshproxies/{id}}: one proxy with the certificate it presents and the trust bundle
 * (public material only); {@code /actuator/meshproxies/{id}/snapshot}: the snapshot that proxy runs with,
 * in its wire form ({@link ProxySnapshots}).
 */
@Endpoint(id = "meshproxies")
public class MeshProxiesEndpoint {

    private final ProxyHub hub;
    private final LoadOptions options;
    private final String trustDomain;
    private final Supplier<TrustBundle> trustBundle;
    private final Clock clock;

    public MeshProxiesEndpoint(ProxyHub hub, LoadOptions options, Supplier<TrustBundle> trustBundle, Clock clock) {
        this.hub = hub;
        this.options = options;
        this.trustDomain = options.trustDomain();
        this.trustBundle = trustBundle;
        this.clock = clock;
    }

    @ReadOperation
    public Map<String, Object> proxies() {
        List<Map<String, Object>> proxies = hub.statuses().stream().map(this::describe).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("proxies", proxies);
        return out;
    }

    /** One proxy in detail, or 404 when no proxy of that name is connected. */
    @ReadOperation
    public Map<String, Object> proxy(@Selector String id) {
        ProxyStatus status = hub.statuses().stream().filter(s -> s.node().id().equals(id)).findFirst().orElse(null);
        if (status == null) {
            return null;
        }
        Map<String, Object> out = describe(status);
        Instant now = clock.instant();
        PeerCertificate certificate = status.certificate();
        if (certificate != null) {
            Map<String, Object> cert = new LinkedHashMap<>();
            cert.put("spiffeId", certificate.identity().toString());
            cert.put("serial", certificate.serial());
            cert.put("notBefore", certificate.notBefore().toString());
            cert.put("notAfter", certificate.notAfter().toString());
            cert.put("valid", !now.isBefore(certificate.notBefore()) && now.isBefore(certificate.notAfter()));
            cert.put("chain", certificate.chain().stream().map(MeshProxiesEndpoint::summary).toList());
            cert.put("chainPem", Pem.encodeCertificates(certificate.chain()));
            out.put("certificate", cert);
        }
        TrustBundle bundle = trustBundle.get();
        Map<String, Object> roots = new LinkedHashMap<>();
        roots.put("roots", bundle.roots().stream().map(MeshProxiesEndpoint::summary).toList());
        roots.put("pem", bundle.pem());
        out.put("trustBundle", roots);
        return out;
    }

    /** A part of one proxy's configuration ({@code snapshot}), or 404 for another part or no such proxy. */
    @ReadOperation
    public Map<String, Object> proxyPart(@Selector String id, @Selector String part) {
        if (!part.equals("snapshot")) {
            return null;
        }
        return hub.inForce(id).map(inForce -> {
            Map<String, Object> out = describe(inForce.status());
            out.putAll(ProxySnapshots.describe(inForce, options));
            return out;
        }).orElse(null);
    }

    private static Map<String, Object> summary(X509Certificate certificate) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("subject", certificate.getSubjectX500Principal().getName());
        out.put("issuer", certificate.getIssuerX500Principal().getName());
        out.put("serial", certificate.getSerialNumber().toString(16));
        out.put("notBefore", certificate.getNotBefore().toInstant().toString());
        out.put("notAfter", certificate.getNotAfter().toInstant().toString());
        return out;
    }

    private Map<String, Object> describe(ProxyStatus status) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", status.node().id());
        out.put("role", status.node().role().name());
        out.put("namespace", status.node().namespace());
        out.put("serviceAccount", status.node().serviceAccount());
        out.put("identity", status.certificate() != null ? status.certificate().identity().toString()
                : "spiffe://" + trustDomain + "/ns/" + status.node().namespace() + "/sa/"
                + (status.node().serviceAccount() == null ? "default" : status.node().serviceAccount()));
        out.put("labels", status.node().labels());
        out.put("state", status.state().name());
        out.put("sentVersion", status.sentVersion());
        out.put("ackedVersion", status.ackedVersion());
        out.put("nackedVersion", status.nackedVersion());
        out.put("lastNackReason", status.nackReason());
        out.put("connectedSince", status.connectedSince().toString());
        out.put("sentAt", status.sentAt() == null ? null : status.sentAt().toString());
        out.put("ackedAt", status.ackedAt() == null ? null : status.ackedAt().toString());
        out.put("certificateNotAfter", status.certificate() == null ? null : status.certificate().notAfter().toString());
        return out;
    }
}
