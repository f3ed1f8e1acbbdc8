package dev.gatemesh.proxy.gateway;

import dev.gatemesh.proxy.credentials.CredentialSource;
import dev.gatemesh.proxy.credentials.TlsCredential;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.Level;

/**
 * Credentials as Secrets of the gateway's namespace, the way Istio reads them: {@code tls.crt}/{@code tls.key}/
 * {@code ca.crt} (a {@code kubernetes.io/tls} Secret) or {@code cert}/{@code key}/{@code cacert} (a generic one),
 * with the client CAs for MUTUAL in the Secret itself or in its companion {@code <name>-cacert}. An informer keeps
 * them current; a Secret that fails validation is logged (naming {@code namespace/name} and the key) and the last
 * good version kept; a deleted Secret takes its credential away. The version is the Secret's resourceVersion,
 * joined with the companion's when the client CAs come from there.
 */
public final class KubernetesCredentialSource implements CredentialSource {

    static final String CA_SUFFIX = "-cacert";

    /** The key names of one convention. */
    private record Keys(String certificateChain, String privateKey, String caCertificates) {
    }

    private static final Keys TLS = new Keys("tls.crt", "tls.key", "ca.crt");
    private static final Keys GENERIC = new Keys("cert", "key", "cacert");

    private final KubernetesClient client;
    private final boolean ownsClient;
    private final String namespace;
    private final LastGoodCredentials credentials;
    private volatile SharedIndexInformer<Secret> informer;

    /** On the caller's client, left open by {@link #close()}. */
    public KubernetesCredentialSource(KubernetesClient client, String namespace) {
        this(client, false, namespace);
    }

    KubernetesCredentialSource(KubernetesClient client, boolean ownsClient, String namespace) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.namespace = namespace;
        this.credentials = new LastGoodCredentials(describe(), Level.WARN);
    }

    /** Lists the namespace's Secrets (before returning), then keeps watching them. */
    public KubernetesCredentialSource start() {
        try {
            informer = client.secrets().inNamespace(namespace).inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Secret secret) {
                    refresh(secret);
                }

                @Override
                public void onUpdate(Secret before, Secret after) {
                    refresh(after);
                }

                @Override
                public void onDelete(Secret secret, boolean finalStateUnknown) {
                    refresh(secret);
                }
            }, 0);
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("cannot watch the Secrets of namespace " + namespace
                    + " (may the gateway's service account list and watch them?): " + e.getMessage(), e);
        }
        refreshAll();
        return this;
    }

    @Override
    public TlsCredential get(String name) {
        return credentials.get(name);
    }

    @Override
    public void onChange(Runnable listener) {
        credentials.onChange(listener);
    }

    @Override
    public String describe() {
        return "Secrets in " + namespace;
    }

    /** The credentials whose latest Secret was refused, with every problem. */
    public Map<String, List<String>> rejected() {
        return credentials.rejected();
    }

    private void refresh(Secret changed) {
        String name = changed.getMetadata().getName();
        Set<String> affected = new LinkedHashSet<>();
        affected.add(name);
        if (name.endsWith(CA_SUFFIX)) {
            affected.add(name.substring(0, name.length() - CA_SUFFIX.length()));
        }
        refresh(affected);
    }

    private void refreshAll() {
        Set<String> names = new LinkedHashSet<>(credentials.all().keySet());
        names.addAll(credentials.rejected().keySet());
        informer.getStore().list().forEach(secret -> names.add(secret.getMetadata().getName()));
        refresh(names);
    }

    private synchronized void refresh(Set<String> names) {
        List<LastGoodCredentials.Read> reads = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (String name : names) {
            LastGoodCredentials.Read read = read(name);
            if (read != null) {
                reads.add(read);
            } else {
                removed.add(name);
            }
        }
        credentials.apply(reads, removed);
    }

    private Secret secret(String name) {
        return informer == null ? null : informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
    }

    /** The credential the Secret of that name holds, or null when it holds none (or is gone). */
    private LastGoodCredentials.Read read(String name) {
        Secret secret = secret(name);
        Map<String, String> data = secret == null || secret.getData() == null ? Map.of() : secret.getData();
        Keys keys = data.containsKey(TLS.certificateChain()) || data.containsKey(TLS.privateKey()) ? TLS
                : data.containsKey(GENERIC.certificateChain()) || data.containsKey(GENERIC.privateKey()) ? GENERIC : null;
        if (keys == null) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        String certificate = decode(name, data, keys.certificateChain(), "the PEM certificate chain", problems);
        String key = decode(name, data, keys.privateKey(), "the PEM private key of " + keys.certificateChain(), problems);
        String version = secret.getMetadata().getResourceVersion();
        String caOrigin = origin(name, caKey(data));
        String ca = caKey(data) != null ? decode(name, data, caKey(data), "PEM client CA certificates", problems) : null;
        Secret companion = secret(name + CA_SUFFIX);
        if (caKey(data) == null && companion != null && companion.getData() != null && caKey(companion.getData()) != null) {
            String companionKey = caKey(companion.getData());
            caOrigin = origin(name + CA_SUFFIX, companionKey);
            ca = decode(name + CA_SUFFIX, companion.getData(), companionKey, "PEM client CA certificates", problems);
            version = version + "+" + companion.getMetadata().getResourceVersion();
        }
        if (!problems.isEmpty()) {
            return new LastGoodCredentials.Read(name, null, problems);
        }
        TlsCredential candidate = new TlsCredential(name, certificate, key, ca, version);
        return new LastGoodCredentials.Read(name, candidate, CredentialValidator.validate(candidate,
                new CredentialValidator.Origins(origin(name, keys.certificateChain()), origin(name, keys.privateKey()), caOrigin)));
    }

    private static String caKey(Map<String, String> data) {
        return data.containsKey(TLS.caCertificates()) ? TLS.caCertificates()
                : data.containsKey(GENERIC.caCertificates()) ? GENERIC.caCertificates() : null;
    }

    private String origin(String secret, String key) {
        return "Secret " + namespace + "/" + secret + " key " + key;
    }

    private String decode(String secret, Map<String, String> data, String key, String expected, List<String> problems) {
        String encoded = data.get(key);
        if (encoded == null) {
            problems.add(origin(secret, key) + ": missing; expected " + expected);
            return null;
        }
        try {
            return new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            problems.add(origin(secret, key) + ": not base64; expected " + expected + ", base64-encoded as Secret data is");
            return null;
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        if (ownsClient) {
            client.close();
        }
    }
}
