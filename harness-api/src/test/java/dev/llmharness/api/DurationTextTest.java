package dev.llmharness.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

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

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("", "it is empty"),
                Arguments.of("   ", "it is empty"),
                Arguments.of("10", "a unit is missing after 10 (e.g. \"10s\" for seconds, \"10ms\" for milliseconds)"),
                Arguments.of("10 s", "remove the space between 10 and s: write \"10s\""),
                Arguments.of("1m 30 s", "remove the space between 30 and s: write \"30s\""),
                Arguments.of("s", "the unit 's' has no number before it"),
                Arguments.of("10x", "'x' is not a unit (use ns, us, ms, s, m or h)"),
                Arguments.of("10sec", "'sec' is not a unit (use ns, us, ms, s, m or h); write \"10s\""),
                Arguments.of("5 minutes", "remove the space between 5 and minutes: write \"5m\""),
                Arguments.of("2minutes", "'minutes' is not a unit (use ns, us, ms, s, m or h); write \"2m\""),
                Arguments.of("10S", "'S' is not a unit (use ns, us, ms, s, m or h); write \"10s\""),
                Arguments.of("1,5s", "use a period for decimals, not a comma"),
                Arguments.of("1..5s", "'1..5' is not a number"),
                Arguments.of("+5s", "'+' at position 0 is not part of a duration"),
                Arguments.of(
                        "-5s",
                        "negative durations are not allowed (a duration is a length of time); write \"5s\" or"
                                + " \"0s\" for none"),
                Arguments.of("PT10S", "ISO-8601 durations are not the syntax here; write \"10s\""),
                Arguments.of("PT1M30S", "ISO-8601 durations are not the syntax here; write \"1m30s\""),
                Arguments.of("999999999999h", "it is too long"));
    }

    @ParameterizedTest(name = "\"{0}\" fails: {1}")
    @MethodSource("malformed")
    void rejectsMalformedTextNamingTheProblemAndAValidForm(String text, String why) {
        assertThatThrownBy(() -> DurationText.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid duration \"" + text + "\": " + why
                        + "; write a number and a unit such as \"30s\", \"250ms\", \"2m\" or \"1m30s\"");
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
