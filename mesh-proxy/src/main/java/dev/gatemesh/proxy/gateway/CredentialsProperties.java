package dev.gatemesh.proxy.gateway;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the gateway finds the credentials its servers name ({@code tls.credentialName}), under
 * {@code gatemesh.gateway.credentials}.
 *
 * @param source    {@code files} (local mode, the default) or {@code kubernetes}
 * @param folder    files: one directory per credential (default {@code ~/.gatemesh/credentials})
 * @param debounce  files: how long a burst of file events is left to settle before the folder is read
 * @param rescan    files: the periodic read that catches what the watch service missed
 * @param namespace kubernetes: the namespace whose Secrets are read (default: the pod's namespace, else
 *                  {@code gatemesh.proxy.namespace})
 */
@ConfigurationProperties("gatemesh.gateway.credentials")
public record CredentialsProperties(
        @DefaultValue("files") Source source,
        Path folder,
        @DefaultValue("200ms") Duration debounce,
        @DefaultValue("30s") Duration rescan,
        String namespace) {

    public CredentialsProperties {
        // @DefaultValue does not resolve ${user.home}.
        folder = folder != null ? folder : Path.of(System.getProperty("user.home"), ".gatemesh", "credentials");
    }

    public enum Source { FILES, KUBERNETES }
}
