package dev.llmharness.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.LatencyBound;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.RateStage;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.ShapedLoadModel;
import dev.llmharness.api.spi.SloMetric;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.api.spi.WindowObjective;
import dev.llmharness.runtime.capacity.CapacityCurve;
import dev.llmharness.runtime.capacity.ReleaseGate;
import dev.llmharness.runtime.capacity.SweepPoint;
import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.ThroughputFloor;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code llmh sweep}, {@code llmh sweep --search} and {@code llmh release-gate} against a
 * simulator with a known capacity: a continuous-batching engine of {@value #SLOTS} batch slots and
 * fixed {@value #STEP_MS} ms steps (no per-token costs), serving requests of {@value #OUTPUT}
 * output tokens. A request holds a slot for {@value #OUTPUT} steps (its first token ends its
 * prefill step), so the simulator completes at most {@code SLOTS / (OUTPUT × STEP)} = {@value
 * #CAPACITY} requests/s: the model's prediction of the knee. A loaded machine only slows the
 * engine's steps, never speeds them, so the assertions bound the knee by the prediction from above
 * and loosely from below, and otherwise check what was run (points, verdicts, bracket), not how
 * fast.
 */
class CapacityEndToEndTest {
    static final int SLOTS = 2;
    static final int STEP_MS = 20;
    static final int OUTPUT = 8;
    static final double CAPACITY = SLOTS / (OUTPUT * STEP_MS / 1000.0);

    private static SimServer sim;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSimulator() throws IOException {
        sim = SimServer.start(SimConfig.defaults().toBuilder()
                .stepBase(Duration.ofMillis(STEP_MS))
                .prefillPerToken(Duration.ZERO)
                .decodePerSequence(Duration.ZERO)
                .decodePerKvToken(Duration.ZERO)
                .itlScale(1.0)
                .maxNumSeqs(SLOTS)
                .maxBatchedTokens(0)
                .build());
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    @Test
    void aSweepFindsTheKneeBelowTheModelsCapacityAndRecordsEveryPoint() throws IOException {
        CapacityCall sweep = at("sweep.json", trial(SloSpec.NONE));
        E2e.Outcome o = sweep.llmh(
                "sweep",
                "--rates",
                "3,5,7,9,11,14,17,20",
                "--duration",
                "4s",
                "--warmup",
                "1s",
                "--slo",
                "ttft p99 <= 300ms");
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.OK);
        RunResult run = ResultJson.read(sweep.output());
        assertThat(run.trials())
                .extracting(TrialResult::id)
                .containsExactly(
                        "com.example.E2e.capacity{rate=3}",
                        "com.example.E2e.capacity{rate=5}",
                        "com.example.E2e.capacity{rate=7}",
                        "com.example.E2e.capacity{rate=9}",
                        "com.example.E2e.capacity{rate=11}",
                        "com.example.E2e.capacity{rate=14}",
                        "com.example.E2e.capacity{rate=17}",
                        "com.example.E2e.capacity{rate=20}");
        for (TrialResult t : run.trials()) {
            // Each point is a whole trial: its own histograms, objectives and goodput.
            assertThat(t.load().rate()).isEqualTo(Double.parseDouble(t.params().get("rate")));
            assertThat(t.slo()).extracting(TrialResult.SloVerdict::objective).contains("ttft p99 <= 300ms");
            assertThat(t.throughput().goodputRequestsPerSecond()).isNotNull();
            assertThat(t.metrics().get("ttft").histogram()).startsWith("HISTF");
        }
        CapacityCurve curve = CapacityCurve.sweepsOf(run.trials()).get(0);
        assertThat(curve.name()).isEqualTo("com.example.E2e.capacity");
        assertThat(curve.reached()).as(o.toString()).isTrue();
        assertThat(curve.knee()).as(o.toString()).isNotNull();
        // The engine cannot complete more than its model allows; 14 to 20 req/s are above it. A
        // loaded machine slows its steps and lowers the knee, never raises it.
        assertThat(curve.knee().offered()).as(o.toString()).isLessThan(CAPACITY).isGreaterThanOrEqualTo(5);
        assertThat(curve.kneeRate())
                .as(o.toString())
                .isLessThanOrEqualTo(CAPACITY * 1.05)
                .isGreaterThanOrEqualTo(curve.knee().offered());
        assertThat(curve.maxAchieved()).isLessThanOrEqualTo(CAPACITY * 1.05);
        assertThat(o.out()).contains("knee: " + TrialSpec.formatRate(curve.kneeRate()) + " req/s");
        System.out.printf(
                java.util.Locale.ROOT,
                "8-point sweep: knee %.2f req/s, predicted %.2f req/s (%+.1f %%)%n",
                curve.kneeRate(),
                CAPACITY,
                100 * (curve.kneeRate() / CAPACITY - 1));
        SweepPoint top = curve.points().get(curve.points().size() - 1);
        assertThat(top.offered()).isEqualTo(20);
        assertThat(top.sloPassed())
                .as("20 req/s against a capacity of %s", CAPACITY)
                .isFalse();
    }

    @Test
    void theSloSearchConvergesOnABracketAroundTheCapacity() throws IOException {
        CapacityCall search = at("search.json", trial(ttftP99("300ms")));
        E2e.Outcome o = search.llmh(
                "sweep",
                "--search",
                "--from",
                "2",
                "--to",
                "25",
                "--precision",
                "15%",
                "--max-trials",
                "8",
                "--duration",
                "3s",
                "--warmup",
                "1s");
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.OK);
        List<TrialResult> points = ResultJson.read(search.output()).trials();
        assertThat(points.size()).isBetween(3, 8);
        double held = 0;
        double failed = Double.POSITIVE_INFINITY;
        for (TrialResult t : points) {
            SweepPoint p = SweepPoint.of(t);
            if (p.sloPassed() && p.keptUp()) {
                held = Math.max(held, p.offered());
            } else {
                failed = Math.min(failed, p.offered());
            }
        }
        assertThat(points.get(0).load().rate()).isEqualTo(2.0);
        assertThat(points.get(1).load().rate()).isEqualTo(25.0);
        assertThat(failed).as(o.toString()).isGreaterThan(held).isLessThanOrEqualTo(held * 1.15);
        // A slower machine lowers the answer; nothing raises it far past the engine's capacity.
        assertThat(held).as(o.toString()).isBetween(4.0, CAPACITY * 1.25);
        // What docs/load.md shows of the search.
        System.out.println(o.out());
        assertThat(o.out())
                .contains("highest rate meeting the SLOs: between " + TrialSpec.formatRate(held) + " and "
                        + TrialSpec.formatRate(failed) + " req/s (" + TrialSpec.formatRate(held) + " held on ")
                .doesNotContain("not converged");
    }

    @Test
    void theReleaseGateFailsWhenASpikeBreaksTheSlo() throws IOException {
        CapacityCall gate = at("gate.json", trial(ttftP99("300ms")));
        E2e.Outcome o = gate.llmh(
                "release-gate",
                "--rate",
                "4",
                "--level",
                "2s",
                "--spike-factor",
                "5",
                "--spike-hold",
                "3s",
                "--soak",
                "3s",
                // The windows must fit in the 3 s soak (a longer one is refused).
                "--window",
                "3s");
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.SLO_FAILED);
        assertThat(o.out()).contains("release gate: FAIL");
        String spike = o.out()
                .lines()
                .filter(l -> l.strip().startsWith("spike "))
                .findFirst()
                .orElseThrow();
        assertThat(spike).contains("FAIL").contains("ttft p99 <= 300ms missed");
        // The simulator keeps its SLO at the gate's rate: only the spike breaks it.
        assertThat(o.out().lines().map(String::strip))
                .anyMatch(l -> l.startsWith("step ") && l.contains("PASS"))
                .anyMatch(l -> l.startsWith("soak ") && l.contains("PASS"));
        List<TrialResult> tests = ResultJson.read(gate.output()).trials();
        assertThat(tests)
                .extracting(TrialResult::id)
                .containsExactly(
                        "com.example.E2e.capacity{load=step}",
                        "com.example.E2e.capacity{load=spike}",
                        "com.example.E2e.capacity{load=soak}");
        // The spike was run as defined: 2 s at 4, 3 s at 20, 2 s at 4 req/s, constant arrivals: 76
        // intended starts (one may cross the end).
        TrialResult s = tests.get(1);
        assertThat(s.load().rate()).isEqualTo(20.0);
        assertThat(s.load().description())
                .isEqualTo("spike CONSTANT 4 → 4 over 2s ⇒ 20 → 20 over 3s ⇒ 4 → 4 over 2s req/s");
        assertThat(s.counts().sent()).isBetween(75L, 77L);
        assertThat(tests.get(0).load().description())
                .isEqualTo("step CONSTANT 1 → 1 over 2s ⇒ 2 → 2 over 2s ⇒ 3 → 3 over 2s ⇒ 4 → 4 over 2s req/s");
        assertThat(tests.get(0).counts().sent()).isBetween(19L, 21L);
    }

    /**
     * The gate's throughput objective, with a latency objective no test can miss ({@code ttft p99
     * <= 60s}), so that only throughput decides. At 20 req/s the simulator completes at most its
     * capacity of {@value #CAPACITY} req/s, about 62 % of what the soak offers once its queue has
     * formed: the soak fails on throughput alone, below the default floor of 90 %, its reason naming
     * the objective and its figures. At 4 req/s (a spike to 8, still below the capacity) every test
     * completes what it is offered and the gate passes.
     */
    @Test
    void theReleaseGateFailsAServerThatCannotKeepUpOnThroughputAndPassesOneThatCan() throws IOException {
        TrialSpec trial = trial(ttftP99("60s"));
        CapacityCall saturated = at("saturated.json", trial);
        E2e.Outcome behind = saturated.llmh(
                "release-gate",
                "--rate",
                "20",
                "--level",
                "2s",
                "--spike-factor",
                "1.5",
                "--spike-hold",
                "2s",
                "--soak",
                "6s",
                "--window",
                "3s");
        assertThat(behind.exitCode()).as(behind.toString()).isEqualTo(Llmh.SLO_FAILED);
        String soak = behind.out()
                .lines()
                .map(String::strip)
                .filter(l -> l.startsWith("soak "))
                .findFirst()
                .orElseThrow();
        assertThat(soak)
                .as(behind.toString())
                .contains("FAIL")
                .contains("throughput (requestsPerSecond)")
                .contains("at least 90 % required")
                .doesNotContain("ttft p99 <= 60s missed");
        // The verdict as fields, judged again from the result file as the command judged it.
        ReleaseGate gate =
                new ReleaseGate(20, Duration.ofSeconds(2), 1.5, Duration.ofSeconds(2), Duration.ofSeconds(6), 3, 1.0);
        TrialResult soakResult = ResultJson.read(saturated.output()).trials().get(2);
        assertThat(soakResult.slo()).allMatch(TrialResult.SloVerdict::passed);
        ThroughputFloor.Check check = gate.judge(soakResult).throughput();
        assertThat(check.metric()).isEqualTo("requestsPerSecond");
        assertThat(check.bound()).isEqualTo(0.9);
        assertThat(check.passed()).isFalse();
        // Capacity over offered, about 0.62; a loaded machine lowers it.
        assertThat(check.measured()).as(behind.toString()).isLessThan(0.8);
        assertThat(check.achieved()).isLessThan((long) check.offered());

        CapacityCall healthy = at("healthy.json", trial);
        E2e.Outcome keptUp = healthy.llmh(
                "release-gate",
                "--rate",
                "4",
                "--level",
                "2s",
                "--spike-factor",
                "2",
                "--spike-hold",
                "2s",
                "--soak",
                "6s",
                "--window",
                "3s");
        assertThat(keptUp.exitCode()).as(keptUp.toString()).isEqualTo(Llmh.OK);
        assertThat(keptUp.out()).contains("release gate: PASS").doesNotContain("throughput (requestsPerSecond)");
        ReleaseGate healthyGate =
                new ReleaseGate(4, Duration.ofSeconds(2), 2, Duration.ofSeconds(2), Duration.ofSeconds(6), 3, 1.0);
        for (TrialResult t : ResultJson.read(healthy.output()).trials()) {
            ThroughputFloor.Check c = healthyGate.judge(t).throughput();
            assertThat(c.passed()).as(t.id() + ": " + c).isTrue();
            assertThat(c.measured()).as(t.id() + ": " + c).isNotNull().isGreaterThan(0.9);
        }
    }

    /**
     * A per-window objective: 6 s at 4 req/s (a third of the capacity: no request waits for a
     * slot, TTFT is about one step), then 2 s at 30 req/s (more than twice the capacity: the queue
     * grows by about 35 requests, so TTFT reaches seconds). Of the four 2 s windows the first three
     * meet {@code ttft p99 <= 300ms} and the last misses it, whatever the machine's speed: a slower
     * machine only lengthens the queue. So {@code windows = 0.5} passes and {@code windows = 1}
     * fails, and each verdict carries the share, the attainment asked and the window length.
     */
    @Test
    void aPerWindowObjectivePassesAtHalfTheWindowsAndFailsAtAll() throws IOException {
        ShapedLoadModel load = ShapedLoadModel.stages(
                Arrival.CONSTANT,
                1,
                4,
                List.of(
                        new RateStage(Duration.ofSeconds(6), 4),
                        new RateStage(Duration.ZERO, 30),
                        new RateStage(Duration.ofSeconds(2), 30)),
                0);
        ShapeWorkload shape = shape();
        List<LatencyBound> ttft = List.of(LatencyBound.parse(SloMetric.TTFT, "p99 <= 300ms"));
        TrialSpec half = E2e.trial(
                "half",
                load,
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(60)),
                shape,
                new SloSpec(ttft, OptionalDouble.empty(), Optional.of(new WindowObjective(0.5, 2))),
                1);
        TrialSpec all = E2e.trial(
                "all",
                load,
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(60)),
                shape,
                new SloSpec(ttft, OptionalDouble.empty(), Optional.of(new WindowObjective(1.0, 2))),
                1);
        CapacityCall windows = at("windows.json", half, all);
        E2e.Outcome o = runWithoutErrorObjective(windows);
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.SLO_FAILED);
        List<TrialResult> trials = ResultJson.read(windows.output()).trials();
        for (TrialResult t : trials) {
            assertThat(t.slo()).extracting(TrialResult.SloVerdict::metric).containsExactly("ttft", "windows");
            // The whole trial misses: its p99 is the overload's.
            assertThat(t.slo().get(0).passed()).as(o.toString()).isFalse();
            TrialResult.SloVerdict w = t.slo().get(1);
            assertThat(w.windowSeconds()).isEqualTo(2);
            assertThat(w.percentile()).isNull();
            assertThat(w.actual()).as(o.toString()).isEqualTo(0.75);
            assertThat(w).isEqualTo(TrialResult.SloVerdict.windows(w.objective(), w.limit(), 2, 0.75));
        }
        TrialResult.SloVerdict atHalf = trials.get(0).slo().get(1);
        assertThat(atHalf.objective()).isEqualTo("windows(2s) met >= 50%");
        assertThat(atHalf.limit()).isEqualTo(0.5);
        assertThat(atHalf.passed()).isTrue();
        TrialResult.SloVerdict atAll = trials.get(1).slo().get(1);
        assertThat(atAll.objective()).isEqualTo("windows(2s) met >= 100%");
        assertThat(atAll.passed()).isFalse();
        assertThat(o.out())
                .contains("PASS  windows(2s) met >= 50% (actual 75.00 %)")
                .contains("FAIL  windows(2s) met >= 100% (actual 75.00 %)");
        // Merged as two runs of one trial, the windows add up (6 of 8) and are judged again.
        RunResult merged = dev.llmharness.runtime.result.ResultMerger.merge(
                List.of(ResultJson.read(windows.output()), ResultJson.read(windows.output())),
                List.of("a", "b"),
                dev.llmharness.runtime.result.ResultMerger.Mode.RUNS);
        assertThat(merged.trials().get(0).slo().get(1))
                .isEqualTo(TrialResult.SloVerdict.windows("windows(2s) met >= 50%", 0.5, 2, 0.75));
    }

    /**
     * The throughput objective of a trial ({@code @Slo(minThroughput)}): 2 s at 4 req/s, then 6 s at
     * 25 req/s, twice the simulator's capacity of {@value #CAPACITY} req/s. Once the overload fills
     * a whole 2 s window of offered requests (50), the simulator completes at most 25 in it, about
     * half, whatever the median latency the windows are shifted by; a loaded machine completes
     * fewer. So {@code minThroughput = 0.9} fails with the window's share as {@code actual}; 8 s at
     * 4 req/s passes. A merge of two runs judges each run again and keeps the verdict.
     */
    @Test
    void aThroughputObjectiveFailsATrialWhoseServerFellBehindAndPassesOneThatKeptUp() throws IOException {
        ShapeWorkload shape = shape();
        SloSpec slo = new SloSpec(
                List.of(),
                OptionalDouble.empty(),
                Optional.empty(),
                Optional.of(new dev.llmharness.api.spi.ThroughputObjective(0.9, 2)));
        TrialSpec overload = E2e.trial(
                "overload",
                ShapedLoadModel.stages(
                        Arrival.CONSTANT,
                        1,
                        4,
                        List.of(
                                new RateStage(Duration.ofSeconds(2), 4),
                                new RateStage(Duration.ZERO, 25),
                                new RateStage(Duration.ofSeconds(6), 25)),
                        0),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(60)),
                shape,
                slo,
                1);
        TrialSpec steady = E2e.trial(
                "steady",
                ShapedLoadModel.soak(Arrival.CONSTANT, 1, 4, Duration.ofSeconds(8), 0),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(60)),
                shape,
                slo,
                1);
        CapacityCall throughput = at("throughput.json", overload, steady);
        E2e.Outcome o = runWithoutErrorObjective(throughput);
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.SLO_FAILED);
        List<TrialResult> trials = ResultJson.read(throughput.output()).trials();
        TrialResult.SloVerdict behind = trials.get(0).slo().get(0);
        assertThat(behind.objective()).isEqualTo("throughput(2s) >= 90% of offered");
        assertThat(behind.metric()).isEqualTo("requestsPerSecond");
        assertThat(behind.onThroughput()).isTrue();
        assertThat(behind.windowSeconds()).isEqualTo(2);
        assertThat(behind.limit()).isEqualTo(0.9);
        assertThat(behind.percentile()).isNull();
        assertThat(behind.passed()).as(o.toString()).isFalse();
        assertThat(behind.actual()).as(o.toString()).isLessThan(0.7);
        TrialResult.SloVerdict kept = trials.get(1).slo().get(0);
        assertThat(kept.passed()).as(o.toString()).isTrue();
        assertThat(kept.actual()).as(o.toString()).isGreaterThan(0.9);
        assertThat(o.out()).contains("FAIL  throughput(2s) >= 90% of offered (actual ");

        RunResult merged = dev.llmharness.runtime.result.ResultMerger.merge(
                List.of(ResultJson.read(throughput.output()), ResultJson.read(throughput.output())),
                List.of("a", "b"),
                dev.llmharness.runtime.result.ResultMerger.Mode.RUNS);
        TrialResult.SloVerdict again = merged.trials().get(0).slo().get(0);
        assertThat(again.objective()).isEqualTo(behind.objective());
        assertThat(again.passed()).isFalse();
        assertThat(again.actual()).isCloseTo(behind.actual(), org.assertj.core.data.Offset.offset(0.02));
        assertThat(merged.trials().get(0).warnings()).noneMatch(w -> w.contains("cannot be re-evaluated"));
    }

    /**
     * A server that fails every request has no knee: the sweep says which objective each point
     * missed and what its requests failed with, rather than only that an SLO was missed.
     */
    @Test
    void aSweepAgainstAServerThatFailsEveryRequestSaysWhatTheyFailedWith() throws IOException {
        try (SimServer failing = SimServer.start(SimConfig.preset("fixed-itl").toBuilder()
                .faultRate(dev.llmharness.runtime.sim.FaultKind.HTTP_500, 1.0)
                .build())) {
            E2e.Outcome o = new CapacityCall(
                            List.of(trial(SloSpec.NONE)), failing.baseUrl(), dir.resolve("failing.json"))
                    .llmh("sweep", "--rates", "5,10", "--duration", "1s", "--warmup", "0s");
            assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.OK);
            assertThat(o.out())
                    .as(o.toString())
                    .containsPattern("5 req/s +achieved +0\\.00 req/s  SLO FAIL: errorRate <= 0\\.05 \\(actual 100\\.00"
                            + " %\\); every request failed \\(5 http_5xx\\)")
                    .contains("no knee: even the lowest rate did not hold");
        }
    }

    /** The template: constant arrivals at 5 req/s, 1 s of warmup and 4 s measured, {@link #shape()}. */
    private static TrialSpec trial(SloSpec slo) {
        return E2e.trial(
                "capacity",
                new OpenLoopModel(Arrival.CONSTANT, 5, 0),
                Phase.ofDuration(Duration.ofSeconds(1)),
                Phase.ofDuration(Duration.ofSeconds(4)),
                shape(),
                slo,
                1);
    }

    /** 16-token prompts, exactly {@value #OUTPUT} tokens out. */
    private static ShapeWorkload shape() {
        return new ShapeWorkload(
                ShapePreset.NONE, LengthSpec.fixed(16), LengthSpec.fixed(OUTPUT), 0, true, "cl100k_base", null);
    }

    /** One TTFT p99 objective, {@code limit} written as in {@code @Slo} (e.g. {@code 300ms}), and a 5 % error rate. */
    private static SloSpec ttftP99(String limit) {
        return new SloSpec(List.of(LatencyBound.parse(SloMetric.TTFT, "p99 <= " + limit)), OptionalDouble.of(0.05));
    }

    /** {@code trials} against this class's simulator, writing {@code file} in the test's folder. */
    private CapacityCall at(String file, TrialSpec... trials) {
        return new CapacityCall(List.of(trials), sim.baseUrl(), dir.resolve(file));
    }

    /**
     * {@code llmh run} with no error-rate objective (only the objectives under test decide) and no
     * progress lines.
     */
    private static E2e.Outcome runWithoutErrorObjective(CapacityCall call) {
        return call.llmh("run", "--max-error-rate", "none", "--progress", "0s");
    }
}
