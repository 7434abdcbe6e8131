package dev.llmharness.runtime.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.ShapedLoadModel;
import dev.llmharness.runtime.load.RateProfile;
import dev.llmharness.runtime.result.SyntheticResults;
import dev.llmharness.runtime.result.ThroughputFloor;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.result.WindowSlo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
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

    private static TrialResult withSlo(TrialResult t, TrialResult.SloVerdict verdict) {
        List<TrialResult.SloVerdict> slo = new ArrayList<>(List.of(verdict));
        return new TrialResult(
                t.id(),
                t.benchmark(),
                t.params(),
                t.api(),
                t.load(),
                t.workload(),
                t.seed(),
                t.window(),
                t.counts(),
                t.tokens(),
                t.throughput(),
                t.errorRate(),
                t.metrics(),
                slo,
                t.timeline(),
                t.warnings());
    }
}
