package dev.gatemesh.proxy.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The probe listener on a real socket: a status for the probe paths, 503 while a check fails, and nothing else. */
class ProbeListenerTests {

    private final AtomicBoolean live = new AtomicBoolean(true);
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private final ProbeListener listener = ProbeListener.start("127.0.0.1", 0, new ProbeChecks(live::get, ready::get));
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        listener.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersTheProbePathsWithTheStatusOfTheirCheckAndNothingMore() throws Exception {
        assertThat(send("GET", "/livez").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/livez").body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(send("GET", "/readyz").statusCode()).isEqualTo(503);
        assertThat(send("GET", "/healthz/ready").body()).isEqualTo("{\"status\":\"DOWN\"}");

        ready.set(true);
        live.set(false);

        assertThat(send("GET", "/readyz").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/healthz/ready").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/livez").statusCode()).isEqualTo(503);
    }

    @Test
    void everythingElseIsANotFoundWithAnEmptyBody() throws Exception {
        for (String path : new String[] {"/", "/actuator/health", "/actuator/prometheus", "/readyz/details"}) {
            HttpResponse<String> response = send("GET", path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).isEmpty();
        }
        assertThat(send("POST", "/readyz").statusCode()).isEqualTo(404);
    }

    @Test
    void aCheckThatThrowsIsDown() throws Exception {
        try (ProbeListener failing = ProbeListener.start("127.0.0.1", 0, new ProbeChecks(() -> {
            throw new IllegalStateException("broken");
        }, () -> true))) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + failing.port()
                    + "/livez")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).isEqualTo("{\"status\":\"DOWN\"}");
        }
    }

    @Test
    void aPortInUseIsRefusedNamingTheAddressAndTheSetting() {
        assertThatThrownBy(() -> ProbeListener.start("127.0.0.1", listener.port(), new ProbeChecks(() -> true, () -> true)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the probe listener cannot listen on 127.0.0.1:" + listener.port())
                .hasMessageContaining("gatemesh.proxy.probe.port");
    }
}
