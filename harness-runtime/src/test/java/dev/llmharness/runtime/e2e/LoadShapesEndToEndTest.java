package dev.llmharness.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.ShapedLoadModel;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.StagedClosedLoopModel;
import dev.llmharness.api.spi.TraceLoadModel;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.api.spi.WorkerStage;
import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.load.ArrivalSchedule;
import dev.llmharness.runtime.load.RateProfile;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each load shape run through {@code llmh run} against the simulator ({@code fixed-itl}: every
 * request takes 20 ms to its first token and 20 ms per further token): the intended starts are the
 * shape's schedule, the starts per second follow the shape's rate, and the completions show the
 * shape. Short shapes (3 to 8 s) keep the suite quick.
 */
class LoadShapesEndToEndTest {
    private static SimServer sim;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSimulator() throws IOException {
        sim = SimServer.start(SimConfig.preset("fixed-itl"));
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    @Test
    void aStepTestStartsRequestsOnItsScheduleAndCompletesThemAtEachLevelsRate() throws IOException {
        ShapedLoadModel step =
                ShapedLoadModel.steps(Arrival.CONSTANT, 1, 10, 20, 3, Duration.ofSeconds(2), Duration.ofSeconds(1), 0);
        Run run = run("step", step);
        assertIntendedStartsFollow(run, ArrivalSchedule.of(step, 1));
        assertRateOverTimeFollows(run, RateProfile.of(step));
        assertThat(run.result().load().shape()).isEqualTo("step");
        assertThat(run.result().load().rate()).isEqualTo(50.0);
        assertThat(run.result().window().measurementSeconds()).isCloseTo(8, org.assertj.core.data.Offset.offset(0.2));
    }

    @Test
    void aSpikeJumpsToItsPeakAndBack() throws IOException {
        ShapedLoadModel spike = ShapedLoadModel.spike(
                Arrival.CONSTANT,
                1,
                10,
                80,
                Duration.ofSeconds(2),
                Duration.ZERO,
                Duration.ofSeconds(2),
                Duration.ZERO,
                Duration.ofSeconds(2),
                0);
        Run run = run("spike", spike);
        assertIntendedStartsFollow(run, ArrivalSchedule.of(spike, 1));
        assertRateOverTimeFollows(run, RateProfile.of(spike));
    }

    @Test
    void stagesFollowTheirPiecewiseLinearRate() throws IOException {
        ShapedLoadModel stages = ShapedLoadModel.stages(
                Arrival.CONSTANT,
                1,
                2,
                List.of(
                        new dev.llmharness.api.spi.RateStage(Duration.ofSeconds(2), 20),
                        new dev.llmharness.api.spi.RateStage(Duration.ofSeconds(2), 20),
                        new dev.llmharness.api.spi.RateStage(Duration.ofSeconds(2), 2)),
                0);
        Run run = run("stages", stages);
        assertIntendedStartsFollow(run, ArrivalSchedule.of(stages, 1));
        assertRateOverTimeFollows(run, RateProfile.of(stages));
        assertThat(run.result().load().shape()).isEqualTo("stages");
    }

    @Test
    void aSoakHoldsItsRateToItsEnd() throws IOException {
        ShapedLoadModel soak = ShapedLoadModel.soak(Arrival.CONSTANT, 1, 15, Duration.ofSeconds(3), 0);
        Run run = run("soak", soak);
        assertIntendedStartsFollow(run, ArrivalSchedule.of(soak, 1));
        assertRateOverTimeFollows(run, RateProfile.of(soak));
        assertThat(run.result().counts().sent()).isEqualTo(45);
    }

    @Test
    void aRampOfPoissonArrivalsCompletesAboutItsIntegralEachSecond() throws IOException {
        ShapedLoadModel ramp = ShapedLoadModel.ramp(Arrival.POISSON, 1, 5, 60, Duration.ofSeconds(5), 0);
        Run run = run("ramp", ramp);
        assertIntendedStartsFollow(run, ArrivalSchedule.of(ramp, 1));
        long total = run.result().counts().sent();
        double expected = RateProfile.of(ramp).expectedArrivals();
        assertThat((double) total).isBetween(expected - 4 * Math.sqrt(expected), expected + 4 * Math.sqrt(expected));
    }

    @Test
    void aRampOfConstantArrivalsStartsEachSecondItsIntegral() throws IOException {
        ShapedLoadModel ramp = ShapedLoadModel.ramp(Arrival.CONSTANT, 1, 2, 30, Duration.ofSeconds(4), 0);
        Run run = run("ramp-constant", ramp);
        assertIntendedStartsFollow(run, ArrivalSchedule.of(ramp, 1));
        // 2 + 7t requests/s: 5.5, 12.5, 19.5 and 26.5 starts in seconds 0 to 3.
        assertRateOverTimeFollows(run, RateProfile.of(ramp));
        assertThat(run.result().load().shape()).isEqualTo("ramp");
    }

    @Test
    void workersRampedUpStartEvenlyOverTheRampAndThenHold() throws IOException {
        // 4 workers over 2 s: worker k starts at k x 0.5 s; each request takes about 80 ms (4 tokens).
        StagedClosedLoopModel workers = StagedClosedLoopModel.rampUp(4, Duration.ofSeconds(2), Duration.ZERO);
        Run run = run("ramped-workers", workers, Phase.ofDuration(Duration.ofSeconds(4)));
        java.util.Map<Integer, Double> firstStart = new java.util.TreeMap<>();
        double origin = Double.NaN;
        try (Reader in = Files.newBufferedReader(run.csv())) {
            for (CSVRecord r : CSVFormat.DEFAULT
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .get()
                    .parse(in)) {
                double ms = Double.parseDouble(r.get("intended_start_epoch_ms"));
                firstStart.merge(Integer.parseInt(r.get("worker")), ms, Math::min);
                origin = Double.isNaN(origin) ? ms : Math.min(origin, ms);
            }
        }
        assertThat(firstStart).hasSize(4);
        for (var e : firstStart.entrySet()) {
            // A closed loop's intended start is when its worker woke for the request, so a loaded
            // machine delays it by a few ms (12 ms seen at load 27); all at once would be 0.
            assertThat(e.getValue() - origin)
                    .as("worker %d's first intended start, ms", e.getKey())
                    .isCloseTo(e.getKey() * 500.0, org.assertj.core.data.Offset.offset(100.0));
        }
        // In flight over time: 1.5 workers on average in second 0 (worker 0, and worker 1 from
        // 0.5 s), 4 once the ramp is over. Loose bounds: a loaded machine widens the gaps between a
        // worker's requests.
        List<TrialResult.Interval> timeline = run.result().timeline();
        assertThat(timeline.get(0).meanInFlight()).isBetween(0.7, 2.1);
        assertThat(timeline.get(3).meanInFlight()).isBetween(2.8, 4.05);
        assertThat(run.result().load().concurrency()).isEqualTo(4);
        assertThat(run.result().load().shape()).isEqualTo("worker-ramp");
    }

    /**
     * {@code compare} and {@code merge} take shaped trials as any other: a spike run twice matches
     * by its {@code load=spike} id, and its shards merge with their per-second timelines (counts
     * and latency histograms) summed second by second.
     */
    @Test
    void compareAndMergeTakeShapedTrialsWithTheirTimelines() throws IOException {
        ShapedLoadModel spike = ShapedLoadModel.spike(
                Arrival.CONSTANT,
                1,
                5,
                20,
                Duration.ofSeconds(1),
                Duration.ZERO,
                Duration.ofSeconds(1),
                Duration.ZERO,
                Duration.ofSeconds(1),
                0);
        Run a = run("twice", spike);
        Path fileA = Files.copy(dir.resolve("twice.json"), dir.resolve("first.json"));
        Run b = run("twice", spike);
        Path fileB = dir.resolve("twice.json");

        E2e.Outcome compared = E2e.compare("--fail-on", "never", fileA.toString(), "--", fileB.toString());
        assertThat(compared.exitCode()).as(compared.toString()).isEqualTo(Llmh.OK);
        assertThat(compared.out()).contains("trial com.example.E2e.twice{load=twice}");

        Path merged = dir.resolve("merged.json");
        Path againA = E2e.anotherRun(fileA, dir.resolve("first-again.json"));
        E2e.Outcome m = E2e.llmh(List.of(), "merge", fileA.toString(), againA.toString(), "-o", merged.toString());
        assertThat(m.exitCode()).as(m.toString()).isEqualTo(Llmh.OK);
        TrialResult one = a.result();
        TrialResult two = ResultJson.read(merged).trials().get(0);
        assertThat(two.id()).isEqualTo(one.id());
        assertThat(two.load().shape()).isEqualTo("spike");
        assertThat(two.counts().sent()).isEqualTo(2 * one.counts().sent());
        assertThat(two.timeline()).hasSameSizeAs(one.timeline());
        for (int k = 0; k < one.timeline().size(); k++) {
            TrialResult.Interval x = one.timeline().get(k);
            TrialResult.Interval y = two.timeline().get(k);
            assertThat(y.completed()).as("second %d", k).isEqualTo(2 * x.completed());
            assertThat(y.started()).as("second %d", k).isEqualTo(2 * x.started());
            if (x.latencies() != null && x.latencies().containsKey("e2e")) {
                assertThat(dev.llmharness.runtime.metrics.Histograms.decode(
                                        y.latencies().get("e2e"))
                                .getTotalCount())
                        .as("second %d's e2e histogram", k)
                        .isEqualTo(2
                                * dev.llmharness.runtime.metrics.Histograms.decode(
                                                x.latencies().get("e2e"))
                                        .getTotalCount());
            }
        }
        assertThat(b.result().load().description()).isEqualTo(one.load().description());
    }

    @Test
    void burstyArrivalsKeepTheirRateAndSchedule() throws IOException {
        OpenLoopModel bursty = new OpenLoopModel(Arrival.POISSON, 40, 0, 0.25);
        Run run = run("bursty", bursty, Phase.ofDuration(Duration.ofSeconds(3)));
        assertIntendedStartsFollow(run, ArrivalSchedule.of(bursty, 1));
        assertThat(run.result().load().burstiness()).isEqualTo(0.25);
        assertThat(run.result().load().description()).isEqualTo("open GAMMA(burstiness 0.25) 40 req/s");
    }

    @Test
    void aTraceIsReplayedAtItsRecordedInstantsTimesTheSpeedUp() throws IOException {
        StringBuilder jsonl = new StringBuilder();
        long[] ms = {0, 0, 120, 400, 410, 900, 1500, 1510, 1520, 2600};
        for (long t : ms) {
            jsonl.append("{\"timestamp\": ").append(t).append(", \"input_length\": 64, \"output_length\": 4}\n");
        }
        Path trace = dir.resolve("trace.jsonl");
        Files.writeString(trace, jsonl);
        TraceLoadModel model = new TraceLoadModel(trace.toString(), 2, 0);
        Run run = run("trace", model);
        List<long[]> rows = run.intendedStarts();
        assertThat(rows).hasSize(ms.length);
        for (long[] r : rows) {
            assertThat(r[1])
                    .as("request %d", r[0])
                    .isCloseTo(ms[(int) r[0]] * 1_000_000L / 2, org.assertj.core.data.Offset.offset(20_000L));
        }
        assertThat(run.result().load().shape()).isEqualTo("trace");
        assertThat(run.result().counts().completed()).isEqualTo(ms.length);
    }

    @Test
    void aTraceReplayedWithItsLengthsSendsEachRowsInputAndAsksForItsOutput() throws IOException {
        StringBuilder jsonl = new StringBuilder();
        long[] ms = {0, 100, 200, 300, 400, 500};
        int[] input = {40, 12, 90, 7, 33, 64};
        int[] output = {3, 5, 2, 6, 4, 1};
        for (int i = 0; i < ms.length; i++) {
            jsonl.append("{\"timestamp\": ")
                    .append(ms[i])
                    .append(", \"input_length\": ")
                    .append(input[i])
                    .append(", \"output_length\": ")
                    .append(output[i])
                    .append("}\n");
        }
        Path trace = dir.resolve("lengths.jsonl");
        Files.writeString(trace, jsonl);
        TraceLoadModel model = new TraceLoadModel(trace.toString(), 1, 0, true);
        assertThat(model.describe()).endsWith(" with its lengths");
        Run run = run("lengths", model);
        List<CSVRecord> records;
        try (Reader in = Files.newBufferedReader(run.csv())) {
            records = CSVFormat.DEFAULT
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .get()
                    .parse(in)
                    .getRecords();
        }
        assertThat(records).hasSize(ms.length);
        for (CSVRecord r : records) {
            int i = Integer.parseInt(r.get("request_id"));
            assertThat(Integer.parseInt(r.get("intended_input_tokens")))
                    .as("request %d", i)
                    .isEqualTo(input[i]);
            assertThat(Integer.parseInt(r.get("intended_output_tokens")))
                    .as("request %d", i)
                    .isEqualTo(output[i]);
        }
        // The simulator generates exactly what was asked for.
        assertThat(run.result().tokens().output())
                .isEqualTo(java.util.Arrays.stream(output).sum());
    }

    /**
     * Asked for its lengths, a trace with none stops the run before any load with one line naming
     * the file and the fix (it sent the trial's own prompts for every request, and said nothing).
     */
    @Test
    void aTraceWithoutLengthsAskedForThemStopsTheRunWithOneLine() throws IOException {
        Path trace = dir.resolve("times-only.csv");
        Files.writeString(
                trace, "TIMESTAMP\n2023-11-16 18:15:46.6805900\n2023-11-16 18:15:46.7\n2023-11-16 18:15:46.9\n");
        TrialSpec trial = E2e.trial(
                "noLengths",
                new TraceLoadModel(trace.toString(), 1, 0, true),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(5)),
                new ShapeWorkload(
                        ShapePreset.NONE, LengthSpec.fixed(8), LengthSpec.fixed(2), 0, true, "cl100k_base", null),
                SloSpec.NONE,
                1);
        E2e.Outcome o = E2e.llmh(List.of(trial), "run", "--url", sim.baseUrl(), "--progress", "0s");
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.USAGE);
        assertThat(o.err().strip().lines().count()).as(o.toString()).isEqualTo(1);
        assertThat(o.err().strip())
                .startsWith("llmh run: com.example.E2e.noLengths{load=noLengths}: trace file " + trace
                        + " has no request lengths")
                .contains("remove lengths = true");
    }

    /** Rows without lengths take the trial's own prompts, and the run says how many there are. */
    @Test
    void aTraceWithSomeRowsWithoutLengthsIsReplayedWithAWarningThatCountsThem() throws IOException {
        String jsonl = """
                {"timestamp": 0, "input_length": 40, "output_length": 3}
                {"timestamp": 100, "input_length": 12}
                {"timestamp": 200, "input_length": 90, "output_length": 2}
                {"timestamp": 300, "input_length": 0, "output_length": 6}
                """;
        Path trace = dir.resolve("some-lengths.jsonl");
        Files.writeString(trace, jsonl);
        ShapeWorkload shape = new ShapeWorkload(
                ShapePreset.NONE, LengthSpec.fixed(64), LengthSpec.fixed(4), 0, true, "cl100k_base", null);
        TrialSpec trial = E2e.trial(
                "someLengths",
                new TraceLoadModel(trace.toString(), 1, 0, true),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(60)),
                shape,
                SloSpec.NONE,
                1);
        Path csv = dir.resolve("some-lengths.csv");
        E2e.Outcome o = E2e.llmh(
                List.of(trial),
                "run",
                "--url",
                sim.baseUrl(),
                "--output",
                dir.resolve("some-lengths.json").toString(),
                "--csv",
                csv.toString(),
                "--progress",
                "0s");
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.OK);
        assertThat(o.err())
                .contains("llmh: WARNING com.example.E2e.someLengths{load=someLengths}: 2 of the 4 requests of trace"
                        + " file " + trace + " have no lengths");
        List<CSVRecord> records;
        try (Reader in = Files.newBufferedReader(csv)) {
            records = CSVFormat.DEFAULT
                    .builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .get()
                    .parse(in)
                    .getRecords();
        }
        int[] input = {40, 64, 90, 64};
        int[] output = {3, 4, 2, 4};
        assertThat(records).hasSize(4);
        for (CSVRecord r : records) {
            int i = Integer.parseInt(r.get("request_id"));
            assertThat(Integer.parseInt(r.get("intended_input_tokens")))
                    .as("request %d", i)
                    .isEqualTo(input[i]);
            assertThat(Integer.parseInt(r.get("intended_output_tokens")))
                    .as("request %d", i)
                    .isEqualTo(output[i]);
        }
    }

    @Test
    void aMissingTraceStopsTheRunBeforeAnyLoadWithOneLine() {
        TrialSpec trial = E2e.trial(
                "trace",
                new TraceLoadModel(dir.resolve("nowhere.csv").toString(), 1, 0),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(5)),
                new ShapeWorkload(
                        ShapePreset.NONE, LengthSpec.fixed(8), LengthSpec.fixed(2), 0, true, "cl100k_base", null),
                SloSpec.NONE,
                1);
        E2e.Outcome o = E2e.llmh(List.of(trial), "run", "--url", sim.baseUrl(), "--progress", "0s");
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.USAGE);
        assertThat(o.err().strip()).startsWith("llmh run: com.example.E2e.trace{load=trace}: trace file not found: ");
        assertThat(o.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void stagedWorkersSendMoreAsTheirNumberGrows() throws IOException {
        // 1 worker for 2 s, then 4 for 2 s: each request takes about 80 ms (4 tokens).
        StagedClosedLoopModel workers = StagedClosedLoopModel.stages(
                1,
                List.of(
                        new WorkerStage(Duration.ofSeconds(2), 1),
                        new WorkerStage(Duration.ZERO, 4),
                        new WorkerStage(Duration.ofSeconds(2), 4)),
                Duration.ZERO);
        Run run = run("workers", workers);
        List<TrialResult.Interval> timeline = run.result().timeline();
        long early = timeline.get(0).completed();
        long late = timeline.get(3).completed();
        assertThat(early).isPositive();
        assertThat((double) late / early)
                .as("completions with 4 workers over 1")
                .isBetween(3.0, 5.0);
        assertThat(run.result().load().concurrency()).isEqualTo(4);
        assertThat(run.result().window().measurementSeconds()).isCloseTo(4, org.assertj.core.data.Offset.offset(0.3));
    }

    // ---- helpers ------------------------------------------------------------------------------

    private record Run(TrialResult result, Path csv) {
        /** {request index, intended start offset from request 0 in ns}, by index. */
        List<long[]> intendedStarts() throws IOException {
            List<CSVRecord> records;
            try (Reader in = Files.newBufferedReader(csv)) {
                records = CSVFormat.DEFAULT
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .get()
                        .parse(in)
                        .getRecords();
            }
            List<long[]> rows = new ArrayList<>();
            double first = Double.NaN;
            records.sort(Comparator.comparingLong(r -> Long.parseLong(r.get("request_id"))));
            for (CSVRecord r : records) {
                double ms = Double.parseDouble(r.get("intended_start_epoch_ms"));
                if (Double.isNaN(first)) {
                    first = ms;
                }
                rows.add(new long[] {Long.parseLong(r.get("request_id")), Math.round((ms - first) * 1e6)});
            }
            return rows;
        }
    }

    private Run run(String name, LoadModel load) throws IOException {
        return run(name, load, Phase.ofDuration(Duration.ofSeconds(60)));
    }

    private Run run(String name, LoadModel load, Phase measurement) throws IOException {
        ShapeWorkload shape = new ShapeWorkload(
                ShapePreset.NONE, LengthSpec.fixed(64), LengthSpec.fixed(4), 0, true, "cl100k_base", null);
        TrialSpec trial = E2e.trial(name, load, Phase.NONE, measurement, shape, SloSpec.NONE, 1);
        Path result = dir.resolve(name + ".json");
        Path csv = dir.resolve(name + ".csv");
        E2e.Outcome o = E2e.llmh(
                List.of(trial),
                "run",
                "--url",
                sim.baseUrl(),
                "--output",
                result.toString(),
                "--csv",
                csv.toString(),
                "--progress",
                "0s");
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.OK);
        if (Boolean.getBoolean("llmh.debugShapes")) {
            System.out.println(o + "\n" + Files.readString(result).replaceAll("\"histogram\" : \"[^\"]*\"", ""));
        }
        return new Run(ResultJson.read(result).trials().get(0), csv);
    }

    /** Every request's intended start, relative to request 0, is the schedule's instant (CSV: µs precision). */
    private static void assertIntendedStartsFollow(Run run, ArrivalSchedule schedule) throws IOException {
        List<long[]> rows = run.intendedStarts();
        assertThat(rows).isNotEmpty();
        assertThat(rows.get(0)[0]).isZero();
        long origin = schedule.offsetNanos(0);
        dev.llmharness.runtime.load.ScheduleCursor cursor =
                new dev.llmharness.runtime.load.ScheduleCursor(schedule, 0, 1);
        long index = 0;
        long offset = cursor.next();
        for (long[] r : rows) {
            while (index < r[0]) {
                offset = cursor.next();
                index++;
            }
            assertThat(r[1])
                    .as("request %d", r[0])
                    .isCloseTo(offset - origin, org.assertj.core.data.Offset.offset(20_000L));
        }
        // Nothing after the schedule's end, nothing skipped before it.
        assertThat(rows.get(rows.size() - 1)[0]).isEqualTo(rows.size() - 1L);
    }

    /**
     * The rate over time as the load generator issued it: intended starts per second of the trial
     * against the arrivals the profile expects in that second, within 1 (CONSTANT arrivals are
     * deterministic; a boundary can move one request). Then the completions, which also carry the
     * server's and the machine's delays: all complete, and the busiest second of the timeline is
     * the busiest part of the shape (checked loosely: a loaded machine can shift completions by a
     * second or more, so no per-second timing is asserted).
     */
    private static void assertRateOverTimeFollows(Run run, RateProfile profile) throws IOException {
        int seconds = (int) Math.ceil(profile.durationNanos() / 1e9);
        long[] started = new long[seconds];
        for (long[] r : run.intendedStarts()) {
            started[(int) Math.min(seconds - 1, r[1] / 1_000_000_000L)]++;
        }
        for (int k = 0; k < seconds; k++) {
            double expected = profile.arrivalsBy((k + 1) * 1_000_000_000L) - profile.arrivalsBy(k * 1_000_000_000L);
            assertThat((double) started[k])
                    .as("second %d: intended starts vs %.1f expected", k, expected)
                    .isBetween(expected - 1, expected + 1);
        }
        TrialResult r = run.result();
        assertThat(r.counts().completed()).isEqualTo(r.counts().sent());
        long busiest = r.timeline().stream()
                .mapToLong(TrialResult.Interval::completed)
                .max()
                .orElse(0);
        long first = r.timeline().get(0).completed();
        double peak = profile.peakRate();
        double start = profile.rateAt(0);
        assertThat((double) busiest).as("busiest second vs peak rate %s", peak).isGreaterThan(0.5 * peak);
        assertThat((double) first).as("first second vs start rate %s", start).isLessThan(2 * start + 5);
    }
}
