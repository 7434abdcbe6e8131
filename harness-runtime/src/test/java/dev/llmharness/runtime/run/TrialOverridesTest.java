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
                        + " requests/s (Limits.MAX_RATE), got 8.0E9; lower --rate-scale to at most 125000");
    }

    @Test
    void aRateScaleThatTakesATraceBeyondTheFastestReplayNamesTheOption() {
        TrialSpec t = declared(
                new dev.llmharness.api.spi.TraceLoadModel("t.csv", 400, 0),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(10)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TrialOverrides(null, 1.0, 3, null, null).apply(t))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(t.id() + ": --rate-scale 3 makes its load invalid: a trace's speedup must be in [0.001,"
                        + " 1000] (Limits.MIN_SPEEDUP, MAX_SPEEDUP; 2 replays twice as fast), got 1200.0; lower"
                        + " --rate-scale to at most 2.5");
        // The scale named is just inside: 400 x 2.5 is the fastest replay itself.
        assertThat(new TrialOverrides(null, 1.0, 2.5, null, null)
                        .apply(t)
                        .load()
                        .describe())
                .contains("×1000");
    }

    /**
     * A scale that slows a trace below its slowest replay crossed the lower bound: the fix is to
     * raise the scale (the message said "lower" for every bound).
     */
    @Test
    void aRateScaleThatTakesATraceBelowTheSlowestReplaySaysToRaiseIt() {
        TrialSpec t = declared(
                new dev.llmharness.api.spi.TraceLoadModel("t.csv", 1, 0),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(10)));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new TrialOverrides(null, 1.0, 0.0001, null, null).apply(t))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(t.id() + ": --rate-scale 0.0001 makes its load invalid: a trace's speedup must be in"
                        + " [0.001, 1000] (Limits.MIN_SPEEDUP, MAX_SPEEDUP; 2 replays twice as fast), got 1.0E-4;"
                        + " raise --rate-scale to at least 0.001");
        // From a speed-up of 3 the bound is a third of that, which 3 digits cannot write exactly:
        // the scale named is rounded inwards, so that it is valid.
        TrialSpec fast = declared(
                new dev.llmharness.api.spi.TraceLoadModel("t.csv", 3, 0),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(10)));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new TrialOverrides(null, 1.0, 0.0001, null, null).apply(fast))
                .hasMessageEndingWith("; raise --rate-scale to at least 0.000334");
        dev.llmharness.api.spi.TraceLoadModel slowest = (dev.llmharness.api.spi.TraceLoadModel)
                new TrialOverrides(null, 1.0, 0.000334, null, null).apply(fast).load();
        assertThat(slowest.speedup()).isGreaterThanOrEqualTo(dev.llmharness.api.Limits.MIN_SPEEDUP);
    }

    @Test
    void aRateScaleThatTakesAShapeBeyondTheHighestRateNamesTheOptionToo() {
        ShapedLoadModel ramp = ShapedLoadModel.ramp(Arrival.POISSON, 1, 1, 20, Duration.ofSeconds(20), 0);
        TrialSpec t = declared(ramp, Phase.NONE, Phase.ofDuration(Duration.ofSeconds(30)));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new TrialOverrides(null, 1.0, 60_000, null, null).apply(t))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(t.id() + ": --rate-scale 60000 makes its load invalid: ")
                .hasMessageContaining("must be at most 1000000 requests/s (Limits.MAX_RATE), got 1200000.0")
                .hasMessageEndingWith("; lower --rate-scale to at most 50000");
        // Just inside: 20 x 50,000 is the highest rate itself.
        assertThat(new TrialOverrides(null, 1.0, 50_000, null, null)
                        .apply(t)
                        .load()
                        .describe())
                .contains("1000000");
    }

    @Test
    void aDurationScaleBeyondTheLongestPhaseIsOneLineNamingTheOption() {
        TrialSpec t = declared(
                new OpenLoopModel(Arrival.POISSON, 8, 0),
                Phase.ofDuration(Duration.ofSeconds(5)),
                Phase.ofDuration(Duration.ofSeconds(30)));
        // 30 s x 20,160 is exactly one week, the longest phase; twice that is a slip of the digits.
        assertThat(new TrialOverrides(null, 20_160, 1.0, null, null)
                        .apply(t)
                        .measurement()
                        .duration())
                .isEqualTo(dev.llmharness.api.Limits.MAX_DURATION);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new TrialOverrides(null, 40_320, 1.0, null, null).apply(t))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(t.id() + ": --duration-scale 40320 makes its 30s window longer than 168h"
                        + " (Limits.MAX_DURATION); lower --duration-scale, or set --duration");
    }

    @Test
    void aDurationScaleThatLeavesNoWindowIsRefused() {
        TrialSpec t = declared(
                new OpenLoopModel(Arrival.POISSON, 8, 0), Phase.NONE, Phase.ofDuration(Duration.ofSeconds(30)));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new TrialOverrides(null, 1e-12, 1.0, null, null).apply(t))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(t.id() + ": --duration-scale 0.000000000001 makes its 30s window 0s, so nothing would"
                        + " be measured; raise --duration-scale, or set --duration");
    }

    @Test
    void aDurationOrWarmupOptionBeyondTheLongestPhaseIsRefusedNamingIt() {
        Duration week = dev.llmharness.api.Limits.MAX_DURATION;
        assertThat(new TrialOverrides(week, 1.0, 1.0, null, Phase.ofDuration(week)).duration())
                .isEqualTo(week);
        Duration longer = week.plusSeconds(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TrialOverrides(longer, 1.0, 1.0, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--duration 168h1s: a phase lasts at most 168h (Limits.MAX_DURATION); check the unit"
                        + " (m is minutes, h hours)");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new TrialOverrides(null, 1.0, 1.0, null, Phase.ofDuration(longer)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--warmup 168h1s: a phase lasts at most 168h");
        // A counted warmup has no length to bound.
        assertThat(new TrialOverrides(null, 1.0, 1.0, null, Phase.ofRequests(1_000_000))
                        .warmup()
                        .requests())
                .isEqualTo(1_000_000);
    }

    /**
     * A shape measures its own length after the warmup: a --warmup that leaves less than a
     * per-window SLO's window is refused naming the option, and the fix is a shorter warmup
     * (--duration does not lengthen a shape); the declared warmup leaves exactly one window.
     */
    @Test
    void aWarmupThatLeavesAShapeLessThanItsSloWindowIsOneLine() {
        ShapedLoadModel soak = ShapedLoadModel.soak(Arrival.CONSTANT, 1.0, 10, Duration.ofSeconds(20), 0);
        SloSpec windowed = new SloSpec(
                java.util.List.of(),
                java.util.OptionalDouble.of(0.1),
                java.util.Optional.of(new dev.llmharness.api.spi.WindowObjective(0.9, 15)));
        TrialSpec t = TestTrials.trial(
                "t",
                soak,
                Phase.ofDuration(Duration.ofSeconds(5)),
                Phase.ofDuration(Duration.ofSeconds(30)),
                Duration.ofSeconds(5),
                windowed);
        assertThat(new TrialOverrides(null, 1.0, 1.0, null, null).apply(t).measurement())
                .isEqualTo(Phase.ofDuration(Duration.ofSeconds(15)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        new TrialOverrides(null, 1.0, 1.0, null, Phase.ofDuration(Duration.ofSeconds(6))).apply(t))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(t.id() + ": its per-window SLO's 15s window is longer than the 14s it measures (after"
                        + " --warmup 6s), so no whole window fits: measure at least 15s (a shorter --warmup: the"
                        + " load's own length sets what it measures)");
    }
}
