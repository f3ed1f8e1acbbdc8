package dev.gatemesh.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.model.DestinationRule.ConnectionPoolSettings;
import dev.gatemesh.api.model.IstioDuration;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PoolSettingsTranslatorTests {

    @Test
    void unsetIsUnlimitedWithIstiosTimeouts() {
        assertThat(PoolSettingsTranslator.translate(null)).isEqualTo(PoolSettings.NONE);
        assertThat(PoolSettingsTranslator.translate(new ConnectionPoolSettings(null, null))).isEqualTo(PoolSettings.NONE);
    }

    @Test
    void limitedConnectionsWithoutAPendingLimitQueueAtMostTheDefault() {
        PoolSettings settings = PoolSettingsTranslator.translate(new ConnectionPoolSettings(
                new ConnectionPoolSettings.Tcp(3, IstioDuration.parse("250ms"), null), null));
        assertThat(settings.maxConnections()).isEqualTo(3);
        assertThat(settings.maxPendingRequests()).isEqualTo(PoolSettings.DEFAULT_MAX_PENDING);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void httpIdleTimeoutWinsOverTcpsAndZeroMeansUnset() {
        PoolSettings settings = PoolSettingsTranslator.translate(new ConnectionPoolSettings(
                new ConnectionPoolSettings.Tcp(0, null, IstioDuration.parse("5m")),
                new ConnectionPoolSettings.Http(1, 10, 1, 0, IstioDuration.parse("30s"))));
        assertThat(settings.maxConnections()).isEqualTo(PoolSettings.UNLIMITED);
        assertThat(settings.maxPendingRequests()).isEqualTo(1);
        assertThat(settings.maxRequests()).isEqualTo(10);
        assertThat(settings.maxRequestsPerConnection()).isEqualTo(1);
        assertThat(settings.maxRetries()).isEqualTo(PoolSettings.UNLIMITED);
        assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    }
}
