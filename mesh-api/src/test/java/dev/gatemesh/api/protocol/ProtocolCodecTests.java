package dev.gatemesh.api.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolCodecTests {

    @Test
    void propertiesChangedRoundTrips() {
        String frame = ProtocolCodec.encode(new ControlMessage.PropertiesChanged(List.of("application", "gw-prod"), "v7"));

        assertThat(frame).isEqualTo("{\"type\":\"properties-changed\",\"applications\":[\"application\",\"gw-prod\"],"
                + "\"version\":\"v7\"}");
        assertThat(ProtocolCodec.decode(frame))
                .isEqualTo(new ControlMessage.PropertiesChanged(List.of("application", "gw-prod"), "v7"));
    }

    @Test
    void aTypeFromANewerPeerIsDistinguishableFromABrokenFrame() {
        assertThatThrownBy(() -> ProtocolCodec.decode("{\"type\":\"from-the-future\",\"x\":1}"))
                .isInstanceOf(ProtocolCodec.UnknownMessageType.class)
                .hasMessage("unknown message type \"from-the-future\"");
        assertThatThrownBy(() -> ProtocolCodec.decode("{\"type\":\"properties-changed\",\"version\":\"v1\"}"))
                .isInstanceOf(ProtocolCodec.ProtocolException.class)
                .isNotInstanceOf(ProtocolCodec.UnknownMessageType.class)
                .hasMessageContaining("applications");
    }
}
