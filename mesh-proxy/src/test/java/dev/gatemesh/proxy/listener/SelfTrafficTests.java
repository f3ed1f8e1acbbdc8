package dev.gatemesh.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SelfTrafficTests {

    private final SelfTraffic self = new SelfTraffic(Set.of(15001, 15006), Set.of(15020), "mark-1");
    private final HttpHeaders none = new DefaultHttpHeaders();

    @Test
    void aRequestForTheProxysOwnListenerOnThisHostIsALoop() {
        assertThat(self.refusal("127.0.0.1:15001", 15001, none).status()).isEqualTo(508);
        assertThat(self.refusal("localhost:15006", 15006, none).status()).isEqualTo(508);
        assertThat(self.refusal("[::1]:15001", 15001, none).status()).isEqualTo(508);
        assertThat(self.refusal("0.0.0.0:15001", 15001, none).status()).isEqualTo(508);
    }

    @Test
    void aRequestForTheManagementPortOnThisHostIsRefusedWithoutSayingWhatIsThere() {
        SelfTraffic.Refusal refusal = self.refusal("127.0.0.1:15020", 15020, none);

        assertThat(refusal.status()).isEqualTo(403);
        assertThat(refusal.reason()).contains("management port").doesNotContain("actuator");
    }

    @Test
    void theLegacyFormsOfLoopbackAreThisHostToo() {
        for (String host : new String[] {"127.1", "2130706433", "0x7f.1", "0177.0.0.1", "0x7f000001", "127.0.1"}) {
            assertThat(self.refusal(host + ":15020", 15020, none).status()).as(host).isEqualTo(403);
        }
        assertThat(SelfTraffic.legacyIpv4("256.1")).isNull();
        assertThat(SelfTraffic.legacyIpv4("reviews")).isNull();
        assertThat(SelfTraffic.legacyIpv4("1.2.3.4.5")).isNull();
    }

    @Test
    void otherHostsAndPortsPassAndNamesAreNeverResolved() {
        assertThat(self.refusal("reviews:15001", 15001, none)).as("a name: not resolved, the loop mark catches it").isNull();
        assertThat(self.refusal("10.255.255.1:15001", 15001, none)).as("another host").isNull();
        assertThat(self.refusal("127.0.0.1:9080", 9080, none)).as("another port of this host").isNull();
    }

    @Test
    void aRequestCarryingThisProxysMarkCameBackAndIsRefused() {
        HttpHeaders marked = new DefaultHttpHeaders();
        self.mark(marked);

        assertThat(self.refusal("somewhere.example.com", 80, marked).status()).isEqualTo(508);
        assertThat(new SelfTraffic(Set.of(15001), Set.of(), "other").refusal("somewhere.example.com", 80, marked))
                .as("another proxy's mark").isNull();
    }
}
