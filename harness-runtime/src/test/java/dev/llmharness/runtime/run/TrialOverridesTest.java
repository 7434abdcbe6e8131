package dev.llmharness.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapedLoadModel;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The runtime side of the processor's rule that a window must expect a handful of requests: an
 * override that leaves fewer warns, for a fixed rate and for a rate shape alike.
 */
class TrialOverridesTest {
    private static TrialSpec declared(dev.llmharness.api.spi.LoadModel load, Phase warmup, Phase window) {
        return TestTrials.trial("t", load, warmup, window, Duration.ofSeconds(5), SloSpec.NONE);
    }

    private static String warning(TrialOverrides overrides, TrialSpec declared) {
        return overrides.fewRequestsWarning(overrides.apply(declared));
    }

    @Test
    void aFixedRateScaledBelowAHandfulWarnsNamingTheOption() {
        TrialSpec t = declared(
                new OpenLoopModel(Arrival.POISSON, 4, 0), Phase.NONE, Phase.ofDuration(Duration.ofSeconds(10)));
        TrialOverrides low = new TrialOverrides(null, 1.0, 0.1, null, null);
        assertThat(warning(low, t))
                .contains("4.0 requests expected in the 10s window at 0.4 requests/s (after --rate-scale 0.1)")
                .contains("fewer than 5");
        assertThat(warning(new TrialOverrides(null, 1.0, 0.2, null, null), t)).isNull();
    }

    @Test
    void aRateShapeScaledBelowAHandfulWarnsToo() {
        // 1 -> 20 requests/s over 20 s expects 210 arrivals; a 0.02 rate scale leaves 4.2.
        ShapedLoadModel ramp = ShapedLoadModel.ramp(Arrival.POISSON, 1, 1, 20, Duration.ofSeconds(20), 0);
        TrialSpec t = declared(ramp, Phase.NONE, Phase.ofDuration(Duration.ofSeconds(30)));
        String few = warning(new TrialOverrides(null, 1.0, 0.02, null, null), t);
        assertThat(few)
                .startsWith(t.id() + ": 4.2 requests expected in the 20s window of the rate shape ramp")
                .contains("(after --rate-scale 0.02)")
                .contains("fewer than 5");
        assertThat(warning(new TrialOverrides(null, 1.0, 0.05, null, null), t))
                .as("10.5 expected arrivals are enough")
                .isNull();
    }

    @Test
    void aRateScaleBeyondTheHighestRateIsOneLineNamingTheOption() {
        // 8 requests/s times 1e9 ran (785 requests in 1 s, "peak 2147483647 req/s") before.
        TrialSpec t = declared(
                new OpenLoopModel(Arrival.POISSON, 8, 0), Phase.NONE, Phase.ofDuration(Duration.ofSeconds(10)));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new TrialOverrides(null, 1.0, 1e9, null, null).apply(t))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(t.id() + ": --rate-scale 1000000000 makes its load invalid: rate must be at most 1000000"
                        + " requests/s (Limits.MAX_RATE), got 8.0E9; lower --rate-scale");
    }
}
