package dev.gatemesh.server.ca;

import dev.gatemesh.ca.CaMaterial;
import dev.gatemesh.ca.TrustBundle;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * In a cluster: a plugged-in CA is the Secret {@code cacerts} in the root namespace (Istio's layout and
 * name); otherwise the root is generated on first start and kept in the Secret {@code gatemesh-ca}, so
 * every replica signs with the same root. The trust bundle is the ConfigMap
 * {@code gatemesh-ca-root-cert} (key {@code root-cert.pem}) in every namespace.
 */
public final class KubernetesCaStore implements CaStore {

    public static final String PLUGGED_IN_SECRET = "cacerts";
    public static final String GENERATED_SECRET = "gatemesh-ca";
    public static final String TRUST_BUNDLE_CONFIG_MAP = "gatemesh-ca-root-cert";

    private final KubernetesClient client;
    private final String rootNamespace;
    private final String trustDomain;
    private final Clock clock;
    private final SecureRandom random;
    /** What this replica last wrote per namespace, so that periodic publishing writes only changes. */
    private final Map<String, String> published = new java.util.concurrent.ConcurrentHashMap<>();

    public KubernetesCaStore(KubernetesClient client, String rootNamespace, String trustDomain, Clock clock,
                             SecureRandom random) {
        this.client = client;
        this.rootNamespace = rootNamespace;
        this.trustDomain = trustDomain;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public CaMaterial loadOrCreate() {
        Secret plugged = client.secrets().inNamespace(rootNamespace).withName(PLUGGED_IN_SECRET).get();
        if (plugged != null) {
            return fromSecret(plugged);
        }
        Secret generated = client.secrets().inNamespace(rootNamespace).withName(GENERATED_SECRET).get();
        if (generated != null) {
            return fromSecret(generated);
        }
        CaMaterial material = CaMaterial.selfSigned(trustDomain, clock, random);
        Map<String, String> data = new LinkedHashMap<>();
        material.toPem().forEach((name, pem) ->
                data.put(name, Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII))));
        Secret secret = new SecretBuilder().withNewMetadata().withName(GENERATED_SECRET).withNamespace(rootNamespace)
                .endMetadata().withType("Opaque").withData(data).build();
        // Two replicas starting together: the first create wins, the other loads what it wrote.
        try {
            client.secrets().inNamespace(rootNamespace).resource(secret).create();
            return material;
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return fromSecret(client.secrets().inNamespace(rootNamespace).withName(GENERATED_SECRET).get());
        }
    }

    private CaMaterial fromSecret(Secret secret) {
        Map<String, String> files = new LinkedHashMap<>();
        secret.getData().forEach((name, base64) ->
                files.put(name, new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII)));
        return CaMaterial.fromPem(files, "Secret " + rootNamespace + "/" + secret.getMetadata().getName());
    }

    @Override
    public void publish(TrustBundle bundle) {
        String pem = bundle.pem();
        for (Namespace namespace : client.namespaces().list().getItems()) {
            String name = namespace.getMetadata().getName();
            if (pem.equals(published.get(name))) {
                continue;
            }
            ConfigMap configMap = new ConfigMapBuilder().withNewMetadata().withName(TRUST_BUNDLE_CONFIG_MAP)
                    .withNamespace(name).endMetadata().withData(Map.of("root-cert.pem", pem)).build();
            client.configMaps().inNamespace(name).resource(configMap).createOr(existing -> existing.update());
            published.put(name, pem);
        }
    }

    @Override
    public String describe() {
        return "Secret " + rootNamespace + "/" + PLUGGED_IN_SECRET + " or " + GENERATED_SECRET;
    }

}
