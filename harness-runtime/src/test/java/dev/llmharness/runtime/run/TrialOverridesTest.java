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
                        + " --warmup 6s), so no whole window fits: measure at least 15s (a shorter --warmup, or a"
                        + " larger --duration-scale: the load's own length sets what it measures)");
    }

    /**
     * --duration-scale shortens a shape as it shortens a window: every stage's duration times the
     * factor, rates kept, the warmup scaled alike so that it takes the same part of the shape; the
     * console's load line (its description) shows the shape as run.
     */
    @Test
    void aDurationScaleScalesEveryPhaseOfAShapeAndKeepsItsRates() {
        ShapedLoadModel spike = ShapedLoadModel.spike(
                Arrival.POISSON,
                1.0,
                10,
                80,
                Duration.ofSeconds(60),
                Duration.ZERO,
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                Duration.ofSeconds(100),
                0);
        TrialSpec t =
                declared(spike, Phase.ofDuration(Duration.ofSeconds(20)), Phase.ofDuration(Duration.ofSeconds(60)));
        TrialSpec run = new TrialOverrides(null, 0.1, 1.0, null, null).apply(t);
        ShapedLoadModel scaled = (ShapedLoadModel) run.load();
        assertThat(scaled.duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(scaled.stages())
                .extracting(dev.llmharness.api.spi.RateStage::duration)
                .containsExactly(
                        Duration.ofSeconds(6),
                        Duration.ZERO,
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(10));
        assertThat(scaled.stages())
                .extracting(dev.llmharness.api.spi.RateStage::toRate)
                .containsExactlyElementsOf(spike.stages().stream()
                        .map(dev.llmharness.api.spi.RateStage::toRate)
                        .toList());
        assertThat(scaled.startRate()).isEqualTo(10);
        assertThat(scaled.peakRate()).isEqualTo(80);
        assertThat(run.warmup()).isEqualTo(Phase.ofDuration(Duration.ofSeconds(2)));
        assertThat(run.measurement()).isEqualTo(Phase.ofDuration(Duration.ofSeconds(18)));
        assertThat(run.load().describe()).contains("over 3s").doesNotContain("over 30s");
        assertThat(new TrialOverrides(null, 1.0, 1.0, null, null).apply(t).load())
                .isEqualTo(spike);
    }

    /** Every kind of load answers --duration-scale through the seam: its phases scale, nothing else. */
    @Test
    void everyLoadKindAnswersATimeScale() {
        dev.llmharness.api.spi.StagedClosedLoopModel ramp =
                dev.llmharness.api.spi.StagedClosedLoopModel.rampUp(8, Duration.ofSeconds(40), Duration.ZERO);
        assertThat(ramp.scaledTime(0.25).stages())
                .containsExactly(new dev.llmharness.api.spi.WorkerStage(Duration.ofSeconds(10), 8));
        dev.llmharness.api.spi.StagedClosedLoopModel stages = dev.llmharness.api.spi.StagedClosedLoopModel.stages(
                1,
                java.util.List.of(
                        new dev.llmharness.api.spi.WorkerStage(Duration.ofSeconds(10), 4),
                        new dev.llmharness.api.spi.WorkerStage(Duration.ofSeconds(20), 4)),
                Duration.ZERO);
        assertThat(stages.scaledTime(2).length()).contains(Duration.ofSeconds(60));
        OpenLoopModel open = new OpenLoopModel(Arrival.POISSON, 4, 0);
        assertThat(open.scaledTime(0.1)).isSameAs(open);
        dev.llmharness.api.spi.ClosedLoopModel closed = new dev.llmharness.api.spi.ClosedLoopModel(4, Duration.ZERO);
        assertThat(closed.scaledTime(0.1)).isSameAs(closed);
        dev.llmharness.api.spi.TraceLoadModel trace = new dev.llmharness.api.spi.TraceLoadModel("t.csv", 1, 0);
        assertThat(trace.scaledTime(0.1)).isSameAs(trace);
        ShapedLoadModel soak = ShapedLoadModel.soak(Arrival.CONSTANT, 1.0, 10, Duration.ofHours(4), 0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> soak.scaledTime(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration scale must be finite and > 0");
    }

    /** A 4 h soak shortened for CI: its window follows the scaled shape. */
    @Test
    void aSoakShortenedByADurationScaleMeasuresItsScaledLength() {
        ShapedLoadModel soak = ShapedLoadModel.soak(Arrival.CONSTANT, 1.0, 10, Duration.ofHours(4), 0);
        TrialSpec t = declared(soak, Phase.NONE, Phase.ofDuration(Duration.ofSeconds(60)));
        TrialSpec run = new TrialOverrides(null, 0.0025, 1.0, null, null).apply(t);
        assertThat(run.measurement()).isEqualTo(Phase.ofDuration(Duration.ofSeconds(36)));
        assertThat(run.load().length()).contains(Duration.ofSeconds(36));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new TrialOverrides(null, 100, 1.0, null, null).apply(t))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(t.id() + ": --duration-scale 100 makes its load invalid: a stage of 4h")
                .hasMessageEndingWith("; lower --duration-scale");
    }

    /**
     * --duration on a load that ends by itself has no window to replace: one line naming the fix
     * (the --duration-scale that gives about that length), never silently ignored as before.
     */
    @Test
    void aDurationOnALoadThatEndsByItselfIsRefusedNamingTheDurationScale() {
        ShapedLoadModel soak = ShapedLoadModel.soak(Arrival.CONSTANT, 1.0, 10, Duration.ofHours(4), 0);
        TrialSpec t = declared(soak, Phase.NONE, Phase.ofDuration(Duration.ofSeconds(60)));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new TrialOverrides(Duration.ofSeconds(30), 1.0, 1.0, null, null).apply(t))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(t.id() + ": --duration 30s does not apply to its load, which ends by itself after 4h ("
                        + soak.describe() + "); shorten the whole load with --duration-scale 0.0021 instead (every"
                        + " phase scaled, rates kept), or leave the trial out with --include");
        TrialSpec trace = declared(
                new dev.llmharness.api.spi.TraceLoadModel("t.csv", 1, 0),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(60)));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new TrialOverrides(Duration.ofSeconds(30), 1.0, 1.0, null, null).apply(trace))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--duration 30s does not apply to a trace")
                .hasMessageContaining("use --rate-scale");
        // A window it can replace: a constant rate's, and workers ramped up then held.
        TrialSpec open = declared(
                new OpenLoopModel(Arrival.POISSON, 4, 0), Phase.NONE, Phase.ofDuration(Duration.ofSeconds(60)));
        assertThat(new TrialOverrides(Duration.ofSeconds(30), 1.0, 1.0, null, null)
                        .apply(open)
                        .measurement())
                .isEqualTo(Phase.ofDuration(Duration.ofSeconds(30)));
    }

    /** A trace keeps its recorded time under --duration-scale, and the run says what does shorten it. */
    @Test
    void aDurationScaleOnATraceLeavesItsTimeAndSaysThatItsSpeedupIsTheRateScale() {
        dev.llmharness.api.spi.TraceLoadModel trace = new dev.llmharness.api.spi.TraceLoadModel("t.csv", 1, 0);
        TrialSpec t = declared(trace, Phase.NONE, Phase.ofDuration(Duration.ofSeconds(60)));
        TrialOverrides tenth = new TrialOverrides(null, 0.1, 1.0, null, null);
        TrialSpec run = tenth.apply(t);
        assertThat(run.load()).isEqualTo(trace);
        assertThat(tenth.durationScaleNote(run))
                .isEqualTo(t.id() + ": --duration-scale 0.1 does not shorten a trace, which keeps its recorded time:"
                        + " scaling a trace's time is its speedup, which --rate-scale sets (--rate-scale 10 replays"
                        + " it in 0.1 of its time, and scales every other rate too)");
        assertThat(new TrialOverrides(null, 1.0, 1.0, null, null).durationScaleNote(run))
                .isNull();
        TrialSpec open = declared(
                new OpenLoopModel(Arrival.POISSON, 4, 0), Phase.NONE, Phase.ofDuration(Duration.ofSeconds(60)));
        assertThat(tenth.durationScaleNote(tenth.apply(open))).isNull();
    }

    /**
     * --rate-scale on a closed loop has no rate to multiply: the load runs as declared, and the run
     * says so in one line naming the trial, why and the load's own knob (before, it said nothing).
     */
    @Test
    void aRateScaleLeavesAClosedLoopAsDeclaredAndSaysWhyNamingItsWorkers() {
        dev.llmharness.api.spi.ClosedLoopModel closed = new dev.llmharness.api.spi.ClosedLoopModel(8, Duration.ZERO);
        TrialSpec t = declared(closed, Phase.NONE, Phase.ofDuration(Duration.ofSeconds(30)));
        TrialOverrides twice = new TrialOverrides(null, 1.0, 2, null, null);
        TrialSpec run = twice.apply(t);
        assertThat(run.load()).isEqualTo(closed);
        assertThat(twice.warnings(run))
                .containsExactly(t.id() + ": --rate-scale 2 leaves its load as declared (closed 8 workers): a closed"
                        + " loop has no rate to multiply, since each worker sends its next request when the last one"
                        + " is answered and the rate follows the server's speed; change its workers instead"
                        + " (@ClosedLoop(concurrency)), or leave the trial out with --include");
        assertThat(new TrialOverrides(null, 1.0, 1.0, null, null).warnings(run)).isEmpty();

        dev.llmharness.api.spi.StagedClosedLoopModel stages = dev.llmharness.api.spi.StagedClosedLoopModel.stages(
                1, java.util.List.of(new dev.llmharness.api.spi.WorkerStage(Duration.ofSeconds(10), 4)), Duration.ZERO);
        TrialSpec staged = declared(stages, Phase.NONE, Phase.ofDuration(Duration.ofSeconds(30)));
        assertThat(twice.warnings(twice.apply(staged)))
                .singleElement()
                .asString()
                .contains("--rate-scale 2 leaves its load as declared (closed stages 1 → 4 over 10s workers)")
                .contains("change its workers instead (the targets of its @WorkerStages)");
        TrialSpec ramped = declared(
                dev.llmharness.api.spi.StagedClosedLoopModel.rampUp(8, Duration.ofSeconds(10), Duration.ZERO),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(30)));
        assertThat(twice.warnings(twice.apply(ramped)))
                .singleElement()
                .asString()
                .contains("change its workers instead (@ClosedLoop(concurrency))");
    }

    /**
     * The seam's rule, for every kind of load the API permits (a new kind fails here until it is
     * listed): --rate-scale either changes the load that runs or says why it does not, never
     * neither; --duration-scale either shortens what the trial measures (its window, or its load's
     * own phases) or says why it does not.
     */
    @Test
    void everyLoadKindEitherTakesEachScaleOrSaysWhyNot() {
        java.util.List<dev.llmharness.api.spi.LoadModel> loads = java.util.List.of(
                new OpenLoopModel(Arrival.POISSON, 4, 0),
                ShapedLoadModel.ramp(Arrival.POISSON, 1, 1, 20, Duration.ofSeconds(20), 0),
                new dev.llmharness.api.spi.TraceLoadModel("t.csv", 1, 0),
                new dev.llmharness.api.spi.ClosedLoopModel(4, Duration.ZERO),
                dev.llmharness.api.spi.StagedClosedLoopModel.rampUp(8, Duration.ofSeconds(10), Duration.ZERO),
                dev.llmharness.api.spi.StagedClosedLoopModel.stages(
                        1,
                        java.util.List.of(
                                new dev.llmharness.api.spi.WorkerStage(Duration.ofSeconds(10), 4),
                                new dev.llmharness.api.spi.WorkerStage(Duration.ofSeconds(20), 4)),
                        Duration.ZERO));
        assertThat(loads.stream().map(l -> l.getClass().getName()).distinct())
                .as("one load of every kind LoadModel permits")
                .containsExactlyInAnyOrderElementsOf(
                        java.util.Arrays.stream(dev.llmharness.api.spi.LoadModel.class.getPermittedSubclasses())
                                .map(Class::getName)
                                .toList());
        TrialOverrides none = new TrialOverrides(null, 1.0, 1.0, null, null);
        TrialOverrides faster = new TrialOverrides(null, 1.0, 2, null, null);
        TrialOverrides shorter = new TrialOverrides(null, 0.5, 1.0, null, null);
        for (dev.llmharness.api.spi.LoadModel load : loads) {
            TrialSpec t = declared(load, Phase.NONE, Phase.ofDuration(Duration.ofSeconds(30)));

            TrialSpec fast = faster.apply(t);
            boolean rateChanged = !fast.load().equals(load);
            boolean rateNoted = faster.rateScaleNote(fast) != null;
            assertThat(rateChanged)
                    .as(load.describe() + ": --rate-scale changes it (" + rateChanged + ") or says why not ("
                            + rateNoted + "), exactly one")
                    .isNotEqualTo(rateNoted);
            assertThat(rateNoted).isEqualTo(load.rateScaleNotApplied(2).isPresent());

            Duration full = none.apply(t).measurement().duration();
            TrialSpec half = shorter.apply(t);
            boolean shortened = half.measurement().duration().equals(full.dividedBy(2));
            boolean timeNoted = shorter.durationScaleNote(half) != null;
            assertThat(shortened)
                    .as(load.describe() + ": --duration-scale shortens what it measures (" + shortened
                            + ") or says why not (" + timeNoted + "), exactly one")
                    .isNotEqualTo(timeNoted);
            assertThat(timeNoted).isEqualTo(load.durationScaleNotApplied(0.5).isPresent());
        }
    }
}
