package dev.llmharness.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.spi.ClosedLoopModel;
import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.load.Window;
import dev.llmharness.runtime.metrics.TrialRecorder;
import dev.llmharness.runtime.report.ProgressSample;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The phase a trial is in, as its watchers see it, from a real window and recorder: no load runs,
 * the trial's start is placed in the past or the future instead.
 */
class TrialProgressTest {
    private static final long SECOND = 1_000_000_000L;
    private static final LoadModel OPEN_100 = new OpenLoopModel(Arrival.CONSTANT, 100, 0);

    private static TrialProgress progress(LoadModel load, Window window, Phase warmup, Phase measurement, long start) {
        TrialSpec spec = TestTrials.trial("progress", load, warmup, measurement, Duration.ofSeconds(5), SloSpec.NONE);
        return new TrialProgress(spec, window, new TrialRecorder(SloSpec.NONE, start), start, () -> 0);
    }

    private static TrialProgress progress(Phase warmup, Phase measurement, long start) {
        return progress(OPEN_100, new Window(start, warmup, measurement), warmup, measurement, start);
    }

    @Test
    void aTimedWarmupCountsDownToTheWindowAndTheWindowToItsEnd() {
        Phase warmup = Phase.ofDuration(Duration.ofSeconds(10));
        Phase measurement = Phase.ofDuration(Duration.ofSeconds(20));

        TrialRunner.PhaseNow warming =
                progress(warmup, measurement, System.nanoTime()).phaseNow();
        assertThat(warming.phase()).isEqualTo(ProgressSample.Phase.WARMUP);
        assertThat(warming.leftNanos()).isBetween(9 * SECOND, 10 * SECOND);

        // Started 11 s ago: the 10 s warmup is over, 19 s of the window are left.
        TrialRunner.PhaseNow measuring =
                progress(warmup, measurement, System.nanoTime() - 11 * SECOND).phaseNow();
        assertThat(measuring.phase()).isEqualTo(ProgressSample.Phase.MEASUREMENT);
        assertThat(measuring.leftNanos()).isBetween(18 * SECOND, 19 * SECOND);
    }

    @Test
    void theDrainCountsDownToItsDeadlineWhateverTheWindowSays() {
        TrialProgress p = progress(
                Phase.ofDuration(Duration.ofSeconds(10)), Phase.ofDuration(Duration.ofSeconds(20)), System.nanoTime());
        p.draining(System.nanoTime() + 3 * SECOND);
        TrialRunner.PhaseNow draining = p.phaseNow();
        assertThat(draining.phase()).isEqualTo(ProgressSample.Phase.DRAIN);
        assertThat(draining.leftNanos()).isBetween(2 * SECOND, 3 * SECOND);

        p.draining(System.nanoTime() - SECOND);
        assertThat(p.phaseNow().leftNanos()).isZero();
    }

    @Test
    void aCountedPhaseHasNoTimeLeftButRequestsLeft() {
        long now = System.nanoTime();
        ProgressSample warming =
                progress(Phase.ofRequests(4), Phase.ofRequests(10), now).sample();
        assertThat(warming.phase()).isEqualTo(ProgressSample.Phase.WARMUP);
        assertThat(warming.leftNanos()).isEqualTo(-1);
        // No driver yet: nothing issued, nothing in flight.
        assertThat(warming.requestsLeft()).isEqualTo(4);
        assertThat(warming.inFlight()).isZero();

        ProgressSample measuring =
                progress(Phase.NONE, Phase.ofRequests(10), now).sample();
        assertThat(measuring.phase()).isEqualTo(ProgressSample.Phase.MEASUREMENT);
        assertThat(measuring.leftNanos()).isEqualTo(-1);
        assertThat(measuring.requestsLeft()).isEqualTo(10);
    }

    @Test
    void aCountedWarmupGivesWayToTheWindowAtItsFirstMeasuredRequest() {
        long start = System.nanoTime();
        Phase warmup = Phase.ofRequests(2);
        Phase measurement = Phase.ofDuration(Duration.ofSeconds(5));
        Window window = new Window(start, warmup, measurement);
        TrialProgress p = progress(OPEN_100, window, warmup, measurement, start);
        assertThat(window.classify(start)).isEqualTo(Window.Part.WARMUP);
        assertThat(window.classify(start)).isEqualTo(Window.Part.WARMUP);
        assertThat(p.phaseNow().phase()).isEqualTo(ProgressSample.Phase.WARMUP);

        assertThat(window.classify(System.nanoTime())).isEqualTo(Window.Part.MEASURE);
        TrialRunner.PhaseNow measuring = p.phaseNow();
        assertThat(measuring.phase()).isEqualTo(ProgressSample.Phase.MEASUREMENT);
        assertThat(measuring.leftNanos()).isBetween(4 * SECOND, 5 * SECOND);
    }

    @Test
    void theLoadAsRunIsNamedOnlyWhenItsRateDiffersFromTheOneInTheTrialId() {
        long now = System.nanoTime();
        // TestTrials declares rate=x: the id's rate is not the 100 req/s run.
        assertThat(progress(Phase.NONE, Phase.ofRequests(10), now).sample().asRun())
                .isEqualTo("at 100 req/s");
        Phase measurement = Phase.ofRequests(10);
        TrialProgress closed = progress(
                new ClosedLoopModel(4, Duration.ZERO),
                new Window(now, Phase.NONE, measurement),
                Phase.NONE,
                measurement,
                now);
        assertThat(closed.sample().asRun()).isEmpty();
    }
}
