package dev.llmharness.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmharness.runtime.metrics.Histograms;
import dev.llmharness.runtime.metrics.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
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

    /**
     * What a server gives a constant rate of {@code rate} requests/s for {@code seconds} s, request
     * i due at i / rate: served first come first served at most {@code capacity} a second (0: as
     * soon as due), then answered {@code latency(i)} seconds after that. The timeline as the
     * recorder keeps it (intended starts and completions per second, past the window's end too) and
     * the e2e distribution of every request, so the truth is known: with no capacity limit the
     * server keeps pace exactly, whatever the latencies.
     */
    private record Served(List<TrialResult.Interval> timeline, Map<String, MetricResult> metrics) {
        static Served by(double rate, int seconds, double capacity, IntToDoubleFunction latency) {
            long[] started = new long[seconds];
            long[] completed = new long[seconds + 60];
            Histogram e2e = Histograms.newLatency();
            double free = 0;
            for (int i = 0; i < Math.round(rate * seconds); i++) {
                double due = i / rate;
                double served = due;
                if (capacity > 0) {
                    free = Math.max(free, due) + 1 / capacity;
                    served = free;
                }
                double end = served + latency.applyAsDouble(i);
                started[(int) due]++;
                completed[(int) end]++;
                Histograms.recordLatency(e2e, Math.round((end - due) * 1e9));
            }
            List<TrialResult.Interval> t = new ArrayList<>();
            for (int s = 0; s < completed.length; s++) {
                t.add(new TrialResult.Interval(s, completed[s], 0, 0, s < seconds ? started[s] : 0L, 0L, null));
            }
            return new Served(t, Map.of(Metric.E2E.key(), MetricResult.ofLatency(e2e)));
        }

        ThroughputFloor.Check judge(int seconds, int window) {
            return ThroughputFloor.judge(
                    new TrialResult.WindowInfo("2026-01-01T00:00:00Z", 0, seconds, 0), timeline, metrics, window, 0.9);
        }
    }

    /** Skewed as answers are: 7 in 10 requests take 0.2 s, 3 in 10 take 6 s (median 0.2 s, mean 1.94 s). */
    private static double skewed(int i) {
        return i % 10 < 7 ? 0.2 : 6.0;
    }

    @Test
    void aServerThatKeepsPaceWithSkewedLatenciesIsNotShortInItsFirstWindow() {
        // 20 req/s for 30 s, answered as soon as due after 0.2 or 6 s. The first 10 s complete
        // about 20 × (10 − 1.94) = 161 requests, all a server that keeps pace can: none started
        // earlier.
        Served served = Served.by(20, 30, 0, ThroughputFloorTest::skewed);
        long firstTen = served.timeline().subList(0, 10).stream()
                .mapToLong(TrialResult.Interval::completed)
                .sum();
        assertThat(firstTen).isBetween(158L, 166L);

        ThroughputFloor.Check all = served.judge(30, 10);
        assertThat(all.passed()).as(all.toString()).isTrue();
        ThroughputFloor.Check first = ThroughputFloor.keptPace(served.timeline(), served.metrics(), 0, 10, 0.9);
        assertThat(first.offered()).isCloseTo(161.2, within(0.5));
        assertThat(first.achieved()).isEqualTo(firstTen);
        assertThat(first.measured()).isCloseTo(1.0, within(0.03));

        // The evidence against moving the starts back by the median (0.2 s), as the rule once did:
        // it offers the first window the 196 starts of [−0.2 s, 9.8 s) and finds about 83 % of them.
        double median = served.metrics().get(Metric.E2E.key()).p50() / 1000;
        ThroughputFloor.Check byMedian = ThroughputFloor.judge(30, served.timeline(), median, 10, 0.9);
        assertThat(byMedian.passed()).isFalse();
        assertThat(byMedian.windowStart()).isZero();
        assertThat(byMedian.offered()).isCloseTo(196, within(0.5));
        assertThat(byMedian.measured()).isBetween(0.78, 0.86);
        // The mean (1.94 s), the constant that keeps this first window exact, passes it.
        double mean = served.metrics().get(Metric.E2E.key()).mean() / 1000;
        assertThat(ThroughputFloor.judge(30, served.timeline(), mean, 10, 0.9).passed())
                .isTrue();

        // In 3 s windows, where the tail weighs more, too: every window completes its offer.
        ThroughputFloor.Check short3 = served.judge(30, 3);
        assertThat(short3.passed()).as(short3.toString()).isTrue();
        assertThat(short3.measured()).isGreaterThan(0.9);
    }

    @Test
    void aServerThatCompletesEightyPercentOfItsOfferFailsWithSkewedLatenciesToo() {
        // The same 20 req/s, served 16 a second first come first served, then answered after 0.2
        // or 6 s: its queue grows by 4 a second, and a window in steady state completes 80 %.
        Served served = Served.by(20, 30, 16, ThroughputFloorTest::skewed);
        ThroughputFloor.Check c = served.judge(30, 10);
        assertThat(c.passed()).as(c.toString()).isFalse();
        assertThat(c.measured()).isBetween(0.75, 0.85);
        // The trial-level question (saturation warning, sweep point), on the seconds after the p90.
        ThroughputFloor.Check later = ThroughputFloor.keptPaceLater(served.timeline(), served.metrics(), 30, false);
        assertThat(later.passed()).as(later.toString()).isFalse();
        assertThat(later.measured()).isBetween(0.75, 0.85);
        // Kept pace exactly, the same question passes.
        Served healthy = Served.by(20, 30, 0, ThroughputFloorTest::skewed);
        ThroughputFloor.Check fine = ThroughputFloor.keptPaceLater(healthy.timeline(), healthy.metrics(), 30, true);
        assertThat(fine.passed()).as(fine.toString()).isTrue();
        assertThat(fine.measured()).isCloseTo(1.0, within(0.03));
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
