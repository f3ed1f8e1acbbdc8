package dev.gatemesh.ingress.springconfig;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.springframework.boot.bootstrap.BootstrapContext;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.config.client.ConfigClientProperties;
import org.springframework.cloud.config.client.ConfigServerBootstrapper;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestTemplate;

/**
 * Lets {@code spring.config.import=configserver:https://<config server>:15012} work against the mesh: the
 * config client trusts the mesh's root ({@code gatemesh.proxy.root-cert}) and presents the proxy's own
 * credential ({@code gatemesh.proxy.credential-file}, re-read on every request, so a rotated token is
 * picked up) as a bearer token, with the WorkloadEntry it claims in local mode ({@code gatemesh.proxy.workload}).
 * Built again on every refresh, so a rotated root is picked up too. A root that cannot be read fails the
 * request with a message naming the property, never the app's start when the import is optional.
 */
public final class MeshConfigServerClient {

    /** The header that names the WorkloadEntry the bootstrap token is presented for (local mode). */
    public static final String WORKLOAD_HEADER = "Gatemesh-Workload";

    private MeshConfigServerClient() {
    }

    /** Registers the mesh's RestTemplate with the config client. */
    public static ConfigServerBootstrapper bootstrapper() {
        return new ConfigServerBootstrapper().withRestTemplateFactory(MeshConfigServerClient::restTemplate);
    }

    static RestTemplate restTemplate(BootstrapContext context) {
        Binder binder = context.get(Binder.class);
        Path home = Path.of(System.getProperty("user.home"), ".gatemesh");
        Path rootCert = binder.bind("gatemesh.proxy.root-cert", Path.class).orElse(home.resolve("root-cert.pem"));
        Path credentialFile = binder.bind("gatemesh.proxy.credential-file", Path.class).orElse(home.resolve("bootstrap-token"));
        String workload = binder.bind("gatemesh.proxy.workload", String.class).orElse(null);
        // The config client's own timeouts (spring.cloud.config.request-*-timeout), when it registered them.
        Duration connectTimeout = Duration.ofSeconds(10);
        Duration readTimeout = Duration.ofSeconds(185);
        if (context.isRegistered(ConfigClientProperties.class)) {
            ConfigClientProperties client = context.get(ConfigClientProperties.class);
            connectTimeout = Duration.ofMillis(Math.max(1, client.getRequestConnectTimeout()));
            readTimeout = Duration.ofMillis(Math.max(1, client.getRequestReadTimeout()));
        }

        RestTemplate template;
        try {
            HttpClient http = HttpClient.newBuilder().sslContext(trusting(rootCert))
                    .connectTimeout(connectTimeout).build();
            JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
            requests.setReadTimeout(readTimeout);
            template = new RestTemplate(requests);
        } catch (IOException | GeneralSecurityException e) {
            String problem = "cannot read the mesh's root certificate " + rootCert + " (" + e.getMessage()
                    + "); set gatemesh.proxy.root-cert to the trust bundle the config server publishes";
            template = new RestTemplate();
            template.getInterceptors().add((request, body, execution) -> {
                throw new IOException(problem);
            });
            return template;
        }
        template.getInterceptors().add((request, body, execution) -> {
            String credential;
            try {
                credential = Files.readString(credentialFile).trim();
            } catch (IOException e) {
                throw new IOException("cannot read the mesh credential " + credentialFile + " (" + e.getClass().getSimpleName()
                        + "); set gatemesh.proxy.credential-file to the bootstrap token or the service-account token");
            }
            request.getHeaders().set(HttpHeaders.AUTHORIZATION, "Bearer " + credential);
            if (workload != null && !workload.isBlank()) {
                request.getHeaders().set(WORKLOAD_HEADER, workload);
            }
            return execution.execute(request, body);
        });
        return template;
    }

    private static SSLContext trusting(Path rootCert) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> roots = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(rootCert)));
        if (roots.isEmpty()) {
            throw new GeneralSecurityException("no certificate in it");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate root : roots) {
            store.setCertificateEntry("mesh-root-" + i++, root);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }
}
