package dev.gatemesh.api.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class RootCauseTests {

    @Test
    void describesTheInnermostCauseWithItsType() {
        Exception error = new IllegalStateException("outer", new UncheckedIOException(new ConnectException("Connection refused")));
        assertThat(RootCause.of(error)).isInstanceOf(ConnectException.class);
        assertThat(RootCause.describe(error)).isEqualTo("ConnectException: Connection refused");
        assertThat(RootCause.message(error)).isEqualTo("Connection refused");
    }

    @Test
    void aCauseWithoutAMessageIsNamedByItsType() {
        Exception error = new RuntimeException("outer", new IOException());
        assertThat(RootCause.describe(error)).isEqualTo("IOException");
        assertThat(RootCause.message(error)).isEqualTo("IOException");
    }

    @Test
    void anErrorWithoutACauseIsItsOwnRoot() {
        Exception error = new IllegalArgumentException("bad");
        assertThat(RootCause.of(error)).isSameAs(error);
    }

    @Test
    void aCauseChainThatLoopsEnds() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);
        assertThat(RootCause.describe(second)).startsWith("RuntimeException: ");
    }
}
