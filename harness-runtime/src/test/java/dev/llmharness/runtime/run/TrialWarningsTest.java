package dev.llmharness.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Api;
import dev.llmharness.api.Arrival;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.Target;
import dev.llmharness.runtime.metrics.Histograms;
import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.metrics.TrialRecorder;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.TrialResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The throughput warnings' rules, on the figures a 10 s window at 10 requests/s would give. */
class TrialWarningsTest {
    private static final Target TARGET =
            new Target("http://127.0.0.1:1", Api.OPENAI_CHAT, "test-model", null, null, false);
    private static final Phase WINDOW = Phase.ofDuration(Duration.ofSeconds(10));
    private static final Phase ONE_SECOND = Phase.ofDuration(Duration.ofSeconds(1));

    private static TrialWarnings warnings(Phase warmup, boolean interrupted) {
        TrialSpec spec = TestTrials.trial(
                "tp", new OpenLoopModel(Arrival.CONSTANT, 10, 0), warmup, WINDOW, Duration.ofSeconds(5), SloSpec.NONE);
        return new TrialWarnings(spec, TARGET, interrupted, 0, 0, new PrintStream(new ByteArrayOutputStream()));
    }

    /** The E2E distribution of requests that all took {@code seconds}. */
    private static Map<String, MetricResult> e2eOf(double seconds) {
        Histogram h = Histograms.newLatency();
        for (int i = 0; i < 80; i++) {
            Histograms.recordLatency(h, (long) (seconds * 1e9));
        }
        return Map.of(Metric.E2E.key(), MetricResult.ofLatency(h));
    }

    private static List<String> ofThroughput(
            TrialWarnings w, long completedInWindow, long failed, Map<String, MetricResult> m) {
        return ofThroughput(w, completedInWindow, failed, m, List.of());
    }

    private static List<String> ofThroughput(
            TrialWarnings w,
            long completedInWindow,
            long failed,
            Map<String, MetricResult> m,
            List<TrialResult.Interval> timeline) {
        TrialResult.Throughput tp = new TrialResult.Throughput(completedInWindow / 10.0, 0, 0, null);
        return w.ofThroughput(tp, new TrialRecorder.WindowCounts(completedInWindow, 0, 0, 0), failed, 10, m, timeline);
    }

    /**
     * What the trial's 10 s window at 10 requests/s, after a warmup of {@code warmupMillis} at the
     * same rate, gives against a server that serves {@code slots} requests at a time, first come
     * first served, request i (the warmup's first is 0) taking {@code serviceMillis(i)}, or failing
     * at once when {@code fails(i)}: the timeline as the recorder keeps it (measured requests only,
     * by intended start and by end), their e2e distribution (the drain waits for all of them) and
     * the completions inside the window, warmup requests included.
     */
    private record Served(
            List<TrialResult.Interval> timeline, Map<String, MetricResult> metrics, long inWindow, long failed) {

        static Served by(int slots, long warmupMillis, IntToLongFunction serviceMillis) {
            return by(slots, warmupMillis, serviceMillis, i -> false);
        }

        static Served by(int slots, long warmupMillis, IntToLongFunction serviceMillis, IntPredicate fails) {
            PriorityQueue<Long> free = new PriorityQueue<>();
            for (int k = 0; k < slots; k++) {
                free.add(-warmupMillis);
            }
            long[] started = new long[10];
            long[] completed = new long[600];
            long[] failedAt = new long[600];
            Histogram e2e = Histograms.newLatency();
            long inWindow = 0;
            long failed = 0;
            int last = 9;
            for (int i = 0; i * 100L < warmupMillis + 10_000; i++) {
                long start = i * 100L - warmupMillis;
                boolean measured = start >= 0;
                if (fails.test(i)) {
                    if (measured) {
                        started[(int) (start / 1000)]++;
                        failedAt[(int) (start / 1000)]++;
                        failed++;
                    }
                    continue;
                }
                long end = Math.max(free.remove(), start) + serviceMillis.applyAsLong(i);
                free.add(end);
                if (end >= 0 && end < 10_000) {
                    inWindow++;
                }
                if (measured) {
                    started[(int) (start / 1000)]++;
                    completed[(int) (end / 1000)]++;
                    last = Math.max(last, (int) (end / 1000));
                    Histograms.recordLatency(e2e, (end - start) * 1_000_000);
                }
            }
            List<TrialResult.Interval> timeline = new ArrayList<>();
            for (int s = 0; s <= last; s++) {
                timeline.add(
                        new TrialResult.Interval(s, completed[s], failedAt[s], 0, s < 10 ? started[s] : 0L, 0L, null));
            }
            return new Served(timeline, Map.of(Metric.E2E.key(), MetricResult.ofLatency(e2e)), inWindow, failed);
        }

        List<String> warnings(TrialWarnings w) {
            return ofThroughput(w, inWindow, failed, metrics, timeline);
        }
    }

    @Test
    void withoutAWarmupSlowRequestsAreNamedAndTheirLatencyIsNotCountedAsAShortfall() {
        // 2 s per request: nothing completes in the window's first 2 s, so 80 of 100 is all there is.
        Served served = Served.by(1000, 0, i -> 2000);
        assertThat(served.inWindow()).isEqualTo(80);
        assertThat(served.warnings(warnings(Phase.NONE, false)))
                .singleElement()
                .asString()
                .startsWith("no warmup: requests take 2.00 s (median), 20 % of the window");
    }

    @Test
    void aServerThatKeepsUpAfterAShortWarmupIsNamedForItsWarmupOnly() {
        // 2, 3 or 4 s per request after a 1 s warmup: the window's first seconds complete few
        // requests (those of the warmup only), so 80 of 100 inside the window is a steady state; the
        // seconds after the e2e p90 (4 s) answer all 50 requests offered to them.
        Served served = Served.by(1000, 1000, i -> 2000 + 1000 * (i % 3));
        assertThat(served.inWindow()).isEqualTo(80);
        assertThat(served.warnings(warnings(ONE_SECOND, false)))
                .singleElement()
                .asString()
                .startsWith("short warmup: requests take 3.00 s (median) and the warmup lasts 1.00 s, so the"
                        + " window's first 2.00 s (20 % of it)")
                .endsWith("make @Warmup at least 3.00 s");
        // A warmup longer than the requests: nothing to say at 95 of 100.
        assertThat(ofThroughput(warnings(Phase.ofDuration(Duration.ofSeconds(4)), false), 95, 0, e2eOf(3)))
                .isEmpty();
    }

    @Test
    void aServerOfferedOneAndAHalfTimesItsCapacityIsNamedSaturatedThoughItsWarmupWasShort() {
        // Two at a time, 300 ms each: 6.7 requests/s served of 10 offered. Its queue makes its
        // requests long (3.2 s median) and the warmup short, but the seconds after the e2e p90
        // answer 27 of the 40 requests offered to them: a long request does not excuse a server
        // whose queue made it long. (The whole window, shifted by the median as the floor judges a
        // short test, would read 62 of 68 and pass: the queue grew within it.)
        Served served = Served.by(2, 1000, i -> 300);
        assertThat(served.inWindow()).isEqualTo(67);
        assertThat(served.warnings(warnings(ONE_SECOND, false)))
                .hasSize(2)
                .anyMatch(x -> x.startsWith("short warmup: requests take 3.20 s (median)"))
                .anyMatch(
                        x -> x.startsWith("saturated: achieved 6.70 requests/s of 10 offered (67 completed inside the")
                                && x.endsWith("the server did not keep up with the offered rate"));
    }

    @Test
    void afterAWarmupLongerThanItsRequestsAServerIsJudgedByTheSameRuleAsASweepPoint() {
        // Two at a time, 250 ms each after a 4 s warmup: 8 requests/s served of 10 offered. The
        // requests (2.6 s median) fit in the warmup, and the window's 80 of 100 is within chance
        // and 5 % of the whole window, but the seconds after the e2e p90 answered about 80 % of
        // their offer: saturated, as the release gate and a sweep judge it.
        Served slow = Served.by(2, 4000, i -> 250);
        assertThat(slow.inWindow()).isEqualTo(80);
        assertThat(slow.warnings(warnings(Phase.ofDuration(Duration.ofSeconds(4)), false)))
                .singleElement()
                .asString()
                .startsWith("saturated: achieved 8.00 requests/s of 10 offered")
                .endsWith("the server did not keep up with the offered rate");
        // Answers skewed as they are (7 in 10 in 0.2 s, 3 in 10 in 6 s) after a 7 s warmup: the
        // server kept pace, and nothing is said.
        Served skewed = Served.by(1000, 7000, i -> i % 10 < 7 ? 200 : 6000);
        assertThat(skewed.warnings(warnings(Phase.ofDuration(Duration.ofSeconds(7)), false)))
                .isEmpty();
    }

    @Test
    void aServerThatFailsHalfItsRequestsFastKeptPace() {
        // Every other request fails at once, the rest take 3 s: the seconds after the e2e p90
        // answered all they were offered, half of them with a failure, which has its own warning.
        Served served = Served.by(1000, 1000, i -> 3000, i -> i % 2 == 0);
        assertThat(served.failed()).isEqualTo(50);
        assertThat(served.warnings(warnings(ONE_SECOND, false)))
                .singleElement()
                .asString()
                .startsWith("short warmup");
    }

    @Test
    void requestsLongerThanHalfTheWindowAreJudgedOnTheSecondsAfterTheirP90() {
        // 6 s requests, 1 s warmup: half of the window reads low, but seconds 7 to 9 answer the 30
        // requests offered to them, so that is the warmup's doing, not the server's.
        Served served = Served.by(1000, 1000, i -> 6000);
        assertThat(served.inWindow()).isEqualTo(50);
        assertThat(served.warnings(warnings(ONE_SECOND, false)))
                .singleElement()
                .asString()
                .startsWith("short warmup: requests take 6.00 s (median)");
    }

    @Test
    void requestsThatOutlastTheWindowLeaveTheShortfallUnexplainedAndSaySo() {
        // 9.5 s requests, 1 s warmup: the window has no second after the e2e p90, so nothing tells
        // a short warmup from a server that fell behind: the shortfall (15 of 100) is reported, and
        // the warning says the warmup may be its cause.
        Served served = Served.by(1000, 1000, i -> 9500);
        assertThat(served.inWindow()).isEqualTo(15);
        assertThat(served.warnings(warnings(ONE_SECOND, false)))
                .hasSize(2)
                .anyMatch(x -> x.startsWith("short warmup"))
                .anyMatch(x -> x.startsWith("saturated: achieved 1.50 requests/s")
                        && x.endsWith("or the warmup was too short to tell (requests outlast it, and the window's"
                                + " seconds after the e2e p90 were offered 0 measured requests, fewer than 10 to"
                                + " judge by)"));
        // A warmup long enough: a shortfall is the server's, said without that doubt.
        assertThat(ofThroughput(warnings(Phase.ofDuration(Duration.ofSeconds(7)), false), 45, 0, e2eOf(6)))
                .singleElement()
                .asString()
                .endsWith("the server did not keep up with the offered rate");
    }

    @Test
    void aShortfallBeyondChanceIsNamedSaturatedAndFailuresCountAsAnswered() {
        TrialWarnings w = warnings(Phase.ofDuration(Duration.ofSeconds(2)), false);
        // 100 offered: 3 standard deviations below is 70, and 5 % below is 95.
        assertThat(ofThroughput(w, 60, 0, Map.of()))
                .singleElement()
                .asString()
                .startsWith("saturated: achieved 6.00 requests/s of 10 offered (60 completed inside the 10.0 s window");
        assertThat(ofThroughput(w, 60, 40, Map.of())).isEmpty();
        assertThat(ofThroughput(w, 75, 0, Map.of())).isEmpty();
    }

    @Test
    void aShapeItsServerCannotServeIsNamedSaturatedByTheSameRule() {
        // A ramp has no fixed rate, but its timeline says what each second offered: the rule of a
        // fixed rate applies as it is. Two at a time, 300 ms each, cannot serve 10 requests/s.
        TrialSpec spec = TestTrials.trial(
                "tp",
                dev.llmharness.api.spi.ShapedLoadModel.ramp(Arrival.POISSON, 1, 5, 15, Duration.ofSeconds(11), 0),
                ONE_SECOND,
                WINDOW,
                Duration.ofSeconds(5),
                SloSpec.NONE);
        TrialWarnings w = new TrialWarnings(spec, TARGET, false, 0, 0, new PrintStream(new ByteArrayOutputStream()));

        assertThat(Served.by(2, 1000, i -> 300).warnings(w))
                .singleElement()
                .asString()
                .startsWith("saturated: the server answered ")
                .contains("it did not keep up with ");
        assertThat(Served.by(1000, 1000, i -> 300).warnings(w)).isEmpty();
    }

    @Test
    void anInterruptedWindowIsNotJudged() {
        assertThat(ofThroughput(warnings(Phase.ofDuration(Duration.ofSeconds(2)), true), 0, 0, Map.of()))
                .isEmpty();
    }

    @Test
    void lateSendsThatMoveNoFigureAreAWarningAndOnesThatDoAreHarnessLimited() {
        TrialWarnings w = warnings(Phase.ofDuration(Duration.ofSeconds(2)), false);
        dev.llmharness.runtime.metrics.TrialMetrics m = new dev.llmharness.runtime.metrics.TrialMetrics(
                Map.of(), 86, 86, 0, 0, Map.of(), 0, 0, 0, 0, "usage", 0, List.of(), 0, 0, Map.of(), null);
        Histogram lag = Histograms.newLatency();
        Histograms.recordLatency(lag, 2_000_000L);
        Map<String, MetricResult> metrics =
                Map.of(Metric.DISPATCH_LAG.key(), MetricResult.of(Metric.DISPATCH_LAG, lag));
        assertThat(w.ofRequests(m, metrics, dev.llmharness.runtime.result.HarnessLimit.of(86, 4, 0.0093)))
                .singleElement()
                .asString()
                .startsWith("late sends: dispatch lag above 1 ms in 4 of 86 measured requests (at most 2 allowed),"
                        + " raising TTFT by up to 0.93 % (at most 2 % allowed): ")
                .endsWith(TrialWarnings.LATE_SENDS_STAND);
        assertThat(w.ofRequests(m, metrics, dev.llmharness.runtime.result.HarnessLimit.of(86, 4, 0.05)))
                .singleElement()
                .asString()
                .startsWith("harness-limited: dispatch lag above 1 ms in 4 of 86 measured requests")
                .contains(TrialWarnings.LAG_WARNING);
        assertThat(w.ofRequests(m, metrics, dev.llmharness.runtime.result.HarnessLimit.of(86, 2, 0.05)))
                .isEmpty();
    }

    @Test
    void harnessThreadsThatWaitedBeyondTheBoundAreWarnedNamingWhatItMovesAndTheFix() {
        long span = 10_000_000_000L;
        // 1,000 times on a CPU: a wait of 1 ms each is the bound itself, which passes; 1.01 ms warns.
        TrialResult.HarnessThreads atBound = TrialResult.HarnessThreads.of(span, 500_000_000L, 1_000_000_000L, 1_000);
        TrialResult.HarnessThreads beyond = TrialResult.HarnessThreads.of(span, 500_000_000L, 1_010_000_000L, 1_000);
        assertThat(atBound.meanWaitMs()).isEqualTo(TrialResult.HarnessThreads.BUSY_MEAN_WAIT_MS);
        assertThat(TrialWarnings.ofHarnessThreads(atBound)).isNull();
        assertThat(TrialWarnings.ofHarnessThreads(beyond))
                .startsWith("busy CPU: the harness's threads waited for a CPU 1.010 ms on average each time one was"
                        + " ready to run, 1010.0 ms in all (10.1 % of the 10.0 s window), beyond the 1.0 ms bound")
                .contains("TPOT", "ITL", "closed loop's throughput", "TTFT", "quiet machine", "taskset -c");

        // A million wake-ups 3 µs late each: 30 % of the window in all, yet no read was late by much.
        // The mean decides, not the sum, which grows with the rate on any machine.
        TrialResult.HarnessThreads manyShortWaits =
                TrialResult.HarnessThreads.of(span, 9_000_000_000L, 3_000_000_000L, 1_000_000);
        assertThat(manyShortWaits.runQueueWaitShare()).isEqualTo(0.3);
        assertThat(TrialWarnings.ofHarnessThreads(manyShortWaits)).isNull();

        // Not measured (not Linux), or no thread ran: nothing to warn about.
        assertThat(TrialWarnings.ofHarnessThreads(null)).isNull();
        assertThat(TrialWarnings.ofHarnessThreads(TrialResult.HarnessThreads.of(span, 0, 0, 0)))
                .isNull();
    }
}
