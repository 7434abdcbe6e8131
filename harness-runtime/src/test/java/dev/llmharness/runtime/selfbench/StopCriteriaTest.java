package dev.llmharness.runtime.selfbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.runtime.result.HarnessLimit;
import org.junit.jupiter.api.Test;

class StopCriteriaTest {
    /** A clean open-loop step at 100 requests/s of 128 tokens; tests change one figure at a time. */
    static StepFigures clean(String load, double level) {
        boolean open = load.equals("open");
        return new StepFigures(
                "fixed-itl(ttft=20ms, itl=20ms)",
                load,
                level,
                open ? level : Double.NaN,
                open ? level : 50,
                open ? level * 128 : Double.NaN,
                open ? level * 128 : 6_400,
                0.05,
                0.4,
                2.0,
                0.02,
                0.1,
                0.3,
                0.4,
                60,
                1024,
                40,
                12,
                0.05,
                0.2,
                0.06,
                0.3,
                1.5,
                0.02,
                0.3,
                0.1,
                0.05,
                0.2,
                0.5,
                500,
                500,
                0,
                HarnessLimit.of(500, 0));
    }

    /**
     * {@code f} with other figures; a dispatch lag p99 above 1 ms comes with 2 % of the requests
     * late (harness-limited), as it would in a step of that size.
     */
    static StepFigures with(StepFigures f, double lagP99, double ttftP99, double events, double achieved, long failed) {
        HarnessLimit limit = lagP99 > HarnessLimit.LATE_NANOS / 1e6
                ? HarnessLimit.of(f.measuredRequests(), f.measuredRequests() / 50)
                : f.harnessLimit();
        return withLimit(f, lagP99, ttftP99, events, achieved, failed, limit);
    }

    static StepFigures withLimit(
            StepFigures f,
            double lagP99,
            double ttftP99,
            double events,
            double achieved,
            long failed,
            HarnessLimit limit) {
        return new StepFigures(
                f.preset(),
                f.load(),
                f.level(),
                f.offeredRate(),
                achieved,
                f.offeredTokenEventsPerSecond(),
                events,
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
                ttftP99,
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
                failed,
                limit);
    }

    private final StopCriteria criteria = StopCriteria.DEFAULT;

    @Test
    void a_step_within_every_limit_is_clean() {
        assertThat(criteria.problems(clean("open", 100))).isEmpty();
        assertThat(criteria.problems(clean("closed", 10))).isEmpty();
    }

    @Test
    void a_step_falls_behind_when_it_is_harness_limited_by_the_rule_of_llmh_run() {
        StepFigures f = clean("open", 100);
        // 5 of 500 requests late is 1 %: allowed; the p99 figure itself no longer decides.
        assertThat(criteria.problems(withLimit(f, 1.2, 0.2, 12_800, 100, 0, HarnessLimit.of(500, 5))))
                .isEmpty();
        assertThat(criteria.problems(withLimit(f, 1.2, 0.2, 12_800, 100, 0, HarnessLimit.of(500, 6))))
                .containsExactly(
                        "harness-limited: dispatch lag above 1 ms in 6 of 500 measured requests (at most 5 allowed)");
        assertThat(criteria.problems(withLimit(f, Double.NaN, 0.2, 12_800, 100, 0, HarnessLimit.of(0, 0))))
                .containsExactly("no request was sent");
    }

    @Test
    void ttft_error_above_half_a_millisecond_or_no_match_with_the_ground_truth_is_not_clean() {
        StepFigures f = clean("open", 100);
        assertThat(criteria.problems(with(f, 0.4, 0.5, 12_800, 100, 0))).isEmpty();
        assertThat(criteria.problems(with(f, 0.4, 0.51, 12_800, 100, 0)))
                .containsExactly("TTFT error p99 0.510 ms > 0.500 ms");
        assertThat(criteria.problems(with(f, 0.4, Double.NaN, 12_800, 100, 0)))
                .containsExactly("no request matched the simulator's ground truth");
    }

    @Test
    void reading_fewer_than_95_percent_of_the_offered_token_events_is_falling_behind() {
        StepFigures f = clean("open", 100);
        assertThat(criteria.problems(with(f, 0.4, 0.2, 0.95 * 12_800, 100, 0))).isEmpty();
        assertThat(criteria.problems(with(f, 0.4, 0.2, 0.94 * 12_800, 100, 0)))
                .containsExactly("token events 12032/s < 95 % of 12800/s offered");
    }

    @Test
    void an_open_loop_completing_fewer_than_95_percent_of_its_rate_is_falling_behind() {
        StepFigures f = clean("open", 100);
        assertThat(criteria.problems(with(f, 0.4, 0.2, 12_800, 94, 0)))
                .containsExactly("achieved 94.0 req/s < 95 % of 100.0 req/s scheduled");
    }

    @Test
    void a_closed_loop_without_known_offered_load_is_judged_by_lag_and_error_only() {
        StepFigures f = clean("closed", 10);
        assertThat(criteria.problems(with(f, 0.4, 0.2, 1, 1, 0))).isEmpty();
    }

    @Test
    void failed_requests_make_a_step_unclean_and_every_broken_limit_is_named() {
        StepFigures f = clean("open", 100);
        assertThat(criteria.problems(with(f, 2, 3, 100, 10, 4))).hasSize(5).contains("4 requests failed");
    }

    @Test
    void limits_out_of_range_are_refused() {
        assertThatThrownBy(() -> new StopCriteria(0, 1)).hasMessageContaining("minAchievedFraction");
        assertThatThrownBy(() -> new StopCriteria(0.95, 0)).hasMessageContaining("> 0 ns");
    }
}
