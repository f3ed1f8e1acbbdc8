package dev.gatemesh.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IstioDurationTests {

    @ParameterizedTest
    @CsvSource({"1.5s,1500", "100ms,100", "1m,60000", "1h30m,5400000", "0.25s,250", "2h,7200000", "0s,0", ".5s,500"})
    void parsesIstiosForms(String text, long millis) {
        assertThat(IstioDuration.parse(text).value()).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "1x", "s", "-1s", "1 s", "1.s", ""})
    void rejectsWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> IstioDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration");
    }

    @ParameterizedTest
    @CsvSource({"1500,1.5s", "100,100ms", "60000,1m", "3600000,1h", "90000,90s", "0,0s", "1001,1.001s"})
    void writesTheShortestExactForm(long millis, String text) {
        assertThat(IstioDuration.of(Duration.ofMillis(millis)).text()).isEqualTo(text);
        assertThat(IstioDuration.parse(text).value()).isEqualTo(Duration.ofMillis(millis));
    }
}
