package dev.gatemesh.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTests {

    private static List<String> forwarded(HttpHeaders headers, Set<String> alsoDropped) {
        List<String> names = new ArrayList<>();
        HopByHopHeaders.forEachForwarded(headers, alsoDropped, (name, value) -> names.add(name + ": " + value));
        return names;
    }

    @Test
    void theFixedHopByHopHeadersAreNeverForwarded() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Host", "a").add("Keep-Alive", "5").add("TE", "trailers")
                .add("Transfer-Encoding", "chunked").add("Upgrade", "h2c").add("Proxy-Authorization", "Basic x")
                .add("Accept", "*/*");

        assertThat(forwarded(headers, Set.of())).containsExactly("Accept: */*");
    }

    @Test
    void headersTheConnectionHeaderNamesAreDroppedWhateverTheirCase() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Connection", "keep-alive, X-Secret-Hop").add("connection", "close")
                .add("x-secret-hop", "1").add("X-Forwarded-Client-Cert", "By=x").add("Accept", "*/*");

        assertThat(forwarded(headers, Set.of())).containsExactly("X-Forwarded-Client-Cert: By=x", "Accept: */*");
        assertThat(HopByHopHeaders.nominated(headers)).containsExactly("x-secret-hop");
    }

    @Test
    void aMessageWithoutAConnectionHeaderNominatesNothing() {
        assertThat(HopByHopHeaders.nominated(new DefaultHttpHeaders().add("Accept", "*/*"))).isEmpty();
    }

    @Test
    void callersMayDropMoreHeaders() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Sec-WebSocket-Key", "k").add("Accept", "*/*");

        assertThat(forwarded(headers, Set.of("sec-websocket-key"))).containsExactly("Accept: */*");
    }
}
