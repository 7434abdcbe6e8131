package dev.llmharness.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.api.Api;
import dev.llmharness.api.Arrival;
import dev.llmharness.api.ShapePreset;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrialSpecTest {
    private static TrialSpec trial(Map<String, String> params, Phase measurement, Duration drain) {
        return new TrialSpec(
                "com.example.Chat.chat",
                params,
                new OpenLoopModel(Arrival.POISSON, 2, 0),
                Phase.NONE,
                measurement,
                drain,
                ShapeWorkload.of(ShapePreset.CHAT, "cl100k_base"),
                new EndpointSpec(Api.OPENAI_CHAT, "", "", "LLMH_API_KEY"),
                SloSpec.NONE,
                42);
    }

    @Test
    void theIdIsTheBenchmarkFollowedByItsParametersInOrder() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("rate", "2");
        params.put("input", "256");
        params.put("temperature", "0.7");

        TrialSpec trial = trial(params, Phase.ofDuration(Duration.ofSeconds(30)), Duration.ofSeconds(30));

        assertThat(trial.id()).isEqualTo("com.example.Chat.chat{rate=2, input=256, temperature=0.7}");
        assertThat(trial.method()).isEqualTo("chat");
    }

    @Test
    void theIdOfATrialWithoutParametersIsTheBenchmarkName() {
        TrialSpec trial = trial(Map.of(), Phase.ofRequests(10), Duration.ofSeconds(1));

        assertThat(trial.id()).isEqualTo("com.example.Chat.chat");
    }

    @Test
    void theParametersAreCopiedAndCannotBeModified() {
        Map<String, String> params = new LinkedHashMap<>(Map.of("rate", "2"));
        TrialSpec trial = trial(params, Phase.ofRequests(10), Duration.ofSeconds(1));

        params.put("rate", "4");

        assertThat(trial.params()).containsExactly(Map.entry("rate", "2"));
        assertThatThrownBy(() -> trial.params().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest(name = "{0} requests/s is named {1}")
    @CsvSource({"2.0, 2", "0.25, 0.25", "4.5, 4.5", "100, 100", "0.0001, 0.0001", "1e7, 10000000", "0.1, 0.1"})
    void ratesAreNamedInTheirShortestDecimalForm(double rate, String name) {
        assertThat(TrialSpec.formatRate(rate)).isEqualTo(name);
    }

    @Test
    void anEmptyMeasurementWindowOrDrainTimeoutIsRejected() {
        assertThatThrownBy(() -> trial(Map.of(), Phase.NONE, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the measurement window must be longer than 0s or count requests");
        assertThatThrownBy(() -> trial(Map.of(), Phase.ofRequests(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("drainTimeout must be > 0, got PT0S");
    }
}
