package dev.gatemesh.proxy.credentials;

/**
 * Where a gateway finds the credentials its servers name: files in local mode, Secrets of the gateway's
 * namespace in Kubernetes. Changes are reported so that new handshakes use the new certificate while open
 * connections keep theirs.
 */
public interface CredentialSource extends AutoCloseable {

    /** The credential of that name, or null when there is none (or it is incomplete). */
    TlsCredential get(String name);

    /** Called (from any thread) after any credential was added, changed or removed. */
    void onChange(Runnable listener);

    /** A short description for logs and errors: {@code files in /home/.gatemesh/credentials}, {@code Secrets in ns}. */
    String describe();

    @Override
    void close();
}
