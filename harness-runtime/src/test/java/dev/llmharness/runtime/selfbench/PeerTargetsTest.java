package dev.llmharness.runtime.selfbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PeerTargetsTest {
    /**
     * A point that meets every target of issue 12: the steps figures of {@link
     * StopCriteriaTest#clean} with the peers' figures set.
     */
    static StepFigures meeting(String preset, double lagP99, double ttftErrorP50, double cpuMsPerRequest) {
        StepFigures f = StopCriteriaTest.clean("open", 100);
        return new StepFigures(
                preset,
                f.load(),
                f.level(),
                f.offeredRate(),
                f.achievedRate(),
                f.offeredTokenEventsPerSecond(),
                f.tokenEventsPerSecond(),
                f.dispatchLagP50(),
                lagP99,
                f.dispatchLagMax(),
                f.requestBuildP50(),
                f.requestBuildP99(),
                f.harnessCpu(),
                f.simulatorCpu(),
                f.heapUsedMaxMb(),
                f.heapMaxMb(),
                f.peakThreads(),
                f.connections(),
                f.ttftErrorP50(),
                0.4,
                f.tokenDelayP50(),
                f.tokenDelayP99(),
                f.tokenDelayMax(),
                f.itlErrorP50(),
                f.itlErrorP99(),
                f.simulatorLateP99(),
                0.05,
                0.15,
                f.loadAverage(),
                f.measuredRequests(),
                f.matchedRequests(),
                f.failedRequests(),
                ttftErrorP50,
                1.2,
                cpuMsPerRequest,
                4.0,
                0.01,
                f.harnessLimit());
    }

    private final PeerTargets targets = PeerTargets.DEFAULT;

    @Test
    void a_point_within_every_target_meets_them() {
        assertThat(targets.problems(meeting("zero", 0.25, 0.3, 0.25))).isEmpty();
        assertThat(targets.problems(meeting("fixed-itl(ttft=20ms, itl=20ms)", 0.25, 0.3, 1.5)))
                .isEmpty();
    }

    @Test
    void the_cpu_target_depends_on_the_simulator_setup() {
        assertThat(targets.problems(meeting("zero", 0.1, 0.1, 1.0))).containsExactly("CPU/request 1.000 ms > 0.250");
        assertThat(targets.problems(meeting("fixed-itl(ttft=20ms, itl=20ms)", 0.1, 0.1, 1.0)))
                .isEmpty();
    }

    @Test
    void every_missed_target_is_named_and_figures_not_measured_miss() {
        assertThat(targets.problems(meeting("zero", 0.26, 0.31, Double.NaN)))
                .containsExactly(
                        "dispatch lag p99 0.260 ms > 0.250",
                        "TTFT error p50 0.310 ms > 0.300",
                        "CPU/request NaN ms > 0.250");
    }

    @Test
    void less_than_99_percent_of_the_offered_rate_misses() {
        StepFigures f = meeting("zero", 0.1, 0.1, 0.1);
        StepFigures slow = StopCriteriaTest.with(f, 0.1, 0.4, f.tokenEventsPerSecond(), 98.9, 0);
        // StopCriteriaTest.with keeps the steps figures only: the peers' figures are NaN again.
        assertThat(targets.problems(slow)).contains("achieved 98.9 req/s < 99 % of 100.0 req/s scheduled");
    }

    /**
     * Seed 42 places 268 Poisson arrivals in the 30 s window at a nominal 10 requests/s: 8.93/s
     * achieved is every scheduled request, not a miss; below 99 % of those scheduled is one, and
     * the message keeps the nominal rate.
     */
    @Test
    void the_achieved_rate_is_judged_against_the_requests_scheduled_in_the_window() {
        StepFigures f = meeting("zero", 0.1, 0.1, 0.1);
        double scheduled = 268 / 30.0;
        assertThat(targets.problems(rates(f, 10, 268 / 30.0, scheduled))).isEmpty();
        assertThat(StopCriteria.DEFAULT.problems(rates(f, 10, 268 / 30.0, scheduled)))
                .noneMatch(p -> p.startsWith("achieved"));
        assertThat(targets.problems(rates(f, 10, 8.0, scheduled)))
                .containsExactly("achieved 8.0 req/s < 99 % of 8.9 req/s scheduled (nominal 10.0)");
        // A schedule that places more than the nominal rate asks more than the nominal rate.
        assertThat(targets.problems(rates(f, 10, 10.0, 10.5)))
                .containsExactly("achieved 10.0 req/s < 99 % of 10.5 req/s scheduled (nominal 10.0)");
    }

    @Test
    void limits_out_of_range_are_refused() {
        assertThatThrownBy(() -> new PeerTargets(1.5, 1, 1, 1, 1, 1, 1)).hasMessageContaining("minAchievedFraction");
        assertThatThrownBy(() -> new PeerTargets(0.99, 1, 1, 0, 1, 1, 1)).hasMessageContaining("> 0 ns");
    }

    @Test
    void the_peers_table_shows_the_compared_figures_and_the_misses() {
        StepResult r = new StepResult(meeting("zero", 0.3, 0.2, 0.2), List.of("dispatch lag p99 0.300 ms > 0.250"));
        String header = StepTable.consoleHeader(StepTable.Layout.PEERS);
        String row = StepTable.consoleRow(StepTable.Layout.PEERS, r);
        assertThat(row.indexOf("MISSES")).isEqualTo(header.indexOf("verdict"));
        assertThat(StepTable.markdownRow(StepTable.Layout.PEERS, r))
                .startsWith("| zero | 100 | 100.0 | 0.050 / 0.300 | 0.050 / 0.400 | 0.050 / 0.150 | 0.200 / 1.200 |"
                        + " 0.200 | 4.0 | 0.010 |");
        assertThat(StepTable.markdownRow(
                        StepTable.Layout.PEERS, new StepResult(meeting("zero", 0.1, 0.1, 0.1), List.of())))
                .endsWith("| meets targets |\n");
    }

    /** {@code f} at other rates: requests/s offered (nominal), achieved and scheduled in the window. */
    static StepFigures rates(StepFigures f, double offered, double achieved, double scheduled) {
        return new StepFigures(
                f.preset(),
                f.load(),
                f.level(),
                offered,
                achieved,
                f.offeredTokenEventsPerSecond(),
                f.tokenEventsPerSecond(),
                f.dispatchLagP50(),
                f.dispatchLagP99(),
                f.dispatchLagMax(),
                f.requestBuildP50(),
                f.requestBuildP99(),
                f.harnessCpu(),
                f.simulatorCpu(),
                f.heapUsedMaxMb(),
                f.heapMaxMb(),
                f.peakThreads(),
                f.connections(),
                f.ttftErrorP50(),
                f.ttftErrorP99(),
                f.tokenDelayP50(),
                f.tokenDelayP99(),
                f.tokenDelayMax(),
                f.itlErrorP50(),
                f.itlErrorP99(),
                f.simulatorLateP99(),
                f.sendDelayP50(),
                f.sendDelayP99(),
                f.loadAverage(),
                f.measuredRequests(),
                f.matchedRequests(),
                f.failedRequests(),
                f.ttftErrorVsServerP50(),
                f.ttftErrorVsServerP99(),
                f.cpuMillisPerRequest(),
                f.contextSwitchesPerRequest(),
                f.runQueueWaitMillisPerRequest(),
                f.harnessLimit(),
                scheduled);
    }
}
