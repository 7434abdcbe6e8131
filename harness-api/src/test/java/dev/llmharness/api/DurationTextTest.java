package dev.llmharness.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationTextTest {
    @ParameterizedTest(name = "\"{0}\" is {1} ns")
    @CsvSource(
            delimiter = '|',
            value = {
                "30s | 30000000000",
                "2m | 120000000000",
                "1h | 3600000000000",
                "1m30s | 90000000000",
                "1.5s | 1500000000",
                "250ms | 250000000",
                "10us | 10000",
                "7ns | 7",
                "'  1m 30s  ' | 90000000000",
                "0s | 0",
                "1h1m1s1ms1us1ns | 3661001001001",
                "0.5ns | 0"
            })
    void parsesEveryUnitAndCombination(String text, long nanos) {
        assertThat(DurationText.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest(name = "\"{0}\" fails: {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "\"\" | it is empty",
                "\"   \" | it is empty",
                "10 | a unit is missing",
                "10 s | a unit is missing",
                "s | expected a number at position 0",
                "10x | 'x' is not a unit (use ns, us, ms, s, m or h)",
                "10sec | 'sec' is not a unit",
                "1..5s | '1..5' is not a number",
                "-5s | expected a number at position 0",
                "999999999999h | it is too long"
            })
    void rejectsMalformedTextNamingTheProblemAndAValidForm(String text, String why) {
        assertThatThrownBy(() -> DurationText.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid duration \"" + text + "\": " + why)
                .hasMessageEndingWith("write a number and a unit such as \"30s\", \"250ms\", \"2m\" or \"1m30s\"");
    }

    @Test
    void rejectsNullAsEmpty() {
        assertThatThrownBy(() -> DurationText.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("it is empty");
    }

    @ParameterizedTest(name = "{0} formats as {1}")
    @CsvSource(
            delimiter = '|',
            value = {"0 | 0s", "90000000000 | 1m30s", "1500000000 | 1s500ms", "3600000000001 | 1h1ns", "250000 | 250us"
            })
    void formatsInTheShortestExactFormItParses(long nanos, String text) {
        assertThat(DurationText.format(Duration.ofNanos(nanos))).isEqualTo(text);
        assertThat(DurationText.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }
}
