package dev.llmharness.runtime.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.ShapedLoadModel;
import dev.llmharness.runtime.load.RateProfile;
import dev.llmharness.runtime.metrics.Histograms;
import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.SyntheticResults;
import dev.llmharness.runtime.result.ThroughputFloor;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.result.WindowSlo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The knee, the SLO search, per-window objectives and the release gate's verdicts, on given data. */
class CapacityTest {

    private static SweepPoint point(double offered, double achieved, double e2eP50, boolean slo) {
        return new SweepPoint(
                "t{rate=" + offered + "}",
                offered,
                achieved,
                null,
                20.0,
                40.0,
                e2eP50,
                2 * e2eP50,
                slo,
                achieved >= 0.95 * offered);
    }

    @Test
    void theKneeIsTheLastPointBeforeTheFirstThatDoesNotHold() {
        CapacityCurve c = CapacityCurve.of(
                "t",
                List.of(
                        point(8, 7.9, 100, true),
                        point(2, 2, 100, true),
                        point(4, 4, 110, true),
                        point(16, 10, 900, true),
                        point(32, 10.5, 3000, true)));
        assertThat(c.points()).extracting(SweepPoint::offered).containsExactly(2.0, 4.0, 8.0, 16.0, 32.0);
        assertThat(c.knee().offered()).isEqualTo(8);
        assertThat(c.reached()).isTrue();
        assertThat(c.firstFailure()).isEqualTo("16 req/s: achieved 10.00 req/s, the server fell behind");
        assertThat(c.maxAchieved()).isEqualTo(10.5);
        // Past the knee the server completed at most 10.5 req/s: that is where achieved fell behind.
        assertThat(c.kneeRate()).isEqualTo(10.5);
        assertThat(c.describe())
                .isEqualTo("knee: 10.5 req/s (where achieved fell behind offered; 8 req/s held; next: 16 req/s:"
                        + " achieved 10.00 req/s, the server fell behind); highest throughput 10.50 req/s");
        // Kept between the last point that held and the first that did not.
        CapacityCurve low =
                CapacityCurve.of("t", List.of(point(2, 2, 100, true), point(4, 4, 100, true), point(8, 3, 100, true)));
        assertThat(low.kneeRate()).isEqualTo(4);
    }

    @Test
    void aMissedSloOrABentLatencyEndsTheKneeAndANoisyPassAboveDoesNotMoveIt() {
        CapacityCurve slo =
                CapacityCurve.of("t", List.of(point(2, 2, 100, true), point(4, 4, 100, false), point(8, 8, 100, true)));
        assertThat(slo.knee().offered()).isEqualTo(2);
        assertThat(slo.firstFailure()).isEqualTo("4 req/s: an SLO was missed");
        // The server kept up where the SLO was missed: the knee is the last rate that held.
        assertThat(slo.kneeRate()).isEqualTo(2);
        assertThat(slo.describe()).startsWith("knee: 2 req/s (last rate that held; next: 4 req/s: an SLO was missed)");
        CapacityCurve bent =
                CapacityCurve.of("t", List.of(point(2, 2, 100, true), point(4, 4, 199, true), point(8, 8, 201, true)));
        assertThat(bent.knee().offered()).isEqualTo(4);
        assertThat(bent.firstFailure()).startsWith("8 req/s: median latency 201.0 ms, more than 2× the lowest rate's");
    }

    @Test
    void everyPointHoldingGivesALowerBoundAndNoneHoldingGivesNoKnee() {
        CapacityCurve all = CapacityCurve.of("t", List.of(point(2, 2, 100, true), point(4, 4, 100, true)));
        assertThat(all.knee().offered()).isEqualTo(4);
        assertThat(all.reached()).isFalse();
        CapacityCurve none = CapacityCurve.of("t", List.of(point(2, 1, 100, true), point(4, 1, 100, true)));
        assertThat(none.knee()).isNull();
    }

    @Test
    void theSearchConvergesOnAMonotoneVerdictWithinItsPrecision() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 500; i++) {
            double low = 0.5 + random.nextDouble() * 5;
            double high = low * (2 + random.nextDouble() * 200);
            double truth = low + random.nextDouble() * (high - low);
            SloSearch s = new SloSearch(low, high, 0.05, 30);
            int trials = 0;
            for (OptionalDouble r = s.next(); r.isPresent(); r = s.next()) {
                double rate = r.getAsDouble();
                assertThat(rate).isBetween(low, high);
                s.record(rate, rate <= truth);
                trials++;
            }
            assertThat(s.converged())
                    .as("low %s high %s truth %s", low, high, truth)
                    .isTrue();
            assertThat(s.maxRate().getAsDouble()).isLessThanOrEqualTo(truth);
            assertThat(s.lowestFailing().getAsDouble())
                    .isGreaterThan(truth)
                    .isLessThanOrEqualTo(s.maxRate().getAsDouble() * 1.05);
            // Bisection of the log range: about log2(ln(high/low) / ln(1.05)) steps after the two ends.
            double bound = 2 + Math.ceil(Math.log(Math.log(high / low) / Math.log(1.05)) / Math.log(2)) + 1;
            assertThat((double) trials).isLessThanOrEqualTo(bound);
        }
    }

    @Test
    void theSearchStopsAtOnceWhenTheLowEndFailsOrTheHighEndHolds() {
        SloSearch failing = new SloSearch(1, 100, 0.1, 8);
        failing.record(failing.next().getAsDouble(), false);
        assertThat(failing.next()).isEmpty();
        assertThat(failing.maxRate()).isEmpty();
        assertThat(failing.describe()).startsWith("no rate met the SLOs: even 1 req/s missed them");
        SloSearch holding = new SloSearch(1, 100, 0.1, 8);
        holding.record(holding.next().getAsDouble(), true);
        assertThat(holding.next().getAsDouble()).isEqualTo(100);
        holding.record(100, true);
        assertThat(holding.next()).isEmpty();
        assertThat(holding.describe()).startsWith("every rate met the SLOs, up to 100 req/s");
        SloSearch capped = new SloSearch(1, 1000, 0.01, 3);
        capped.record(1, true);
        capped.record(1000, false);
        capped.record(capped.next().getAsDouble(), true);
        assertThat(capped.next()).isEmpty();
        assertThat(capped.describe()).contains("not converged to 1 %");
    }

    /**
     * The answer lies between the highest rate that held and the lowest that did not: the line
     * prints that bracket, not a "±" centred on the rate that held (which read as 11.8 to 12.8 for
     * an answer in [12.3, 13.3)), and the requests that decided its two ends.
     */
    @Test
    void theSearchPrintsTheBracketTheAnswerLiesInWithTheRequestsThatDecidedIt() {
        SloSearch s = new SloSearch(2, 25, 0.1, 8);
        s.record(2, true, 6);
        s.record(25, false, 37);
        s.record(13.3, false, 40);
        s.record(12.3, true, 37);
        s.record(11.4, true, 34);
        assertThat(s.converged()).isTrue();
        assertThat(s.describe())
                .isEqualTo("highest rate meeting the SLOs: between 12.3 and 13.3 req/s (12.3 held on 37 requests,"
                        + " 13.3 did not on 40 requests) after 5 trials")
                .doesNotContain("±");
        SloSearch unknown = new SloSearch(2, 25, 0.1, 8);
        unknown.record(2, true);
        unknown.record(25, false);
        assertThat(unknown.describe())
                .startsWith(
                        "highest rate meeting the SLOs: between 2 and 25 req/s (2 held, 25 did not) after 2 trials");
    }

    @Test
    void windowsAreJudgedOnTheirOwnSeconds() {
        TrialResult t = SyntheticResults.trial(SyntheticResults.Spec.of("w").rate(50, 60), 3);
        TrialResult loose = withSlo(t, TrialResult.SloVerdict.latency("ttft", 50, "ttft p50 <= 10s", 10_000, 1.0));
        WindowSlo all = WindowSlo.of(loose, 10);
        assertThat(all.windows()).isEqualTo(6);
        assertThat(all.met()).isEqualTo(6);
        assertThat(all.describe()).isEqualTo("6 of 6 windows of 10 s (100 %) met the SLO");
        TrialResult tight = withSlo(t, TrialResult.SloVerdict.latency("ttft", 50, "ttft p50 <= 100ms", 100, 1.0));
        WindowSlo none = WindowSlo.of(tight, 10);
        assertThat(none.met()).isZero();
        assertThat(none.failedWindows()).containsExactly(0, 10, 20, 30, 40, 50);
        // Evaluated per window, the median is the windows' median: about 200 ms each.
        TrialResult between = withSlo(t, TrialResult.SloVerdict.latency("ttft", 50, "ttft p50 <= 250ms", 250, 1.0));
        assertThat(WindowSlo.of(between, 10).met()).isEqualTo(6);
    }

    @Test
    void theReleaseGateDefinesItsThreeTestsAndJudgesEachByItsSloAndWindows() {
        ReleaseGate gate =
                new ReleaseGate(20, Duration.ofSeconds(30), 3, Duration.ofSeconds(10), Duration.ofMinutes(5), 10, 1.0);
        var template = new dev.llmharness.api.spi.TrialSpec(
                "com.example.Bench.chat",
                java.util.Map.of("rate", "20", "temperature", "0.5"),
                new OpenLoopModel(Arrival.CONSTANT, 20, 0),
                dev.llmharness.api.spi.Phase.ofDuration(Duration.ofSeconds(10)),
                dev.llmharness.api.spi.Phase.ofDuration(Duration.ofSeconds(30)),
                Duration.ofSeconds(10),
                dev.llmharness.api.spi.ShapeWorkload.of(dev.llmharness.api.ShapePreset.CHAT, "cl100k_base"),
                new dev.llmharness.api.spi.EndpointSpec(dev.llmharness.api.Api.OPENAI_CHAT, "", "", "K"),
                dev.llmharness.api.spi.SloSpec.NONE,
                42);
        var tests = gate.trials(template);
        assertThat(tests).extracting(s -> s.params().get("load")).containsExactly("step", "spike", "soak");
        ShapedLoadModel step = (ShapedLoadModel) tests.get(0).load();
        RateProfile p = RateProfile.of(step);
        assertThat(p.rateAt(Duration.ofSeconds(15).toNanos())).isEqualTo(5);
        assertThat(p.rateAt(Duration.ofSeconds(45).toNanos())).isEqualTo(10);
        assertThat(p.rateAt(Duration.ofSeconds(119).toNanos())).isEqualTo(20);
        RateProfile spike = RateProfile.of((ShapedLoadModel) tests.get(1).load());
        assertThat(spike.rateAt(Duration.ofSeconds(35).toNanos())).isEqualTo(60);
        assertThat(spike.durationNanos()).isEqualTo(Duration.ofSeconds(70).toNanos());
        assertThat(((ShapedLoadModel) tests.get(2).load()).duration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(tests.get(0).warmup().isEmpty()).isTrue();
        assertThat(tests.get(1).id()).isEqualTo("com.example.Bench.chat{load=spike, temperature=0.5}");
        assertThat(Points.atRate(template, 7.5).id()).isEqualTo("com.example.Bench.chat{rate=7.5, temperature=0.5}");

        TrialResult t = SyntheticResults.trial(SyntheticResults.Spec.of("g").rate(50, 60), 3);
        TrialResult good = withSlo(t, TrialResult.SloVerdict.latency("ttft", 99, "ttft p99 <= 10s", 10_000, 900.0));
        ReleaseGate.Verdict passing = gate.judge(good);
        assertThat(passing.passed()).as(passing.line()).isTrue();
        // Every request completed in the second it started: the server kept up in every window.
        assertThat(passing.throughput().passed()).isTrue();
        assertThat(passing.throughput().bound()).isEqualTo(ThroughputFloor.DEFAULT);
        assertThat(passing.throughput().measured()).isBetween(0.95, 1.05);
        TrialResult bad = withSlo(t, TrialResult.SloVerdict.latency("ttft", 99, "ttft p99 <= 100ms", 100, 900.0));
        ReleaseGate.Verdict v = gate.judge(bad);
        assertThat(v.passed()).isFalse();
        assertThat(v.reasons()).first().asString().isEqualTo("ttft p99 <= 100ms missed: 900.0 ms");
        assertThat(v.reasons().get(1)).startsWith("0 % of windows met the SLO, 100 % required");
    }

    /**
     * A sweep point's result at 20 req/s (constant arrivals) for a 30 s window without a warmup:
     * request i due at i / 20 s, served first come first served at most {@code capacity} a second
     * (0: as soon as due), then answered after 0.2 s (7 in 10) or 6 s (3 in 10), skewed as answers
     * are. With no capacity limit the server keeps pace exactly; at 16 a second it completes 80 %.
     *
     * @param timeline {@code "starts"}: as recorded today; {@code "completions"}: as a file written
     *     before the timeline counted intended starts; {@code "none"}: no timeline
     */
    private static TrialResult served(double capacity, String timeline) {
        long[] started = new long[30];
        long[] completed = new long[90];
        Histogram e2e = Histograms.newLatency();
        double free = 0;
        long inWindow = 0;
        for (int i = 0; i < 600; i++) {
            double due = i / 20.0;
            double servedAt = due;
            if (capacity > 0) {
                free = Math.max(free, due) + 1 / capacity;
                servedAt = free;
            }
            double end = servedAt + (i % 10 < 7 ? 0.2 : 6.0);
            started[(int) due]++;
            completed[(int) end]++;
            inWindow += end < 30 ? 1 : 0;
            Histograms.recordLatency(e2e, Math.round((end - due) * 1e9));
        }
        List<TrialResult.Interval> seconds = new ArrayList<>();
        for (int s = 0; s < completed.length && !timeline.equals("none"); s++) {
            seconds.add(
                    timeline.equals("starts")
                            ? new TrialResult.Interval(s, completed[s], 0, 0, s < 30 ? started[s] : 0L, 0L, null)
                            : new TrialResult.Interval(s, completed[s], 0, 0));
        }
        TrialResult t = SyntheticResults.trial(SyntheticResults.Spec.of("p").rate(20, 30), 5);
        Map<String, MetricResult> metrics = new LinkedHashMap<>(t.metrics());
        metrics.put(Metric.E2E.key(), MetricResult.ofLatency(e2e));
        return new TrialResult(
                "com.example.Bench.chat{rate=20}",
                "com.example.Bench.chat",
                Map.of("rate", "20"),
                t.api(),
                new TrialResult.LoadInfo("open", "CONSTANT", 20.0, 0, null, null, null, null, null),
                t.workload(),
                t.seed(),
                new TrialResult.WindowInfo("2026-01-01T00:00:00Z", 0, 30, 14, inWindow, 600 - inWindow),
                t.counts(),
                t.tokens(),
                new TrialResult.Throughput(inWindow / 30.0, 0, 0, null),
                0.0,
                metrics,
                List.of(),
                seconds,
                List.of());
    }

    @Test
    void aSweepPointKeptPaceByTheReleaseGatesRuleWhateverItsLatencies() {
        // Keeps pace exactly, its answers skewed (median 0.2 s, mean 1.94 s), no warmup: the
        // seconds after the e2e p90 (6 s) completed what was offered to them.
        SweepPoint healthy = SweepPoint.of(served(0, "starts"));
        assertThat(healthy.keptUp()).isTrue();
        ThroughputFloor.Check pace = SweepPoint.pace(served(0, "starts"), 20);
        assertThat(pace.windowStart()).isEqualTo(7);
        assertThat(pace.measured()).isCloseTo(1.0, within(0.03));
        assertThat(pace.bound()).isEqualTo(ThroughputFloor.DEFAULT);

        // Served 16 a second: 80 % of what was offered, below the gate's 90 %.
        TrialResult behind = served(16, "starts");
        assertThat(SweepPoint.of(behind).keptUp()).isFalse();
        assertThat(SweepPoint.pace(behind, 20).measured()).isBetween(0.75, 0.85);
        // The saturation warning asks the same, on the same seconds, and gets the same answer.
        ThroughputFloor.Check warning = ThroughputFloor.keptPaceLater(behind.timeline(), behind.metrics(), 30, true);
        assertThat(warning).isEqualTo(SweepPoint.pace(behind, 20));

        // The knee between them: 20 req/s fell behind, so the knee is where achieved fell behind.
        CapacityCurve curve = CapacityCurve.of("t", List.of(point(10, 10, 1940, true), SweepPoint.of(behind)));
        assertThat(curve.firstFailure()).startsWith("20 req/s: achieved").endsWith("the server fell behind");
        // The knee is the rate 20 req/s achieved (449 completions in 30 s), to 3 significant digits.
        assertThat(SweepPoint.of(behind).achieved()).isCloseTo(14.97, within(0.01));
        assertThat(curve.kneeRate()).isEqualTo(15.0);
    }

    @Test
    void aPointSoSlowThatItsLaterSecondsCannotBeJudgedIsHeldToItsRateNotToItsLatencies() {
        // 20 req/s offered, 8 served a second: the queue makes the e2e p90 (about 40 s) outlast the
        // 30 s window, so no later seconds are left to judge. The whole window is then held to the
        // rate's offer (less the e2e p10, 6.4 s, before the first completions), about 471 requests,
        // of which it completed about 225; the latency distribution of its own long queue would
        // have expected far fewer and passed it.
        TrialResult slow = served(8, "starts");
        assertThat(ThroughputFloor.keptPaceLater(slow.timeline(), slow.metrics(), 30, false)
                        .measured())
                .isNull();
        ThroughputFloor.Check pace = SweepPoint.pace(slow, 20);
        assertThat(pace.windowStart()).isZero();
        assertThat(pace.measured()).isBetween(0.40, 0.56);
        assertThat(pace.passed()).isFalse();
        assertThat(SweepPoint.of(slow).keptUp()).isFalse();
        // The same whole-window test passes a server that keeps pace, skewed latencies and all.
        TrialResult healthy = served(0, "starts");
        assertThat(ThroughputFloor.keptPaceOverall(
                                20,
                                30,
                                false,
                                healthy.metrics(),
                                healthy.window().completedInWindow())
                        .passed())
                .isTrue();
    }

    @Test
    void anOlderResultIsJudgedOnTheStartsItsRateSchedulesAndOneWithoutATimelineOnItsSlosAlone() {
        // Per-second completions without intended starts (a file from before 2026-12-06): the
        // constant rate's schedule stands in for them, 20 a second, and the verdicts are the same.
        ThroughputFloor.Check recorded = SweepPoint.pace(served(0, "starts"), 20);
        ThroughputFloor.Check scheduled = SweepPoint.pace(served(0, "completions"), 20);
        assertThat(scheduled).isEqualTo(recorded);
        assertThat(SweepPoint.of(served(0, "completions")).keptUp()).isTrue();
        assertThat(SweepPoint.of(served(16, "completions")).keptUp()).isFalse();
        // A fractional rate schedules its starts exactly: 2.5 req/s over 4 s is 3, 2, 3, 2.
        assertThat(SweepPoint.scheduled(List.of(new TrialResult.Interval(0, 2, 0, 0)), 2.5, 4))
                .extracting(TrialResult.Interval::started)
                .containsExactly(3L, 2L, 3L, 2L);
        // No timeline at all: pace is not judged, and the point holds or not by its SLOs.
        ThroughputFloor.Check none = SweepPoint.pace(served(16, "none"), 20);
        assertThat(none.measured()).isNull();
        assertThat(SweepPoint.of(served(16, "none")).keptUp()).isTrue();
    }

    private static TrialResult withSlo(TrialResult t, TrialResult.SloVerdict verdict) {
        return SyntheticResults.withSlo(t, new ArrayList<>(List.of(verdict)));
    }
}
