package dev.llmharness.runtime.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.api.spi.Phase;
import dev.llmharness.runtime.load.WorkerPlan.Stage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerPlanTest {
    private static final long S = 1_000_000_000L;

    @Test
    void aRampStartsWorkersEvenlyThenHoldsThemUntilTheWindowEnds() {
        WorkerPlan plan = WorkerPlan.ramp(10, Duration.ofSeconds(20));
        for (int k = 0; k < 10; k++) {
            assertThat(plan.nextStart(k, 0)).as("worker %d", k).isEqualTo(k * 2 * S);
            assertThat(plan.nextStop(k, plan.nextStart(k, 0))).isEqualTo(Long.MAX_VALUE);
        }
        assertThat(plan.nextStart(10, 0)).isEqualTo(ArrivalSchedule.END);
        assertThat(plan.peakWorkers()).isEqualTo(10);
        assertThat(plan.workersAt(5 * S)).isEqualTo(3); // workers 0, 1, 2 (started at 0, 2, 4 s)
        assertThat(plan.workersAt(3600 * S)).isEqualTo(10);
        assertThat(plan.durationNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aStaggeredPlanStartsOneWorkerAtASeededInstantInEachSliceThenHoldsThem() {
        WorkerPlan plan = WorkerPlan.staggered(8, Duration.ofSeconds(1), 42);
        long slice = S / 8;
        long[] starts = new long[8];
        for (int k = 0; k < 8; k++) {
            starts[k] = plan.nextStart(k, 0);
            assertThat(starts[k]).as("worker %d", k).isBetween(k * slice, (k + 1) * slice - 1);
            assertThat(plan.nextStop(k, starts[k])).isEqualTo(Long.MAX_VALUE);
        }
        assertThat(plan.nextStart(8, 0)).isEqualTo(ArrivalSchedule.END);
        assertThat(plan.peakWorkers()).isEqualTo(8);
        assertThat(plan.workersAt(2 * S)).isEqualTo(8);
        // Random inside the slices, not the even ramp's k·spread/N: an even comb could line up with a
        // server's own period. The same seed gives the same plan, another seed another one.
        assertThat(starts)
                .isNotEqualTo(new long[] {0, slice, 2 * slice, 3 * slice, 4 * slice, 5 * slice, 6 * slice, 7 * slice});
        assertThat(WorkerPlan.staggered(8, Duration.ofSeconds(1), 42)).isEqualTo(plan);
        assertThat(WorkerPlan.staggered(8, Duration.ofSeconds(1), 43)).isNotEqualTo(plan);
    }

    @Test
    void noStaggerOrOneWorkerIsTheFixedClosedLoop() {
        assertThat(WorkerPlan.staggered(8, Duration.ZERO, 42)).isEqualTo(WorkerPlan.constant(8));
        assertThat(WorkerPlan.staggered(1, Duration.ofSeconds(1), 42)).isEqualTo(WorkerPlan.constant(1));
        assertThatThrownBy(() -> WorkerPlan.staggered(8, Duration.ofSeconds(-1), 42))
                .hasMessage("the stagger must be >= 0s, got PT-1S");
    }

    @Test
    void theFixedClosedLoopStaggersOverItsTimedWarmupAtMostOneSecond() {
        Phase window = Phase.ofDuration(Duration.ofSeconds(10));
        assertThat(new Window(0, Phase.ofDuration(Duration.ofSeconds(2)), window).closedLoopStagger())
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(new Window(0, Phase.ofDuration(Duration.ofMillis(300)), window).closedLoopStagger())
                .isEqualTo(Duration.ofMillis(300));
        // Without a timed warmup the stagger would fall into the window: the workers start at once.
        assertThat(new Window(0, Phase.NONE, window).closedLoopStagger()).isZero();
        assertThat(new Window(0, Phase.ofRequests(20), window).closedLoopStagger())
                .isZero();
    }

    @Test
    void stagesOfConcurrencyStartAndStopWorkersAsTheTargetCrossesThem() {
        // 2 workers for 10 s, up to 6 over 4 s, hold 10 s, jump down to 1 for 5 s, then the end.
        WorkerPlan plan = WorkerPlan.stages(
                2,
                List.of(
                        Stage.of(Duration.ofSeconds(10), 2),
                        Stage.of(Duration.ofSeconds(4), 6),
                        Stage.of(Duration.ofSeconds(10), 6),
                        Stage.of(Duration.ZERO, 1),
                        Stage.of(Duration.ofSeconds(5), 1)));
        assertThat(plan.nextStart(0, 0)).isZero();
        assertThat(plan.nextStart(1, 0)).isZero();
        // Worker 2 when c(t) = 2 + (t - 10 s) passes 2: at 10 s; worker 5 at 13 s.
        assertThat(plan.nextStart(2, 0)).isEqualTo(10 * S);
        assertThat(plan.nextStart(5, 0)).isEqualTo(13 * S);
        assertThat(plan.nextStart(6, 0)).isEqualTo(ArrivalSchedule.END);
        // The jump to 1 at 24 s stops workers 1..5; worker 0 runs to the plan's end at 29 s.
        assertThat(plan.nextStop(1, 0)).isEqualTo(24 * S);
        assertThat(plan.nextStop(5, 13 * S)).isEqualTo(24 * S);
        assertThat(plan.nextStop(0, 0)).isEqualTo(29 * S);
        assertThat(plan.nextStart(1, 24 * S)).isEqualTo(ArrivalSchedule.END);
        assertThat(plan.workersAt(12 * S + 500_000_000L)).isEqualTo(5);
        assertThat(plan.workersAt(30 * S)).isZero();
        assertThat(plan.peakWorkers()).isEqualTo(6);
    }

    @Test
    void aFallingStageStopsTheHighestWorkersFirst() {
        WorkerPlan plan = WorkerPlan.stages(4, List.of(Stage.of(Duration.ofSeconds(4), 0)));
        // c(t) = 4 - t: worker 3 stops at 1 s, worker 0 at 4 s.
        for (int k = 0; k < 4; k++) {
            assertThat(plan.nextStop(k, 0)).isEqualTo((4 - k) * S);
        }
    }

    @Test
    void badPlansAreRejectedWithTheFix() {
        assertThatThrownBy(() -> WorkerPlan.ramp(0, Duration.ofSeconds(1)))
                .hasMessageContaining("concurrency must be >= 1");
        assertThatThrownBy(() -> WorkerPlan.stages(0, List.of(Stage.of(Duration.ofSeconds(5), 0))))
                .hasMessageContaining("must run at least one worker");
        assertThatThrownBy(() -> Stage.of(Duration.ofSeconds(1), -2))
                .hasMessageContaining("target concurrency must be >= 0");
        assertThatThrownBy(() -> WorkerPlan.stages(1, List.of())).hasMessageContaining("at least one stage");
    }
}
