package dev.gatemesh.proxy.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EgressAuditTests {

    @Test
    void anAuditLineHasEveryFieldInAFixedOrderWithUnknownOnesAsNull() {
        String line = EgressAudit.line(Instant.parse("2026-12-01T06:00:00Z"), "istio-egressgateway", new EgressAudit.Entry(
                null, "10.0.0.7", "api.example.com", "GET", "/a", 502, 0, 120, 3, "4bf92f3577b34da6a3ce929d0e0e4736", null));

        assertThat(line).isEqualTo("{\"time\":\"2026-12-01T06:00:00Z\",\"gateway\":\"istio-egressgateway\","
                + "\"source_principal\":null,\"source_address\":\"10.0.0.7\",\"destination_host\":\"api.example.com\","
                + "\"method\":\"GET\",\"path\":\"/a\",\"status\":502,\"bytes_received\":0,\"bytes_sent\":120,\"duration_ms\":3,"
                + "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"request_id\":null}");
    }

    @Test
    void aPathWithQuotesAndControlCharactersCannotBreakTheLine() {
        String line = EgressAudit.line(Instant.EPOCH, "gw", new EgressAudit.Entry("cluster.local/ns/a/sa/b", null, "h",
                "GET", "/\"x\"\\\n\u0001", 200, 1, 2, 0, null, "r"));

        assertThat(line).contains("\"path\":\"/\\\"x\\\"\\\\\\n\\u0001\"").doesNotContain("\n");
    }

    @Test
    void theTraceIdComesFromTraceparentThenB3AndANewOneIsWellFormed() {
        assertThat(TraceContext.traceIdOf(Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")::get))
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(TraceContext.traceIdOf(Map.of("x-b3-traceid", "a3ce929d0e0e4736")::get))
                .isEqualTo("0000000000000000a3ce929d0e0e4736");
        assertThat(TraceContext.traceIdOf(Map.of("traceparent", "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")::get)).isNull();
        assertThat(TraceContext.traceIdOf(Map.<String, String>of()::get)).isNull();
        String fresh = TraceContext.newTraceparent(new SplittableRandom(7));
        assertThat(fresh).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(TraceContext.traceIdOf(Map.of("traceparent", fresh)::get)).isEqualTo(fresh.substring(3, 35));
    }
}
