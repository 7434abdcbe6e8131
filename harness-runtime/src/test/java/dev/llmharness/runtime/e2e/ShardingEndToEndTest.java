package dev.llmharness.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.ShapedLoadModel;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.StagedClosedLoopModel;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.load.ArrivalSchedule;
import dev.llmharness.runtime.load.ScheduleCursor;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code llmh run --shard K/N} as a split run is used: two shards run at once (in this JVM, on
 * their own threads) against one simulator ({@code fixed-itl}: 20 ms to the first token, 20 ms per
 * further token), then {@code llmh merge} restores the trial. The merged trial is the whole load:
 * each arrival of the unsharded schedule once, the shape's starts per second, its description; a
 * worker ramp's workers add up to the ramp's.
 */
class ShardingEndToEndTest {
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
    void twoShardsOfASpikeMergeIntoTheUnshardedScheduleAndTheWholeSpike() throws Exception {
        // 10 req/s for 1 s, 60 for 1 s, 10 for 1 s: 80 arrivals, evenly spaced (CONSTANT).
        ShapedLoadModel spike = ShapedLoadModel.spike(
                Arrival.CONSTANT,
                1,
                10,
                60,
                Duration.ofSeconds(1),
                Duration.ZERO,
                Duration.ofSeconds(1),
                Duration.ZERO,
                Duration.ofSeconds(1),
                0);
        TrialSpec trial = trial("spike", spike, Phase.ofDuration(Duration.ofSeconds(60)));
        List<Shard> shards = runShards(trial, 2);

        // The unsharded schedule: its arrivals per second of the trial.
        ScheduleCursor cursor = new ScheduleCursor(ArrivalSchedule.of(spike, 1), 0, 1);
        TreeMap<Integer, Long> perSecond = new TreeMap<>();
        long arrivals = 0;
        for (long offset = cursor.next(); offset != ArrivalSchedule.END; offset = cursor.next()) {
            perSecond.merge((int) (offset / 1_000_000_000L), 1L, Long::sum);
            arrivals++;
        }
        assertThat(arrivals).isEqualTo(80);

        // Each shard: its own arrivals (every other index), and the whole spike as its load.
        TreeSet<Long> union = new TreeSet<>();
        for (Shard s : shards) {
            assertThat(s.file().run().shard()).isEqualTo(s.index() + "/2");
            assertThat(s.trial().load().description()).isEqualTo(spike.describe());
            List<Long> ids = s.requestIds();
            assertThat(ids).as("shard %d's requests", s.index()).allMatch(i -> i % 2 == s.index());
            assertThat(ids).hasSize(40);
            for (long id : ids) {
                assertThat(union.add(id))
                        .as("request %d sent by two shards", id)
                        .isTrue();
            }
        }
        assertThat(union).hasSize(80).first().isEqualTo(0L);
        assertThat(union.last()).isEqualTo(79L);

        TrialResult merged = merge(shards);
        assertThat(merged.counts().sent()).isEqualTo(arrivals);
        assertThat(merged.counts().completed()).isEqualTo(arrivals);
        // The merged timeline's starts per second are the unsharded schedule's, exactly: each shard
        // times its trial from its own start, and the merge adds their seconds.
        for (var e : perSecond.entrySet()) {
            assertThat(second(merged, e.getKey()).started())
                    .as("second %d's starts", e.getKey())
                    .isEqualTo(e.getValue());
        }
        // The spike's seconds (an instant on a boundary can fall either side by a nanosecond).
        assertThat(perSecond.get(0)).isBetween(9L, 11L);
        assertThat(perSecond.get(1)).isBetween(59L, 61L);
        assertThat(perSecond.get(2)).isBetween(9L, 11L);
        // The busiest second of completions is the spike's (a loaded machine moves a completion by
        // a few ms, not by half a second: each request takes about 80 ms).
        assertThat(second(merged, 1).completed()).isGreaterThan(40L);
        assertThat(merged.load().shape()).isEqualTo("spike");
        assertThat(merged.load().rate()).isEqualTo(60.0);
        assertThat(merged.load().description()).isEqualTo(spike.describe());
        assertThat(merged.warnings()).noneMatch(w -> w.contains("different load"));

        // One shard alone is not the trial: compare refuses it, naming the fix.
        E2e.Outcome alone = E2e.compare(
                "--fail-on",
                "never",
                dir.resolve("merged.json").toString(),
                "--",
                dir.resolve("shard-0.json").toString());
        assertThat(alone.exitCode()).as(alone.toString()).isEqualTo(Llmh.USAGE);
        assertThat(alone.err()).contains("shard-0.json is shard 0/2 of a run, a part of its load: merge its 2 shards");
    }

    @Test
    void twoShardsOfAWorkerRampRunTheRampsWorkersBetweenThem() throws Exception {
        // 4 workers over 2 s (worker k from k x 0.5 s), then held for 1 s; a request takes about 80 ms.
        StagedClosedLoopModel ramp = StagedClosedLoopModel.rampUp(4, Duration.ofSeconds(2), Duration.ZERO);
        TrialSpec trial = trial("workers", ramp, Phase.ofDuration(Duration.ofSeconds(3)));
        List<Shard> shards = runShards(trial, 2);

        Set<Integer> all = new TreeSet<>();
        for (Shard s : shards) {
            Set<Integer> workers = s.workers();
            assertThat(workers)
                    .as("shard %d's workers", s.index())
                    .containsExactlyElementsOf(s.index() == 0 ? List.of(0, 2) : List.of(1, 3));
            all.addAll(workers);
            assertThat(s.requestIds())
                    .as("shard %d's request numbers", s.index())
                    .allMatch(i -> i % 2 == s.index());
            assertThat(s.trial().load().concurrency()).isEqualTo(4);
        }
        assertThat(all).containsExactly(0, 1, 2, 3);

        TrialResult merged = merge(shards);
        assertThat(merged.load().shape()).isEqualTo("worker-ramp");
        assertThat(merged.load().concurrency()).isEqualTo(4);
        assertThat(merged.load().description()).isEqualTo(ramp.describe());
        // In flight over time, summed over the shards: 1.5 workers on average in second 0 (worker 0,
        // and worker 1 from 0.5 s: one in each shard), 4 once the ramp is over. Loose bounds, as
        // for the unsharded ramp (LoadShapesEndToEndTest): a loaded machine widens the gaps between
        // a worker's requests.
        assertThat(second(merged, 0).meanInFlight()).isBetween(0.7, 2.1);
        assertThat(second(merged, 2).meanInFlight()).isBetween(2.8, 4.05);
        long sent = shards.stream().mapToLong(s -> s.trial().counts().sent()).sum();
        assertThat(merged.counts().sent()).isEqualTo(sent).isPositive();
    }

    /**
     * A shard whose part is no worker (one worker over two shards) still runs the window and writes
     * a well-formed result with no request, so the merge finds both shards and restores the trial.
     */
    @Test
    void aShardWithNoWorkerWritesAnEmptyResultAndTheMergeIsTheOtherShards() throws Exception {
        TrialSpec trial = trial(
                "one",
                new dev.llmharness.api.spi.ClosedLoopModel(1, Duration.ZERO),
                Phase.ofDuration(Duration.ofSeconds(1)));
        List<Shard> shards = runShards(trial, 2);
        TrialResult empty = shards.get(1).trial();
        assertThat(empty.counts().sent()).isZero();
        assertThat(empty.load().concurrency()).isEqualTo(1);
        assertThat(empty.window().measurementSeconds()).isGreaterThan(0.9);
        assertThat(shards.get(1).requestIds()).isEmpty();
        TrialResult one = shards.get(0).trial();
        assertThat(one.counts().sent()).isPositive();

        TrialResult merged = merge(shards);
        assertThat(merged.counts()).isEqualTo(one.counts());
        assertThat(merged.load()).isEqualTo(one.load());
        assertThat(merged.metrics().get("ttft").count())
                .isEqualTo(one.metrics().get("ttft").count());
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static TrialResult.Interval second(TrialResult t, int second) {
        return t.timeline().stream()
                .filter(i -> i.second() == second)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no second " + second + " in " + t.timeline()));
    }

    /** One shard's result file, its trial and its per-request CSV. */
    private record Shard(int index, RunResult file, Path csv) {
        TrialResult trial() {
            return file.trials().get(0);
        }

        List<CSVRecord> rows() throws IOException {
            try (Reader in = Files.newBufferedReader(csv)) {
                return CSVFormat.DEFAULT
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .get()
                        .parse(in)
                        .getRecords();
            }
        }

        List<Long> requestIds() throws IOException {
            List<Long> ids = new ArrayList<>();
            for (CSVRecord r : rows()) {
                ids.add(Long.parseLong(r.get("request_id")));
            }
            return ids;
        }

        Set<Integer> workers() throws IOException {
            Set<Integer> workers = new TreeSet<>();
            for (CSVRecord r : rows()) {
                workers.add(Integer.parseInt(r.get("worker")));
            }
            return workers;
        }
    }

    private static TrialSpec trial(String name, LoadModel load, Phase measurement) {
        ShapeWorkload shape = new ShapeWorkload(
                ShapePreset.NONE, LengthSpec.fixed(64), LengthSpec.fixed(4), 0, true, "cl100k_base", null);
        return E2e.trial(name, load, Phase.NONE, measurement, shape, SloSpec.NONE, 1);
    }

    /** Runs {@code count} shards of the trial at once, each {@code llmh run --shard K/count}. */
    private List<Shard> runShards(TrialSpec trial, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<E2e.Outcome>> runs = new ArrayList<>();
            for (int k = 0; k < count; k++) {
                String shard = k + "/" + count;
                Path result = dir.resolve("shard-" + k + ".json");
                Path csv = dir.resolve("shard-" + k + ".csv");
                runs.add(pool.submit(() -> E2e.llmh(
                        List.of(trial),
                        "run",
                        "--shard",
                        shard,
                        "--url",
                        sim.baseUrl(),
                        "--output",
                        result.toString(),
                        "--csv",
                        csv.toString(),
                        "--progress",
                        "0s",
                        "--no-report",
                        "--jvm-warmup",
                        "off")));
            }
            List<Shard> shards = new ArrayList<>();
            for (int k = 0; k < count; k++) {
                E2e.Outcome o = runs.get(k).get();
                assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.OK);
                shards.add(new Shard(
                        k, ResultJson.read(dir.resolve("shard-" + k + ".json")), dir.resolve("shard-" + k + ".csv")));
            }
            return shards;
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code llmh merge} of the shards' files into merged.json: its one trial. */
    private TrialResult merge(List<Shard> shards) {
        List<String> args = new ArrayList<>(
                List.of("merge", "-o", dir.resolve("merged.json").toString()));
        for (Shard s : shards) {
            args.add(dir.resolve("shard-" + s.index() + ".json").toString());
        }
        E2e.Outcome o = E2e.llmh(List.of(), args.toArray(String[]::new));
        assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.OK);
        RunResult merged = ResultJson.read(dir.resolve("merged.json"));
        assertThat(merged.run().shard()).isEqualTo("merged " + shards.size() + " shards");
        return merged.trials().get(0);
    }
}
