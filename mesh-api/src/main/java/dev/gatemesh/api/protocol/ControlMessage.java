package dev.gatemesh.api.protocol;

import dev.gatemesh.api.snapshot.ProxyNode;
import java.util.List;
import java.util.Map;

/**
 * The messages of the control-plane stream, one JSON text frame each. A proxy opens the stream with
 * {@link Hello}; the server answers with the current {@link Snapshot} and every new one as soon as it
 * exists (latest wins); the proxy answers each with {@link Ack} or {@link Nack}. The server may also send
 * notices that need no answer ({@link PropertiesChanged}); a proxy ignores a message type it does not know.
 */
public sealed interface ControlMessage permits ControlMessage.Hello, ControlMessage.Snapshot, ControlMessage.Ack,
        ControlMessage.Nack, ControlMessage.Certificate, ControlMessage.PropertiesChanged {

    /** Proxy to server: who I am, and the version I run (null on first start). */
    record Hello(ProxyNode node, String runningVersion) implements ControlMessage {
    }

    /** Server to proxy: a snapshot, as the JSON object {@link dev.gatemesh.api.snapshot.SnapshotCodec} reads. */
    record Snapshot(String version, Map<String, Object> body) implements ControlMessage {
    }

    /** Proxy to server: this version is applied. */
    record Ack(String version) implements ControlMessage {
    }

    /** Proxy to server: this version was refused; the previous one stays in force. */
    record Nack(String version, String reason) implements ControlMessage {
    }

    /**
     * Proxy to server: the certificate chain (PEM, public) the proxy presents from now on, sent after
     * every rotation; the server checks it before recording it.
     */
    record Certificate(String chainPem) implements ControlMessage {
    }

    /**
     * Server to proxy, no answer: the Spring properties served to these names changed. A name is a property
     * file's base name as the config server serves it: {@code application}, {@code <application>} or
     * {@code <application>-<profile>}. {@code version} is the version the config server now serves.
     */
    record PropertiesChanged(List<String> applications, String version) implements ControlMessage {
        public PropertiesChanged {
            applications = List.copyOf(applications);
        }
    }
}
