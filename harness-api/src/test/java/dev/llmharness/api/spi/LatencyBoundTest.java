package dev.llmharness.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class LatencyBoundTest {
    @Test
    void parsesPercentileAndLimit() {
        assertThat(LatencyBound.parse(SloMetric.TTFT, "p99 <= 2s"))
                .isEqualTo(new LatencyBound(SloMetric.TTFT, 99, Duration.ofSeconds(2)));
        assertThat(LatencyBound.parse(SloMetric.ITL, "p99.9<=150ms"))
                .isEqualTo(new LatencyBound(SloMetric.ITL, 99.9, Duration.ofMillis(150)));
        assertThat(LatencyBound.parse(SloMetric.E2E, "  p50  <=  1m30s "))
                .isEqualTo(new LatencyBound(SloMetric.E2E, 50, Duration.ofSeconds(90)));
    }

    @ParameterizedTest(name = "\"{0}\" prints back as \"{1}\"")
    @CsvSource(
            delimiter = '|',
            value = {"p99 <= 2s | p99 <= 2s", "p99.9<=150ms | p99.9 <= 150ms", "p50 <= 1.5s | p50 <= 1s500ms"})
    void printsInTheSyntaxItParses(String text, String printed) {
        LatencyBound bound = LatencyBound.parse(SloMetric.TPOT, text);

        assertThat(bound.toString()).isEqualTo(printed);
        assertThat(LatencyBound.parse(SloMetric.TPOT, printed)).isEqualTo(bound);
    }

    static Stream<Arguments> malformed() {
        String errorRate = "this looks like an error-rate bound, which is not a latency bound: bound the error rate"
                + " with @Slo(maxErrorRate = ";
        return Stream.of(
                Arguments.of("2s", "write \"p<percentile> <= <duration>\", e.g. \"p99 <= 2s\""),
                Arguments.of("p99 < 2s", "a bound is written with <= (< is not accepted): write \"p99 <= 2s\""),
                Arguments.of("p99 = 2s", "a bound is written with <= (= is not accepted): write \"p99 <= 2s\""),
                Arguments.of("99 <= 2s", "a percentile is written with p, as in p99: write \"p99 <= 2s\""),
                Arguments.of(
                        "p999 <= 2ms",
                        "the percentile must be in (0, 100): p999 is written p99.9: write \"p99.9 <= 2ms\""),
                Arguments.of(
                        "ttft.p999 <= 2ms",
                        "the attribute names the metric (ttft = ...), so the bound leaves it out; the percentile"
                                + " must be in (0, 100): p999 is written p99.9: write \"p99.9 <= 2ms\""),
                Arguments.of(
                        "TTFT p99 <= 2s",
                        "the attribute names the metric (ttft = ...), so the bound leaves it out: write"
                                + " \"p99 <= 2s\""),
                Arguments.of("p9995 <= 1s", "p9995 is written p99.95: write \"p99.95 <= 1s\""),
                Arguments.of("p100 <= 2s", "the percentile must be in (0, 100), e.g. p50, p99 or p99.9"),
                Arguments.of("p0 <= 2s", "the percentile must be in (0, 100)"),
                Arguments.of("p99 <= 2 parsecs", "invalid duration \"2 parsecs\""),
                Arguments.of("p99 <= 2", "a unit is missing after 2"),
                Arguments.of("p99 <= 0ms", "the limit must be > 0"),
                Arguments.of("errors <= 1%", errorRate + "0.01)"),
                Arguments.of("error_rate <= 0.05", errorRate + "0.01)"),
                Arguments.of("p99 <= 0.5%", errorRate + "0.005)"),
                Arguments.of("<= 0.01", errorRate + "0.01)"));
    }

    @ParameterizedTest(name = "\"{0}\" fails: {1}")
    @MethodSource("malformed")
    void rejectsMalformedBoundsNamingTheProblemAndTheFix(String text, String why) {
        assertThatThrownBy(() -> LatencyBound.parse(SloMetric.TTFT, text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid SLO bound \"" + text + "\"")
                .hasMessageContaining(why);
    }

    @Test
    void rejectsAMissingText() {
        assertThatThrownBy(() -> LatencyBound.parse(SloMetric.TTFT, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid SLO bound \"null\"");
    }

    @Test
    void theConstructorChecksPercentileAndLimit() {
        assertThatThrownBy(() -> new LatencyBound(SloMetric.TTFT, 100, Duration.ofSeconds(1)))
                .hasMessage("the percentile must be in (0, 100), got 100.0");
        assertThatThrownBy(() -> new LatencyBound(SloMetric.TTFT, 99, Duration.ZERO))
                .hasMessage("the limit must be > 0, got 0s");
    }
}
