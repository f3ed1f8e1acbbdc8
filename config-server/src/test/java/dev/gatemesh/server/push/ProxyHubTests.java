package dev.gatemesh.server.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.protocol.ControlMessage;
import dev.gatemesh.api.protocol.ProtocolCodec;
import dev.gatemesh.api.registry.ServiceEntryRegistry;
import dev.gatemesh.api.snapshot.MeshConfig;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyHubTests {

    private static final LoadOptions OPTIONS = LoadOptions.DEFAULTS;
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    /** Records frames instead of writing them to a socket. */
    static final class Recorder implements ProxyHub.Outbound {
        final List<String> versions = new ArrayList<>();
        boolean closed;

        @Override
        public void send(String frame) {
            versions.add(((ControlMessage.Snapshot) ProtocolCodec.decode(frame)).version());
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static MeshConfig examples(java.util.function.Predicate<Resource<?>> keep) {
        var resources = new ManifestLoader(OPTIONS).loadPaths(List.of(Path.of("").toAbsolutePath().getParent()
                .resolve("examples"))).validResources().stream().filter(keep).toList();
        return new MeshConfig(resources, ServiceEntryRegistry.build(resources, OPTIONS), OPTIONS);
    }

    static ProxyNode sidecar(String id, String app) {
        return new ProxyNode(id, ProxyRole.SIDECAR, "bookinfo", "bookinfo-" + app, Map.of("app", app, "version", "v1"));
    }

    @Test
    void nothingIsSentBeforeTheSourceHasReadEverything() {
        ProxyHub hub = new ProxyHub(MeshConfig.empty(OPTIONS), clock);
        Recorder early = new Recorder();
        hub.connect(sidecar("a", "reviews"), null, early);
        assertThat(early.versions).isEmpty();
        assertThat(hub.statuses()).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo(SyncState.STALE));

        hub.configChanged(MeshConfig.empty(OPTIONS), examples(r -> true));

        assertThat(early.versions).hasSize(1);
    }

    @Test
    void aChangeReachesOnlyTheClassesOfProxyItAffects() {
        ProxyHub hub = new ProxyHub(MeshConfig.empty(OPTIONS), clock);
        MeshConfig before = examples(r -> true);
        hub.configChanged(MeshConfig.empty(OPTIONS), before);
        Recorder reviews = new Recorder();
        Recorder ratings = new Recorder();
        hub.connect(sidecar("reviews-1", "reviews"), null, reviews);
        hub.connect(sidecar("ratings-1", "ratings"), null, ratings);

        hub.configChanged(before, examples(r -> !r.name().equals("ratings-viewer")));

        assertThat(reviews.versions).hasSize(1);
        assertThat(ratings.versions).hasSize(2);
    }

    @Test
    void ackAndNackAreTrackedPerProxy() {
        ProxyHub hub = new ProxyHub(MeshConfig.empty(OPTIONS), clock);
        hub.configChanged(MeshConfig.empty(OPTIONS), examples(r -> true));
        Recorder recorder = new Recorder();
        ProxyHub.Connection connection = hub.connect(sidecar("a", "reviews"), null, recorder);
        String version = recorder.versions.get(0);

        hub.nack(connection, version, "cannot apply");
        assertThat(connection.status().state()).isEqualTo(SyncState.NACKED);
        assertThat(connection.status().nackReason()).isEqualTo("cannot apply");

        hub.ack(connection, version);
        assertThat(connection.status().state()).isEqualTo(SyncState.SYNCED);
        assertThat(connection.status().ackedAt()).isEqualTo(clock.instant());
    }

    @Test
    void theSnapshotInForceIsTheLastAcknowledgedOneUntilANewerOneIsAcknowledged() {
        ProxyHub hub = new ProxyHub(MeshConfig.empty(OPTIONS), clock);
        assertThat(hub.inForce("a")).isEmpty();
        Recorder recorder = new Recorder();
        ProxyHub.Connection connection = hub.connect(sidecar("a", "ratings"), null, recorder);
        assertThat(hub.inForce("a")).hasValueSatisfying(f -> assertThat(f.snapshot()).isNull());

        MeshConfig first = examples(r -> true);
        hub.configChanged(MeshConfig.empty(OPTIONS), first);
        String sent = recorder.versions.get(0);
        assertThat(hub.inForce("a")).hasValueSatisfying(f -> {
            assertThat(f.snapshot().version()).isEqualTo(sent);
            assertThat(f.acknowledged()).isFalse();
        });
        hub.ack(connection, sent);

        hub.configChanged(first, examples(r -> !r.name().equals("ratings-viewer")));
        String refused = recorder.versions.get(1);
        hub.nack(connection, refused, "cannot apply");
        assertThat(hub.inForce("a")).hasValueSatisfying(f -> {
            assertThat(f.snapshot().version()).isEqualTo(sent);
            assertThat(f.acknowledged()).isTrue();
            assertThat(f.status().nackedVersion()).isEqualTo(refused);
        });
    }

    @Test
    void aReconnectSupersedesTheOldStreamAndTheOldStreamsEndDoesNotRemoveIt() {
        ProxyHub hub = new ProxyHub(MeshConfig.empty(OPTIONS), clock);
        hub.configChanged(MeshConfig.empty(OPTIONS), examples(r -> true));
        ProxyHub.Connection old = hub.connect(sidecar("a", "reviews"), null, new Recorder());
        ProxyHub.Connection fresh = hub.connect(sidecar("a", "reviews"), null, new Recorder());
        hub.disconnect(old);
        assertThat(hub.statuses()).singleElement().isSameAs(fresh.status());
    }

    @Test
    void closingAllEndsEveryStream() {
        ProxyHub hub = new ProxyHub(MeshConfig.empty(OPTIONS), clock);
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        hub.connect(sidecar("a", "reviews"), null, a);
        hub.connect(sidecar("b", "ratings"), null, b);
        hub.closeAll();
        assertThat(a.closed).isTrue();
        assertThat(b.closed).isTrue();
    }
}
