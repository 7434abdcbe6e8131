package dev.llmharness.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmharness.runtime.metrics.Histograms;
import dev.llmharness.runtime.metrics.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The release gate's throughput objective on timelines whose offered and achieved counts are known. */
class ThroughputFloorTest {
    /** A timeline of {@code started[i]} intended starts and {@code completed[i]} completions in second i. */
    private static List<TrialResult.Interval> timeline(long[] started, long[] completed) {
        List<TrialResult.Interval> t = new ArrayList<>();
        for (int s = 0; s < started.length; s++) {
            t.add(new TrialResult.Interval(s, completed[s], 0, 0, started[s], 0L, null));
        }
        return t;
    }

    /** A timeline of {@code started[i]} intended starts, {@code completed[i]} completions and {@code failed[i]} failures. */
    private static List<TrialResult.Interval> timeline(long[] started, long[] completed, long[] failed) {
        List<TrialResult.Interval> t = new ArrayList<>();
        for (int s = 0; s < started.length; s++) {
            t.add(new TrialResult.Interval(s, completed[s], failed[s], 0, started[s], 0L, null));
        }
        return t;
    }

    /** A trial's metrics whose requests all took {@code seconds} end to end. */
    private static Map<String, MetricResult> e2eOf(double seconds) {
        Histogram h = Histograms.newLatency();
        for (int i = 0; i < 100; i++) {
            Histograms.recordLatency(h, (long) (seconds * 1e9));
        }
        return Map.of(Metric.E2E.key(), MetricResult.ofLatency(h));
    }

    /** {@code perSecond} in each second from {@code from} on, of {@code seconds}. */
    private static long[] from(int seconds, int from, long perSecond) {
        long[] a = new long[seconds];
        java.util.Arrays.fill(a, from, seconds, perSecond);
        return a;
    }

    private static long[] constant(int seconds, long perSecond) {
        long[] a = new long[seconds];
        java.util.Arrays.fill(a, perSecond);
        return a;
    }

    @Test
    void aServerThatCompletesWhatItIsOfferedPassesWithItsLowestShare() {
        // 20 req/s for 30 s, each completed in the second it started.
        ThroughputFloor.Check c = ThroughputFloor.judge(30, timeline(constant(30, 20), constant(30, 20)), 0, 10, 0.9);

        assertThat(c.passed()).isTrue();
        assertThat(c.metric()).isEqualTo("requestsPerSecond");
        assertThat(c.bound()).isEqualTo(0.9);
        assertThat(c.measured()).isEqualTo(1.0);
        assertThat(c.offered()).isEqualTo(200.0);
        assertThat(c.achieved()).isEqualTo(200);
        assertThat(c.windowSeconds()).isEqualTo(10);
        assertThat(c.describe()).isEqualTo("throughput >= 90 % of offered (lowest 100 %)");
    }

    @Test
    void aServerThatFallsBehindFailsInTheWindowItFellBehindInWithItsFigures() {
        // 20 req/s offered for 30 s; the server completes 20/s for 10 s, then only 12/s.
        long[] completed = new long[30];
        for (int s = 0; s < 30; s++) {
            completed[s] = s < 10 ? 20 : 12;
        }
        ThroughputFloor.Check c = ThroughputFloor.judge(30, timeline(constant(30, 20), completed), 0, 10, 0.9);

        assertThat(c.passed()).isFalse();
        assertThat(c.windowStart()).isEqualTo(10);
        assertThat(c.measured()).isEqualTo(0.6);
        assertThat(c.offered()).isEqualTo(200.0);
        assertThat(c.achieved()).isEqualTo(120);
        assertThat(c.reason())
                .isEqualTo("throughput (requestsPerSecond) 60 % of offered in the window from second 10 (120"
                        + " completed of 200.0 offered), at least 90 % required");
        // A floor of 0 turns the objective off; 60 % passes a floor of 55 %.
        assertThat(ThroughputFloor.judge(30, timeline(constant(30, 20), completed), 0, 10, 0)
                        .passed())
                .isTrue();
        assertThat(ThroughputFloor.judge(30, timeline(constant(30, 20), completed), 0, 10, 0.55)
                        .passed())
                .isTrue();
    }

    @Test
    void completionsAreMatchedWithTheStartsOneMedianLatencyEarlier() {
        // 10 req/s for 20 s; every request takes 3 s, so nothing completes in the first 3 s and the
        // last 3 s of starts complete after the window. Unshifted, the first 10 s window would
        // complete 70 of 100 offered; matched with the starts 3 s earlier, all 70 of 70.
        long[] started = constant(20, 10);
        long[] completed = new long[20];
        for (int s = 3; s < 20; s++) {
            completed[s] = 10;
        }
        ThroughputFloor.Check shifted = ThroughputFloor.judge(20, timeline(started, completed), 3.0, 10, 0.9);
        assertThat(shifted.passed()).isTrue();
        assertThat(shifted.measured()).isEqualTo(1.0);

        ThroughputFloor.Check unshifted = ThroughputFloor.judge(20, timeline(started, completed), 0, 10, 0.9);
        assertThat(unshifted.passed()).isFalse();
        assertThat(unshifted.windowStart()).isZero();
        assertThat(unshifted.measured()).isEqualTo(0.7);
    }

    @Test
    void aFractionalLatencyCountsTheStartsOfAPartSecond() {
        // 10 starts a second, shifted by 0.5 s: the window [0, 2) is offered the starts of [0, 1.5).
        ThroughputFloor.Check c = ThroughputFloor.judge(2, timeline(constant(2, 10), new long[] {5, 10}), 0.5, 2, 0.9);
        assertThat(c.offered()).isCloseTo(15.0, within(1e-9));
        assertThat(c.achieved()).isEqualTo(15);
        assertThat(c.passed()).isTrue();
    }

    @Test
    void oneRequestOfSlackAndTooFewRequestsAreNotAShortfall() {
        // 10 offered, 8 completed: 80 %, but within one request of 90 %.
        ThroughputFloor.Check slack = ThroughputFloor.judge(1, timeline(new long[] {10}, new long[] {8}), 0, 1, 0.9);
        assertThat(slack.measured()).isEqualTo(0.8);
        assertThat(slack.passed()).isTrue();
        ThroughputFloor.Check short2 = ThroughputFloor.judge(1, timeline(new long[] {10}, new long[] {7}), 0, 1, 0.9);
        assertThat(short2.passed()).isFalse();

        // Windows of 4 requests each are too few; the whole test (12) is judged as one window.
        ThroughputFloor.Check whole =
                ThroughputFloor.judge(3, timeline(constant(3, 4), new long[] {4, 4, 0}), 0, 1, 0.9);
        assertThat(whole.windowStart()).isZero();
        assertThat(whole.windowSeconds()).isEqualTo(3);
        assertThat(whole.offered()).isEqualTo(12.0);
        assertThat(whole.achieved()).isEqualTo(8);
        assertThat(whole.passed()).isFalse();

        // Fewer than 10 in the whole test: not judged, and not a failure.
        ThroughputFloor.Check none =
                ThroughputFloor.judge(3, timeline(constant(3, 2), new long[] {0, 0, 0}), 0, 1, 0.9);
        assertThat(none.measured()).isNull();
        assertThat(none.passed()).isTrue();
        assertThat(none.describe()).isEqualTo("throughput not judged (6 requests offered, fewer than 10)");
    }

    @Test
    void aTimelineWithoutOfferedCountsIsNotJudged() {
        // A file written before the timeline recorded intended starts.
        List<TrialResult.Interval> old = List.of(new TrialResult.Interval(0, 50, 0, 0));
        assertThat(ThroughputFloor.judge(1, old, 0, 1, 0.9).measured()).isNull();
    }

    @Test
    void keptPaceJudgesTheStretchItIsGivenAndCountsFailuresAsAnswered() {
        // 10 req/s for 20 s, each answered 3 s after its start: 6 completed and 4 failed a second.
        long[] started = constant(20, 10);
        List<TrialResult.Interval> t = timeline(started, from(20, 3, 6), from(20, 3, 4));
        Map<String, MetricResult> metrics = e2eOf(3);

        // Seconds 5 to 19 answer the requests started a median latency (3 s) earlier: 150 of 150.
        ThroughputFloor.Check pace = ThroughputFloor.keptPace(t, metrics, 5, 20, 0.9);
        assertThat(pace.passed()).isTrue();
        assertThat(pace.windowStart()).isEqualTo(5);
        assertThat(pace.windowSeconds()).isEqualTo(15);
        assertThat(pace.achieved()).isEqualTo(150);
        assertThat(pace.offered()).isCloseTo(150.0, within(0.1));
        assertThat(pace.measured()).isCloseTo(1.0, within(1e-3));

        // The objective counts completions only: the same seconds completed 60 % of their offer.
        double lag = metrics.get(Metric.E2E.key()).p50() / 1000;
        ThroughputFloor.Check objective = ThroughputFloor.judge(20, t, lag, 20, 0.9);
        assertThat(objective.passed()).isFalse();
        assertThat(objective.measured()).isCloseTo(0.6, within(1e-3));
    }

    @Test
    void keptPaceFailsAStretchThatFellBehindWhateverCameBefore() {
        // 10 req/s for 20 s, 3 s each; the server answers 10 a second until second 10, then 6.
        long[] completed = from(20, 3, 10);
        java.util.Arrays.fill(completed, 10, 20, 6);
        List<TrialResult.Interval> t = timeline(constant(20, 10), completed, new long[20]);
        Map<String, MetricResult> metrics = e2eOf(3);

        ThroughputFloor.Check later = ThroughputFloor.keptPace(t, metrics, 10, 20, 0.9);
        assertThat(later.passed()).isFalse();
        assertThat(later.achieved()).isEqualTo(60);
        assertThat(later.offered()).isCloseTo(100.0, within(0.1));
        assertThat(ThroughputFloor.keptPace(t, metrics, 3, 10, 0.9).passed()).isTrue();

        // Without an e2e figure there is no shift: seconds 10 to 19 are offered their own starts.
        assertThat(ThroughputFloor.keptPace(t, Map.of(), 10, 20, 0.9).offered()).isEqualTo(100.0);
    }

    @Test
    void keptPaceOnAStretchOfferedTooFewIsNotJudged() {
        List<TrialResult.Interval> t = timeline(constant(10, 10), from(10, 3, 10), new long[10]);
        // From second 10 of a 10 s window: nothing was offered to it.
        ThroughputFloor.Check none = ThroughputFloor.keptPace(t, e2eOf(3), 10, 10, 0.9);
        assertThat(none.measured()).isNull();
        assertThat(none.passed()).isTrue();
        assertThat(none.offered()).isZero();
        // 2 req/s, 4 s each: seconds 7 to 9 are offered the starts of 3 s, 6 requests.
        List<TrialResult.Interval> slow = timeline(constant(10, 2), from(10, 4, 2), new long[10]);
        ThroughputFloor.Check few = ThroughputFloor.keptPace(slow, e2eOf(4), 7, 10, 0.9);
        assertThat(few.measured()).isNull();
        assertThat(few.offered()).isCloseTo(6.0, within(0.1));

        assertThatThrownBy(() -> ThroughputFloor.keptPace(t, Map.of(), -1, 10, 0.9))
                .hasMessage("a stretch starts at second 0 or later, got -1");
        assertThatThrownBy(() -> ThroughputFloor.keptPace(t, Map.of(), 0, 10, 1.5))
                .hasMessage("the throughput floor is a share in [0, 1], got 1.5");
    }

    @Test
    void aFloorOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> ThroughputFloor.judge(1, List.of(), 0, 1, 1.5))
                .hasMessage("the throughput floor is a share in [0, 1], got 1.5");
    }
}
