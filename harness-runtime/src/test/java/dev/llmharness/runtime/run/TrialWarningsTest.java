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
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The throughput warnings' rules, on the figures a 10 s window at 10 requests/s would give. */
class TrialWarningsTest {
    private static final Target TARGET =
            new Target("http://127.0.0.1:1", Api.OPENAI_CHAT, "test-model", null, null, false);
    private static final Phase WINDOW = Phase.ofDuration(Duration.ofSeconds(10));

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

    /** A timeline of the window's 10 seconds, {@code perSecond} measured completions in each. */
    private static List<TrialResult.Interval> steady(int perSecond) {
        return java.util.stream.IntStream.range(0, 10)
                .mapToObj(s -> new TrialResult.Interval(s, perSecond, 0, 0))
                .toList();
    }

    @Test
    void withoutAWarmupSlowRequestsAreNamedAndTheirLatencyIsNotCountedAsAShortfall() {
        // 2 s per request: nothing completes in the window's first 2 s, so 80 of 100 is all there is.
        List<String> w = ofThroughput(warnings(Phase.NONE, false), 80, 0, e2eOf(2), steady(10));
        assertThat(w)
                .singleElement()
                .asString()
                .startsWith("no warmup: requests take 2.00 s (median), 20 % of the window");
    }

    @Test
    void aWarmupShorterThanTheRequestsIsNamedAndItsGapIsNotCalledSaturation() {
        // 3 s per request after a 1 s warmup: the window's first 2 s complete few requests (those of
        // the warmup only), so 60 of 100 inside the window is a steady state when its later seconds,
        // which measured requests alone reach, keep pace at 10 a second.
        TrialWarnings w = warnings(Phase.ofDuration(Duration.ofSeconds(1)), false);
        assertThat(ofThroughput(w, 60, 0, e2eOf(3), steady(10)))
                .singleElement()
                .asString()
                .startsWith("short warmup: requests take 3.00 s (median) and the warmup lasts 1.00 s, so the"
                        + " window's first 2.00 s (20 % of it)")
                .endsWith("make @Warmup at least 3.00 s");
        // The same count from a server that completes 5 a second throughout is saturated: a long
        // request does not excuse a server whose queue made it long.
        assertThat(ofThroughput(w, 60, 0, e2eOf(3), steady(5)))
                .hasSize(2)
                .anyMatch(x -> x.startsWith("saturated: achieved 6.00 requests/s of 10 offered"));
        // A warmup longer than the requests: nothing to say at 95 of 100.
        assertThat(ofThroughput(warnings(Phase.ofDuration(Duration.ofSeconds(4)), false), 95, 0, e2eOf(3)))
                .isEmpty();
    }

    @Test
    void requestsLongerThanHalfTheWindowLeaveTheShortfallUnexplainedAndSaySo() {
        // 6 s requests, 1 s warmup: from the sixth second on is less than half the window, so the
        // later seconds cannot tell a short warmup from a server that fell behind: the shortfall is
        // reported, and the warning says the warmup may be its cause.
        TrialWarnings w = warnings(Phase.ofDuration(Duration.ofSeconds(1)), false);
        assertThat(ofThroughput(w, 45, 0, e2eOf(6), steady(0)))
                .hasSize(2)
                .anyMatch(x -> x.startsWith("short warmup"))
                .anyMatch(x -> x.startsWith("saturated: achieved 4.50 requests/s")
                        && x.endsWith(
                                "or the warmup was too short to tell (requests outlast it, and the window's seconds"
                                        + " after the e2e p90 are under half of it)"));
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
}
