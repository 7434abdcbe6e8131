package dev.llmharness.runtime.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.api.Api;
import dev.llmharness.api.Arrival;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.ClosedLoopModel;
import dev.llmharness.api.spi.EndpointSpec;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.RateStage;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.ShapedLoadModel;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.StagedClosedLoopModel;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.api.spi.WorkerStage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --shard K/N}: the shards of every load together issue exactly what one machine would have,
 * each arrival once and the workers adding up at every instant; a shard's part of a counted phase;
 * and the text {@code K/N}.
 */
class ShardingTest {
    private static final int ARRIVALS = 100_000;

    private final ExecutorService executor = RequestThreads.newExecutor("shard-requests");

    @AfterEach
    void shutDown() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    /** Every open-loop schedule: a rate of each kind, every shape, and a trace. */
    private static Map<String, ArrivalSchedule> schedules() {
        Map<String, ArrivalSchedule> all = new LinkedHashMap<>();
        all.put("constant", ArrivalSchedule.of(new OpenLoopModel(Arrival.CONSTANT, 3000, 0), 11));
        all.put("poisson", ArrivalSchedule.of(new OpenLoopModel(Arrival.POISSON, 3000, 0), 11));
        all.put("gamma", ArrivalSchedule.of(new OpenLoopModel(Arrival.POISSON, 3000, 0, 0.25), 11));
        all.put(
                "ramp",
                ArrivalSchedule.of(ShapedLoadModel.ramp(Arrival.POISSON, 1, 100, 9000, Duration.ofSeconds(25), 0), 11));
        all.put(
                "stages",
                ArrivalSchedule.of(
                        ShapedLoadModel.stages(
                                Arrival.CONSTANT,
                                1,
                                200,
                                List.of(
                                        new RateStage(Duration.ofSeconds(10), 5000),
                                        new RateStage(Duration.ofSeconds(10), 5000),
                                        new RateStage(Duration.ofSeconds(5), 50)),
                                0),
                        11));
        all.put(
                "step",
                ArrivalSchedule.of(
                        ShapedLoadModel.steps(
                                Arrival.POISSON, 1, 1000, 1500, 4, Duration.ofSeconds(8), Duration.ofSeconds(1), 0),
                        11));
        all.put(
                "spike",
                ArrivalSchedule.of(
                        ShapedLoadModel.spike(
                                Arrival.POISSON,
                                0.5,
                                500,
                                8000,
                                Duration.ofSeconds(5),
                                Duration.ZERO,
                                Duration.ofSeconds(10),
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(5),
                                0),
                        11));
        all.put(
                "soak",
                ArrivalSchedule.of(ShapedLoadModel.soak(Arrival.CONSTANT, 1, 2500, Duration.ofSeconds(50), 0), 11));
        long[] offsets = new long[20_011];
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 1; i < offsets.length; i++) {
            // Bursts of simultaneous arrivals too: equal offsets must stay distinct arrivals.
            offsets[i] = offsets[i - 1] + (r.nextInt(4) == 0 ? 0 : r.nextLong(2_000_000));
        }
        int[] unknown = new int[offsets.length];
        java.util.Arrays.fill(unknown, ArrivalTrace.UNKNOWN);
        all.put("trace", new TraceSchedule(new ArrivalTrace("t.jsonl", offsets, unknown, unknown), 1.5));
        return all;
    }

    /** Index to offset of the first {@code ARRIVALS} arrivals (fewer when the schedule ends) of one shard. */
    private static TreeMap<Long, Long> walk(ArrivalSchedule schedule, int shard, int shards) {
        ScheduleCursor cursor = new ScheduleCursor(schedule, shard, shards);
        TreeMap<Long, Long> offsets = new TreeMap<>();
        long offset;
        while ((offset = cursor.next()) != ArrivalSchedule.END && cursor.index() < ARRIVALS) {
            offsets.put(cursor.index(), offset);
        }
        return offsets;
    }

    @Test
    void theShardsOfEveryOpenLoopIssueExactlyTheUnshardedScheduleEachArrivalOnce() {
        for (Map.Entry<String, ArrivalSchedule> e : schedules().entrySet()) {
            TreeMap<Long, Long> whole = walk(e.getValue(), 0, 1);
            assertThat(whole.size()).as(e.getKey()).isGreaterThan(20_000);
            for (int shards : new int[] {2, 3, 7}) {
                TreeMap<Long, Long> union = new TreeMap<>();
                for (int k = 0; k < shards; k++) {
                    Shard shard = new Shard(k, shards);
                    TreeMap<Long, Long> part = walk(e.getValue(), k, shards);
                    assertThat(part.keySet())
                            .as("%s, shard %s: its own indices", e.getKey(), shard)
                            .allMatch(i -> i % shards == shard.index());
                    assertThat((long) part.size())
                            .as("%s, shard %s: its share", e.getKey(), shard)
                            .isEqualTo(shard.shareOf(whole.size()));
                    for (Map.Entry<Long, Long> a : part.entrySet()) {
                        assertThat(union.put(a.getKey(), a.getValue()))
                                .as("%s: arrival %d issued twice", e.getKey(), a.getKey())
                                .isNull();
                    }
                }
                assertThat(union).as("%s over %d shards", e.getKey(), shards).isEqualTo(whole);
            }
        }
    }

    @Test
    void theShardsWorkersAddUpToThePlansAtEveryInstantOfARampAndOfStages() {
        List<WorkerPlan> plans = List.of(
                WorkerPlan.of(StagedClosedLoopModel.rampUp(13, Duration.ofSeconds(4), Duration.ZERO)),
                WorkerPlan.of(StagedClosedLoopModel.stages(
                        3,
                        List.of(
                                new WorkerStage(Duration.ofSeconds(2), 3),
                                new WorkerStage(Duration.ofSeconds(1), 11),
                                new WorkerStage(Duration.ofSeconds(2), 11),
                                new WorkerStage(Duration.ofSeconds(2), 1),
                                new WorkerStage(Duration.ZERO, 6),
                                new WorkerStage(Duration.ofSeconds(1), 6)),
                        Duration.ZERO)),
                WorkerPlan.staggered(9, Duration.ofMillis(700), 3));
        for (WorkerPlan plan : plans) {
            for (int shards : new int[] {1, 2, 4, 5, 20}) {
                int peak = 0;
                // Every 10 ms, off the stages' round instants (where a worker's start and the
                // target's crossing of its number coincide to the nanosecond).
                for (long t = 3_333_337L; t < 8_000_000_000L; t += 10_000_000L) {
                    int sum = 0;
                    for (int k = 0; k < shards; k++) {
                        sum += runningWorkers(plan, new Shard(k, shards), t);
                    }
                    assertThat(sum)
                            .as("%s over %d shards at %d ms", plan, shards, t / 1_000_000)
                            .isEqualTo(runningWorkers(plan, Shard.WHOLE, t))
                            .isEqualTo(plan.workersAt(t));
                    peak = Math.max(peak, sum);
                }
                assertThat(peak).as("%s: the walk saw the peak", plan).isEqualTo(plan.peakWorkers());
            }
        }
    }

    /**
     * The workers of one shard that run at offset {@code t}, as {@link ClosedLoopDriver} runs them:
     * its workers ({@code k = index, index + count, ...} below the peak), each from the plan's start
     * for it up to its stop.
     */
    private static int runningWorkers(WorkerPlan plan, Shard shard, long t) {
        int running = 0;
        int mine = 0;
        for (int k = shard.index(); k < plan.peakWorkers(); k += shard.count()) {
            mine++;
            long start = plan.nextStart(k, 0);
            while (start != ArrivalSchedule.END && start <= t) {
                long stop = plan.nextStop(k, start);
                if (t < stop) {
                    running++;
                    break;
                }
                start = plan.nextStart(k, stop);
            }
        }
        assertThat(mine).isEqualTo(shard.workersOf(plan.peakWorkers()));
        return running;
    }

    @Test
    void anOpenLoopShardIssuesItsArrivalsAtTheUnshardedInstants() throws Exception {
        OpenLoopModel model = new OpenLoopModel(Arrival.POISSON, 500, 0);
        long start = System.nanoTime() + 5_000_000;
        Window window = new Window(start, Phase.NONE, Phase.ofDuration(Duration.ofMillis(200)));
        ConcurrentLinkedQueue<long[]> seen = new ConcurrentLinkedQueue<>();
        LoadDriver driver = LoadDriver.of(
                model,
                null,
                new Shard(1, 3),
                9,
                start,
                window,
                executor,
                t -> seen.add(new long[] {t.index(), t.intendedStart() - start}));
        driver.start();
        assertThat(driver.awaitIssuingEnded(TimeUnit.SECONDS.toNanos(10))).isTrue();
        Thread.sleep(50);
        ArrivalSchedule schedule = ArrivalSchedule.of(model, 9);
        TreeMap<Long, Long> expected = new TreeMap<>();
        ScheduleCursor whole = new ScheduleCursor(schedule, 0, 1);
        for (long offset = whole.next(); offset < 200_000_000L; offset = whole.next()) {
            if (whole.index() % 3 == 1) {
                expected.put(whole.index(), offset);
            }
        }
        TreeMap<Long, Long> issued = new TreeMap<>();
        seen.forEach(r -> issued.put(r[0], r[1]));
        assertThat(expected).hasSizeGreaterThan(10);
        assertThat(issued).isEqualTo(expected);
    }

    /**
     * Shard 1 of 2 of five workers runs workers 1 and 3 and numbers its requests 1, 3, 5...: a
     * window of 12 requests (counted, so that a busy machine's late threads change nothing) is
     * requests 1 to 23. Each request waits until both workers have started, so both take part.
     */
    @Test
    void aClosedLoopShardRunsItsWorkersAndNumbersItsRequestsApartFromTheOthers() throws Exception {
        long start = System.nanoTime();
        Window window = new Window(start, Phase.NONE, Phase.ofRequests(12));
        Set<Integer> workers = new java.util.concurrent.ConcurrentSkipListSet<>();
        Set<Long> indices = new java.util.concurrent.ConcurrentSkipListSet<>();
        java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
        LoadDriver driver = LoadDriver.of(
                new ClosedLoopModel(5, Duration.ZERO), null, new Shard(1, 2), 1, start, window, executor, t -> {
                    if (workers.add(t.worker())) {
                        both.countDown();
                    }
                    indices.add(t.index());
                    try {
                        both.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        driver.start();
        assertThat(driver.awaitIssuingEnded(TimeUnit.SECONDS.toNanos(20))).isTrue();
        assertThat(workers).containsExactly(1, 3);
        assertThat(indices)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(0, 11)
                        .map(n -> 1 + 2 * n)
                        .boxed()
                        .toList());
    }

    @Test
    void aShardWithNoWorkerIssuesNothingAndEndsAtOnce() throws Exception {
        long start = System.nanoTime();
        Window window = new Window(start, Phase.NONE, Phase.ofDuration(Duration.ofSeconds(30)));
        LoadDriver driver = LoadDriver.of(
                new ClosedLoopModel(2, Duration.ZERO), null, new Shard(3, 4), 1, start, window, executor, t -> {
                    throw new AssertionError("shard 3/4 of 2 workers has none");
                });
        driver.start();
        assertThat(driver.awaitIssuingEnded(TimeUnit.SECONDS.toNanos(1))).isTrue();
        assertThat(driver.issued()).isZero();
    }

    @Test
    void sharesOfAnyTotalAddUpToIt() {
        for (int shards = 1; shards <= 9; shards++) {
            for (long total = 0; total <= 40; total++) {
                long sum = 0;
                for (int k = 0; k < shards; k++) {
                    long share = new Shard(k, shards).shareOf(total);
                    assertThat(share).isBetween(total / shards, total / shards + 1);
                    sum += share;
                }
                assertThat(sum).as("%d over %d shards", total, shards).isEqualTo(total);
            }
        }
        assertThat(new Shard(2, 4).shareOf(2)).isZero();
        assertThat(new Shard(2, 4).shareOf(3)).isOne();
    }

    @Test
    void aShardCountsItsPartOfAPhaseCountedInRequests() {
        TrialSpec counted = trial(Phase.ofRequests(10), Phase.ofRequests(21));
        long warm = 0;
        long measured = 0;
        for (int k = 0; k < 4; k++) {
            TrialSpec s = new Shard(k, 4).apply(counted);
            // Global warmup requests 0..9, window 10..30: shard k's are those ≡ k (mod 4).
            assertThat(s.warmup().requests()).as("shard %d's warmup", k).isEqualTo(countOf(0, 10, k, 4));
            assertThat(s.measurement().requests()).as("shard %d's window", k).isEqualTo(countOf(10, 31, k, 4));
            assertThat(s.load()).isEqualTo(counted.load());
            assertThat(s.seed()).isEqualTo(counted.seed());
            warm += s.warmup().requests();
            measured += s.measurement().requests();
        }
        assertThat(warm).isEqualTo(10);
        assertThat(measured).isEqualTo(21);

        TrialSpec timed = trial(Phase.ofDuration(Duration.ofSeconds(5)), Phase.ofDuration(Duration.ofSeconds(60)));
        assertThat(new Shard(3, 4).apply(timed)).isEqualTo(timed);
        assertThat(Shard.WHOLE.apply(counted)).isEqualTo(counted);
        // 2 warmup requests over 4 shards: shards 2 and 3 have none, and measure from their first.
        assertThat(new Shard(3, 4)
                        .apply(trial(Phase.ofRequests(2), Phase.ofRequests(8)))
                        .warmup())
                .isEqualTo(Phase.NONE);
    }

    private static long countOf(long from, long to, int k, int n) {
        return java.util.stream.LongStream.range(from, to)
                .filter(i -> i % n == k)
                .count();
    }

    @Test
    void aCountedWindowWithNoRequestForAShardIsRefusedNamingTheTrial() {
        TrialSpec few = trial(Phase.NONE, Phase.ofRequests(3));
        assertThat(new Shard(2, 4).apply(few).measurement().requests()).isOne();
        assertThatThrownBy(() -> new Shard(3, 4).apply(few))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("com.example.Bench.chat: its window counts 3 requests, none of which is shard 3/4's (each"
                        + " shard takes one request in 4): count at least 4 in @Measurement(requests), give a"
                        + " --duration, or run fewer shards");
    }

    private static TrialSpec trial(Phase warmup, Phase measurement) {
        return new TrialSpec(
                "com.example.Bench.chat",
                Map.of(),
                new OpenLoopModel(Arrival.POISSON, 10, 0),
                warmup,
                measurement,
                Duration.ofSeconds(5),
                ShapeWorkload.of(ShapePreset.CHAT, "cl100k_base"),
                new EndpointSpec(Api.OPENAI_CHAT, "", "", "LLMH_TEST_KEY_UNSET"),
                SloSpec.NONE,
                42);
    }

    @Test
    void theTextKOverNIsOneShardOfARunOrSaysWhatToWrite() {
        assertThat(Shard.parse("1/4")).isEqualTo(new Shard(1, 4));
        assertThat(Shard.parse(" 0 / 1 ")).isEqualTo(Shard.WHOLE);
        assertThat(new Shard(3, 8)).hasToString("3/8");
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("1/1", "K counts shards from 0, so it must be 0 to 0 for 1 shard, got 1 (the last is 0/1)");
        bad.put("4/4", "K counts shards from 0, so it must be 0 to 3 for 4 shards, got 4 (the last is 3/4)");
        bad.put("-1/2", "K counts shards from 0, so it must be 0 to 1 for 2 shards, got -1");
        bad.put(
                "0/0",
                "N, the number of shards, must be 1 to 10000 (Shard.MAX_COUNT), got 0; e.g. 0/4 to 3/4 for"
                        + " four shards");
        bad.put("0/99999999999", "write K/N, shard K (from 0) of N, e.g. 0/4 to 3/4 for four shards");
        for (String text : List.of("a/b", "3", "", "1/", "/4", "1/4/2", "1.5/4")) {
            bad.put(text, "write K/N, shard K (from 0) of N, e.g. 0/4 to 3/4 for four shards");
        }
        for (Map.Entry<String, String> e : bad.entrySet()) {
            assertThatThrownBy(() -> Shard.parse(e.getKey()))
                    .as(e.getKey())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(e.getValue());
        }
        assertThat(Shard.fromLabel("merged 4 shards")).isNull();
        assertThat(Shard.fromLabel(null)).isNull();
        assertThat(Shard.fromLabel("2/4")).isEqualTo(new Shard(2, 4));
        List<String> all = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            all.add(new Shard(k, 3).toString());
        }
        assertThat(all).containsExactly("0/3", "1/3", "2/3");
    }
}
