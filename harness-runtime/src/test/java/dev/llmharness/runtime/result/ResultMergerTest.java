package dev.llmharness.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmharness.runtime.metrics.Histograms;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ResultMergerTest {
    @TempDir
    Path dir;

    /** Two shards fed alternate requests of one stream, and a whole that saw them all. */
    private static TrialResult[] shardsAndWhole(long seed) {
        Random random = new Random(seed);
        SyntheticResults.TrialBuilder a = new SyntheticResults.TrialBuilder("Chat.chat[rate=4]", 30);
        SyntheticResults.TrialBuilder b = new SyntheticResults.TrialBuilder("Chat.chat[rate=4]", 30);
        SyntheticResults.TrialBuilder all = new SyntheticResults.TrialBuilder("Chat.chat[rate=4]", 30);
        for (int i = 0; i < 3000; i++) {
            int second = i / 100;
            SyntheticResults.TrialBuilder shard = i % 2 == 0 ? a : b;
            if (i % 97 == 0) {
                shard.failure(second, i % 2 == 0 ? "timeout" : "http_5xx");
                all.failure(second, i % 2 == 0 ? "timeout" : "http_5xx");
                continue;
            }
            long ttft = (long) (150e6 * Math.exp(0.5 * random.nextGaussian()));
            long[] gaps = new long[5 + random.nextInt(20)];
            for (int g = 0; g < gaps.length; g++) {
                gaps[g] = (long) (15e6 * Math.exp(0.4 * random.nextGaussian()));
            }
            long lag = 10_000 + random.nextInt(50_000);
            shard.request(second, ttft, lag, gaps, 100 + i % 7);
            all.request(second, ttft, lag, gaps, 100 + i % 7);
        }
        return new TrialResult[] {a.build(7), b.build(7), all.build(7)};
    }

    private static RunResult runOf(TrialResult t, String shard) {
        return new RunResult(
                RunResult.SCHEMA_VERSION,
                SyntheticResults.runInfo(shard),
                SyntheticResults.target(),
                List.of(t),
                false);
    }

    @Test
    void mergingTwoShardsGivesExactlyTheHistogramsOfAllSamplesAndCountsAdd() {
        TrialResult[] parts = shardsAndWhole(1);
        RunResult merged = ResultMerger.merge(
                List.of(runOf(parts[0], "0/2"), runOf(parts[1], "1/2")),
                List.of("a.json", "b.json"),
                ResultMerger.Mode.SHARDS);

        TrialResult m = merged.trials().get(0);
        TrialResult whole = parts[2];
        for (String name : whole.metrics().keySet()) {
            Histogram expected = whole.metrics().get(name).decodeHistogram();
            Histogram actual = m.metrics().get(name).decodeHistogram();
            assertThat(actual).as(name).isEqualTo(expected);
            assertThat(m.metrics().get(name)).as(name).isEqualTo(whole.metrics().get(name));
        }
        assertThat(m.counts()).isEqualTo(whole.counts());
        assertThat(m.counts().failures()).containsEntry("timeout", 16L).containsEntry("http_5xx", 15L);
        assertThat(m.tokens()).isEqualTo(whole.tokens());
        assertThat(m.errorRate()).isEqualTo(whole.errorRate());
        assertThat(m.timeline()).isEqualTo(whole.timeline());
        assertThat(m.throughput().requestsPerSecond())
                .isCloseTo(whole.throughput().requestsPerSecond(), within(1e-9));
        assertThat(m.throughput().outputTokensPerSecond())
                .isCloseTo(whole.throughput().outputTokensPerSecond(), within(1e-9));
        assertThat(m.window().measurementSeconds()).isEqualTo(30);
    }

    @Test
    void failureMessagesMergeByTextStayBoundedAndLoseNoFailure() {
        SyntheticResults.TrialBuilder a = new SyntheticResults.TrialBuilder("Chat.chat[rate=4]", 10);
        SyntheticResults.TrialBuilder b = new SyntheticResults.TrialBuilder("Chat.chat[rate=4]", 10);
        // Messages m0..m7 in a (m0 three times), m4..m11 in b: 12 distinct, m4..m7 in both.
        for (int i = 0; i < 8; i++) {
            a.failure(0, "protocol", "bad event m" + (char) ('a' + i));
            b.failure(0, "protocol", "bad event m" + (char) ('a' + i + 4));
        }
        a.failure(0, "protocol", "bad event ma");
        a.failure(0, "protocol", "bad event ma");
        a.failure(0, "timeout", "no content within the first-token timeout of PT5M");
        TrialResult oldFormat =
                withoutFailureMessages(b.failure(1, "timeout", "gone").build(7));

        RunResult merged = ResultMerger.merge(
                List.of(runOf(a.build(7), "0/3"), runOf(b.build(7), "1/3"), runOf(oldFormat, "2/3")),
                List.of("a.json", "b.json", "c.json"),
                ResultMerger.Mode.SHARDS);

        TrialResult.Counts c = merged.trials().get(0).counts();
        TrialResult.FailureMessages protocol = c.failureMessages().get("protocol");
        assertThat(protocol.messages()).hasSize(10);
        assertThat(protocol.messages().get(0).message()).isEqualTo("bad event ma");
        assertThat(protocol.messages().get(0).count()).isEqualTo(3);
        assertThat(protocol.messages())
                .filteredOn(m -> m.message().equals("bad event mf"))
                .singleElement()
                .satisfies(m -> assertThat(m.count()).as("in a and b").isEqualTo(2));
        assertThat(c.failures().get("protocol")).isEqualTo(10 + 8 + 8);
        assertThat(protocol.messages().stream()
                                .mapToLong(TrialResult.FailureMessage::count)
                                .sum()
                        + protocol.others())
                .isEqualTo(c.failures().get("protocol"));
        // c.json predates failure messages: its failures are counted, under others.
        TrialResult.FailureMessages timeout = c.failureMessages().get("timeout");
        assertThat(c.failures().get("timeout")).isEqualTo(1 + 1 + 1);
        assertThat(timeout.messages())
                .extracting(TrialResult.FailureMessage::message, TrialResult.FailureMessage::count)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("no content within the first-token timeout of PT5M", 1L),
                        org.assertj.core.groups.Tuple.tuple("gone", 1L));
        assertThat(timeout.others()).isEqualTo(1);
    }

    @Test
    void perSourceTokenTotalsAddOverTheInputsThatHaveThem() {
        TrialResult[] parts = shardsAndWhole(3);
        TrialResult old = parts[1];
        TrialResult.Tokens k = old.tokens();
        TrialResult oldFormat = new TrialResult(
                old.id(),
                old.benchmark(),
                old.params(),
                old.api(),
                old.load(),
                old.workload(),
                old.seed(),
                old.window(),
                old.counts(),
                new TrialResult.Tokens(k.input(), k.output(), k.requestedOutput(), k.source()),
                old.throughput(),
                old.errorRate(),
                old.metrics(),
                old.slo(),
                old.timeline(),
                old.warnings());
        TrialResult.Tokens merged = ResultMerger.merge(
                        List.of(runOf(parts[0], "0/2"), runOf(oldFormat, "1/2")),
                        List.of("a.json", "b.json"),
                        ResultMerger.Mode.SHARDS)
                .trials()
                .get(0)
                .tokens();
        assertThat(merged.input()).isEqualTo(parts[2].tokens().input());
        assertThat(merged.serverInput()).isEqualTo(parts[0].tokens().serverInput());
        assertThat(merged.serverOutput()).isEqualTo(parts[0].tokens().serverOutput());
        assertThat(merged.countedOutput()).as("no input has it").isNull();
    }

    private static TrialResult withoutFailureMessages(TrialResult t) {
        TrialResult.Counts c = t.counts();
        return new TrialResult(
                t.id(),
                t.benchmark(),
                t.params(),
                t.api(),
                t.load(),
                t.workload(),
                t.seed(),
                t.window(),
                new TrialResult.Counts(
                        c.sent(), c.completed(), c.failed(), c.cancelled(), c.failures(), c.delayedStarts()),
                t.tokens(),
                t.throughput(),
                t.errorRate(),
                t.metrics(),
                t.slo(),
                t.timeline(),
                t.warnings());
    }

    @Test
    void aResultFileWrittenBeforeFailureMessagesAndTokenSourcesStillLoadsAndMerges() {
        // The repository's baseline as recorded before those fields existed, kept as it was.
        Path baseline = Path.of("src/test/resources/result/written-before-failure-messages.json");
        RunResult old = ResultJson.read(baseline);
        TrialResult t = old.trials().get(0);
        assertThat(t.counts().failureMessages()).isEmpty();
        assertThat(t.tokens().serverInput()).isNull();
        assertThat(t.tokens().input()).isPositive();
        RunResult merged = ResultMerger.merge(List.of(old, old), List.of("a.json", "b.json"), ResultMerger.Mode.RUNS);
        assertThat(merged.trials().get(0).counts().sent())
                .isEqualTo(2 * t.counts().sent());
        assertThat(merged.trials().get(0).tokens().serverInput()).isNull();
    }

    @Test
    void repeatedRunsGiveTotalsOverTheSummedWindowAndConcatenatedTimelines() {
        TrialResult short10 =
                SyntheticResults.trial(SyntheticResults.Spec.of("T").rate(20, 10), 1);
        TrialResult long30 =
                SyntheticResults.trial(SyntheticResults.Spec.of("T").rate(40, 30), 2);
        RunResult merged = ResultMerger.merge(
                List.of(runOf(short10, "0/1"), runOf(long30, "0/1")),
                List.of("r1.json", "r2.json"),
                ResultMerger.Mode.RUNS);

        TrialResult m = merged.trials().get(0);
        assertThat(m.window().measurementSeconds()).isEqualTo(40);
        double expected = (short10.counts().completed() + long30.counts().completed()) / 40.0;
        assertThat(m.throughput().requestsPerSecond()).isCloseTo(expected, within(1e-9));
        assertThat(m.timeline()).hasSize(40);
        assertThat(m.timeline().get(10).second()).isEqualTo(10);
        assertThat(m.timeline().get(10).completed())
                .isEqualTo(long30.timeline().get(0).completed());
        assertThat(merged.merge().mode()).isEqualTo("runs");
        assertThat(merged.merge().inputs()).extracting(MergeInfo.Input::file).containsExactly("r1.json", "r2.json");
    }

    @Test
    void theHarnessThreadsFiguresAddUpAndAnInputWithoutOneLeavesTheMergeWithout() {
        TrialResult[] parts = shardsAndWhole(5);
        // Two JVMs: 60 ms of wait over 30 s, and 30.2 ms over 30.2 s.
        TrialResult a = parts[0].withHarnessThreads(
                TrialResult.HarnessThreads.of(30_000_000_000L, 2_000_000_000L, 60_000_000L, 20_000));
        TrialResult b = parts[1].withHarnessThreads(
                TrialResult.HarnessThreads.of(30_200_000_000L, 1_000_000_000L, 30_200_000L, 10_000));

        // Shards ran at once: their threads add over the one window, the longest of theirs.
        TrialResult.HarnessThreads shards = ResultMerger.merge(
                        List.of(runOf(a, "0/2"), runOf(b, "1/2")),
                        List.of("a.json", "b.json"),
                        ResultMerger.Mode.SHARDS)
                .trials()
                .get(0)
                .window()
                .harnessThreads();
        assertThat(shards.seconds()).isEqualTo(30.2);
        assertThat(shards.onCpuMs()).isEqualTo(3_000.0);
        assertThat(shards.runQueueWaitMs()).isEqualTo(90.2);
        assertThat(shards.timeslices()).isEqualTo(30_000);
        assertThat(shards.runQueueWaitShare()).isCloseTo(90.2 / 30_200, within(1e-6));

        // Runs followed one another: everything adds, the span too.
        TrialResult.HarnessThreads runs = ResultMerger.merge(
                        List.of(runOf(a, "0/1"), runOf(b, "0/1")),
                        List.of("r1.json", "r2.json"),
                        ResultMerger.Mode.RUNS)
                .trials()
                .get(0)
                .window()
                .harnessThreads();
        assertThat(runs.seconds()).isEqualTo(60.2);
        assertThat(runs.onCpuMs()).isEqualTo(3_000.0);
        assertThat(runs.runQueueWaitMs()).isEqualTo(90.2);
        assertThat(runs.timeslices()).isEqualTo(30_000);
        assertThat(runs.runQueueWaitShare()).isCloseTo(90.2 / 60_200, within(1e-6));
        // The mean wait per time on a CPU is the same whichever way: the sums' ratio.
        assertThat(runs.meanWaitMs()).isEqualTo(shards.meanWaitMs()).isCloseTo(90.2 / 30_000, within(1e-12));

        // An input without the figure (a macOS shard, an older file): a sum missing it would pass
        // for the whole, so there is none.
        for (ResultMerger.Mode mode : ResultMerger.Mode.values()) {
            boolean split = mode == ResultMerger.Mode.SHARDS;
            RunResult merged = ResultMerger.merge(
                    List.of(runOf(a, split ? "0/2" : "0/1"), runOf(parts[1], split ? "1/2" : "0/1")),
                    List.of("a.json", "b.json"),
                    mode);
            assertThat(merged.trials().get(0).window().harnessThreads())
                    .as(mode.json())
                    .isNull();
        }
    }

    @Test
    void sloVerdictsAreReevaluatedOnTheMergedDistribution() {
        Random random = new Random(3);
        SyntheticResults.TrialBuilder fast = new SyntheticResults.TrialBuilder("T", 10);
        SyntheticResults.TrialBuilder slow = new SyntheticResults.TrialBuilder("T", 10);
        for (int i = 0; i < 1000; i++) {
            fast.request(i / 100, 100_000_000L + random.nextInt(1_000_000), 1000, new long[] {1_000_000}, 10);
            slow.request(i / 100, 3_000_000_000L + random.nextInt(1_000_000), 1000, new long[] {1_000_000}, 10);
        }
        TrialResult.SloVerdict objective =
                new TrialResult.SloVerdict("ttft p99 <= 2s", 2000, 101.0, true, "ttft", 99.0);
        TrialResult.SloVerdict errors =
                new TrialResult.SloVerdict("errorRate <= 0.01", 0.01, 0.0, true, "errorRate", null);
        fast.slo(objective).slo(errors);
        slow.slo(new TrialResult.SloVerdict("ttft p99 <= 2s", 2000, 3001.0, false, "ttft", 99.0))
                .slo(errors);

        RunResult merged = ResultMerger.merge(
                List.of(runOf(fast.build(1), "0/2"), runOf(slow.build(1), "1/2")),
                List.of("fast", "slow"),
                ResultMerger.Mode.SHARDS);

        List<TrialResult.SloVerdict> slo = merged.trials().get(0).slo();
        assertThat(slo).hasSize(2);
        assertThat(slo.get(0).objective()).isEqualTo("ttft p99 <= 2s");
        assertThat(slo.get(0).actual()).isGreaterThan(3000.0);
        assertThat(slo.get(0).passed()).isFalse();
        assertThat(slo.get(1).actual()).isEqualTo(0.0);
        assertThat(slo.get(1).passed()).isTrue();
    }

    @Test
    void filesOfDifferentTrialsAreRejectedNamingBothFiles() {
        RunResult a = SyntheticResults.run(1, SyntheticResults.Spec.of("A").rate(5, 10));
        RunResult b = SyntheticResults.run(2, SyntheticResults.Spec.of("B").rate(5, 10));
        assertThatThrownBy(
                        () -> ResultMerger.merge(List.of(a, b), List.of("a.json", "b.json"), ResultMerger.Mode.SHARDS))
                .isInstanceOf(MergeException.class)
                .hasMessageContaining("trial A is in a.json but not in b.json")
                .hasMessageContaining("same benchmarks and parameters");
    }

    @Test
    void histogramsWithOtherSettingsAreRejectedRatherThanAddedInexactly() {
        TrialResult t = SyntheticResults.trial(SyntheticResults.Spec.of("T").rate(5, 10), 1);
        Histogram coarse = new Histogram(1000, Histograms.LATENCY_HIGHEST_NANOS, 2);
        coarse.recordValue(5_000_000);
        java.util.Map<String, MetricResult> metrics = new java.util.LinkedHashMap<>(t.metrics());
        metrics.put("ttft", MetricResult.ofLatency(coarse));
        TrialResult other = SyntheticResults.edit(t).metrics(metrics).build();
        assertThatThrownBy(() -> ResultMerger.merge(
                        List.of(runOf(t, "0/2"), runOf(other, "1/2")),
                        List.of("a.json", "b.json"),
                        ResultMerger.Mode.SHARDS))
                .isInstanceOf(MergeException.class)
                .hasMessageContaining("b.json")
                .hasMessageContaining("identical settings");
    }

    private static TrialResult withLoad(TrialResult t, TrialResult.LoadInfo load) {
        return SyntheticResults.edit(t).load(load).build();
    }

    /**
     * Inputs of one trial id that ran different shapes merge with a warning that names each load
     * as {@code llmh list} does, not a dump of the record (which gave a shape's peak rate alone).
     */
    @Test
    void inputsThatRanDifferentShapesAreNamedByTheirDescriptions() {
        TrialResult[] parts = shardsAndWhole(7);
        TrialResult.LoadInfo spike = new TrialResult.LoadInfo(
                "open",
                "CONSTANT",
                20.0,
                0,
                null,
                null,
                "spike",
                1.0,
                "spike CONSTANT 1 → 1 over 1s ⇒ 20 → 20 over 1s ⇒ 1 → 1 over 1s req/s");
        TrialResult.LoadInfo ramp = new TrialResult.LoadInfo(
                "open", "CONSTANT", 20.0, 0, null, null, "ramp", 1.0, "ramp CONSTANT 0 → 20 over 3s req/s");
        // Two machines that each ran a load of their own (no --shard): each records its own load.
        RunResult a = runOf(withLoad(parts[0], spike), "0/1");
        RunResult b = runOf(withLoad(parts[1], ramp), "0/1");

        TrialResult runs = ResultMerger.merge(List.of(a, b), List.of("a.json", "b.json"), ResultMerger.Mode.RUNS)
                .trials()
                .get(0);
        assertThat(runs.warnings())
                .contains("merged runs differ in load: " + spike.description() + " (a.json) vs " + ramp.description()
                        + " (b.json); the first is kept");
        assertThat(runs.load()).isEqualTo(spike);

        TrialResult shards = ResultMerger.merge(List.of(a, b), List.of("a.json", "b.json"), ResultMerger.Mode.SHARDS)
                .trials()
                .get(0);
        assertThat(shards.warnings())
                .contains("merged shards run different load models: " + spike.description() + " (a.json) vs "
                        + ramp.description() + " (b.json); the first shard's is kept");
        assertThat(shards.load()).isEqualTo(spike);
        assertThat(String.join("\n", runs.warnings()) + String.join("\n", shards.warnings()))
                .doesNotContain("LoadInfo[");

        // A file written before descriptions: the shape's name stays in the words, beside its peak.
        TrialResult.LoadInfo old = new TrialResult.LoadInfo("open", "CONSTANT", 20.0, 0, null, null, "ramp", 1.0, null);
        assertThat(old.describe()).isEqualTo("ramp (open loop, CONSTANT 20.0 requests/s at its peak)");
        TrialResult.LoadInfo oldTrace =
                new TrialResult.LoadInfo("open", null, null, 0, null, null, "trace", null, null);
        assertThat(oldTrace.describe()).isEqualTo("trace (open loop)");
    }

    /** A spike of 5 → 40 req/s as the trial declared it: what every shard of a split run records. */
    private static final TrialResult.LoadInfo SPIKE = new TrialResult.LoadInfo(
            "open",
            "POISSON",
            40.0,
            0,
            null,
            null,
            "spike",
            1.0,
            "spike POISSON 5 → 5 over 10s ⇒ 40 → 40 over 10s ⇒ 5 → 5 over 10s req/s");

    /**
     * The shards of a split run ({@code --shard K/N}) each record the whole trial's load: the merge
     * keeps it as it is (the spike, not twice its peak) and adds the shards' parts.
     */
    @Test
    void theShardsOfASplitRunMergeIntoTheWholeTrialWithItsWholeLoad() {
        TrialResult[] parts = shardsAndWhole(8);
        TrialResult.LoadInfo workers = new TrialResult.LoadInfo(
                "closed", null, null, null, 8, 0.0, "worker-ramp", null, "closed 0 → 8 workers over 10s");
        for (TrialResult.LoadInfo load : List.of(SPIKE, workers)) {
            TrialResult m = ResultMerger.merge(
                            List.of(runOf(withLoad(parts[0], load), "0/2"), runOf(withLoad(parts[1], load), "1/2")),
                            List.of("shard-0.json", "shard-1.json"),
                            ResultMerger.Mode.SHARDS)
                    .trials()
                    .get(0);
            assertThat(m.load()).isEqualTo(load);
            assertThat(m.counts()).isEqualTo(parts[2].counts());
            assertThat(m.timeline()).isEqualTo(parts[2].timeline());
            assertThat(String.join("\n", m.warnings())).doesNotContain("different load");
        }
        // Shards that record different loads were not run with the same options: kept, and said.
        TrialResult.LoadInfo doubled = new TrialResult.LoadInfo(
                "open", "POISSON", 80.0, 0, null, null, "spike", 1.0, "spike POISSON 10 → 80 req/s");
        TrialResult m = ResultMerger.merge(
                        List.of(runOf(withLoad(parts[0], SPIKE), "0/2"), runOf(withLoad(parts[1], doubled), "1/2")),
                        List.of("a.json", "b.json"),
                        ResultMerger.Mode.SHARDS)
                .trials()
                .get(0);
        assertThat(m.load()).isEqualTo(SPIKE);
        assertThat(m.warnings())
                .contains("the shards record different loads: " + SPIKE.description() + " (a.json) vs "
                        + doubled.description() + " (b.json); the first shard's is kept, but shards of one run record"
                        + " the same load: were they run with the same options?");
    }

    /**
     * A warning that only some shards gave is about their part of the load, so the merged trial
     * names them; one that every shard gave is the trial's.
     */
    @Test
    void aWarningOfSomeShardsNamesThemInTheMergedTrial() {
        TrialResult[] parts = shardsAndWhole(11);
        String none = "no request started inside the measurement window";
        String all = "requests were not streamed";
        List<RunResult> shards = List.of(
                runOf(parts[0].withObservations(null, null, List.of(all)), "0/3"),
                runOf(parts[1].withObservations(null, null, List.of(none, all)), "1/3"),
                runOf(parts[1].withObservations(null, null, List.of(all, none)), "2/3"));
        TrialResult m = ResultMerger.merge(shards, List.of("a.json", "b.json", "c.json"), ResultMerger.Mode.SHARDS)
                .trials()
                .get(0);
        assertThat(m.warnings()).containsExactly(all, "shards 1/3, 2/3: " + none);
    }

    /**
     * "Merge without loss": the merged trial is read as the whole load, so a shard missing, given
     * twice, from a run split another way, or beside a file that is no shard is refused, naming
     * it; so is a shard merged as a run.
     */
    @Test
    void aMissingRepeatedOrForeignShardIsRefusedNamingIt() {
        TrialResult[] parts = shardsAndWhole(9);
        Map<String, List<RunResult>> refused = new java.util.LinkedHashMap<>();
        refused.put(
                "shard 2/3 of the run is missing: give all 3 shard files (run a missing one with --shard K/3; it"
                        + " issues the same arrivals)",
                List.of(runOf(parts[0], "0/3"), runOf(parts[1], "1/3")));
        refused.put(
                "shards 1/4, 2/4, 3/4 of the run are missing: give all 4 shard files (run a missing one with --shard"
                        + " K/4; it issues the same arrivals)",
                List.of(runOf(parts[0], "0/4")));
        refused.put(
                "a.json and b.json are both shard 0/2: give each shard once (a shard run again replaces its earlier"
                        + " file)",
                List.of(runOf(parts[0], "0/2"), runOf(parts[1], "0/2")));
        refused.put(
                "a.json is shard 0/2 of a run, but b.json is shard 1/3 of a run split 3 ways: merge the 2 shards of"
                        + " one run, each once",
                List.of(runOf(parts[0], "0/2"), runOf(parts[1], "1/3")));
        refused.put(
                "b.json is shard 1/2 of a run, but a.json is not a shard (run.shard \"0/1\"): merge the 2 shards of"
                        + " one run, each once",
                List.of(runOf(parts[0], "0/1"), runOf(parts[1], "1/2")));
        for (Map.Entry<String, List<RunResult>> e : refused.entrySet()) {
            List<String> names =
                    List.of("a.json", "b.json").subList(0, e.getValue().size());
            assertThatThrownBy(() -> ResultMerger.merge(e.getValue(), names, ResultMerger.Mode.SHARDS))
                    .isInstanceOf(MergeException.class)
                    .hasMessage(e.getKey());
        }
        assertThatThrownBy(() -> ResultMerger.merge(
                        List.of(runOf(parts[0], "0/2"), runOf(parts[1], "1/2")),
                        List.of("a.json", "b.json"),
                        ResultMerger.Mode.RUNS))
                .isInstanceOf(MergeException.class)
                .hasMessage("a.json is shard 0/2 of a run, a part of its load: merge the 2 shards of each run with"
                        + " --mode shards first, then merge those files as runs");
    }

    /**
     * Files that are no shard ({@code "0/1"}: each machine ran a load of its own, as before {@code
     * --shard} existed) still add their loads, so an old file's per-machine rates merge as before.
     */
    @Test
    void filesThatAreNoShardAddTheirOwnLoadsAsBefore() {
        TrialResult[] parts = shardsAndWhole(10);
        TrialResult.LoadInfo ten =
                new TrialResult.LoadInfo("open", "POISSON", 10.0, 4, null, null, null, 1.0, "open POISSON 10 req/s");
        TrialResult.LoadInfo thirty =
                new TrialResult.LoadInfo("open", "POISSON", 30.0, 6, null, null, null, 1.0, "open POISSON 30 req/s");
        TrialResult m = ResultMerger.merge(
                        List.of(runOf(withLoad(parts[0], ten), "0/1"), runOf(withLoad(parts[1], thirty), "0/1")),
                        List.of("a.json", "b.json"),
                        ResultMerger.Mode.SHARDS)
                .trials()
                .get(0);
        assertThat(m.load().rate()).isEqualTo(40.0);
        assertThat(m.load().maxInFlight()).isEqualTo(10);
        assertThat(m.load().description()).isEqualTo("open POISSON 10 req/s (per shard; merged: the sum of 2 shards)");
        assertThat(m.warnings()).contains("merged shards record different loads; the merged load is their sum");
    }

    @Test
    void differingEnvironmentsAreRecordedInTheMergedFile() {
        TrialResult[] parts = shardsAndWhole(2);
        RunResult a = runOf(parts[0], "0/2");
        RunInfo other = RunInfo.of(
                "0.1.0",
                a.run().gitCommit(),
                false,
                "2025-12-31T23:59:59Z",
                "bench-2",
                a.run().os(),
                4,
                a.run().jvm(),
                "1/2");
        RunResult b = new RunResult(RunResult.SCHEMA_VERSION, other, a.target(), List.of(parts[1]), false);

        RunResult merged = ResultMerger.merge(List.of(a, b), List.of("a.json", "b.json"), ResultMerger.Mode.SHARDS);

        assertThat(merged.merge().differences())
                .containsExactly(
                        "run.host: bench-1 (a.json), bench-2 (b.json)", "run.cpuCount: 2 (a.json), 4 (b.json)");
        assertThat(merged.run().host()).isEqualTo("bench-1, bench-2");
        assertThat(merged.run().cpuCount()).isEqualTo(6);
        assertThat(merged.run().startTime()).isEqualTo("2025-12-31T23:59:59Z");
        assertThat(merged.run().shard()).isEqualTo("merged 2 shards");
    }

    @Test
    void filesWithoutTrialsAreRefusedNotMergedIntoAnEmptyFile() {
        RunResult a = runOf(shardsAndWhole(2)[0], "0/2");
        RunResult empty = new RunResult(RunResult.SCHEMA_VERSION, a.run(), a.target(), List.of(), false);
        assertThatThrownBy(() -> ResultMerger.merge(
                        List.of(empty, empty), List.of("e1.json", "e2.json"), ResultMerger.Mode.RUNS))
                .isInstanceOf(MergeException.class)
                .hasMessageStartingWith("e1.json has no trials: nothing to merge");
    }

    @Test
    void theServersSelfDescriptionAndTheBusiestStartSurviveAMerge() {
        TrialResult[] parts = shardsAndWhole(2);
        RunResult a = runOf(parts[0], "0/2");
        TargetInfo sim = new TargetInfo(
                "http://127.0.0.1:40001",
                "OPENAI_CHAT",
                "sim-llm",
                null,
                true,
                Map.of("models.llmh_sim_options", "--itl-scale 1.0", "server", "llmh-sim"));
        RunInfo quiet = a.run().toBuilder()
                .gitDirty(false)
                .shard("0/1")
                .loadAverage(0.5)
                .transport("threads")
                .build();
        RunInfo busy = a.run().toBuilder()
                .gitDirty(false)
                .shard("0/1")
                .loadAverage(3.0)
                .transport("threads")
                .build();
        RunResult one = new RunResult(RunResult.SCHEMA_VERSION, quiet, sim, List.of(parts[0]), false);
        RunResult same = new RunResult(RunResult.SCHEMA_VERSION, busy, sim, List.of(parts[1]), false);

        RunResult merged = ResultMerger.merge(List.of(one, same), List.of("1.json", "2.json"), ResultMerger.Mode.RUNS);
        // Same server: its description is kept as is, so the merge compares with its inputs as one
        // environment.
        assertThat(merged.target().description()).isEqualTo(sim.description());
        assertThat(merged.merge().differences()).isEmpty();
        assertThat(merged.run().loadAverage()).isEqualTo(3.0);

        TargetInfo slower = new TargetInfo(
                "http://127.0.0.1:40002",
                "OPENAI_CHAT",
                "sim-llm",
                null,
                true,
                Map.of("models.llmh_sim_options", "--itl-scale 1.2", "server", "llmh-sim"));
        RunResult other = new RunResult(RunResult.SCHEMA_VERSION, quiet, slower, List.of(parts[1]), false);
        RunResult mixed = ResultMerger.merge(List.of(one, other), List.of("1.json", "3.json"), ResultMerger.Mode.RUNS);
        assertThat(mixed.merge().differences())
                .containsExactly(
                        "target.description.models.llmh_sim_options: --itl-scale 1.0 (1.json), --itl-scale 1.2 (3.json)");
        assertThat(mixed.target().description())
                .containsEntry("models.llmh_sim_options", "--itl-scale 1.0, --itl-scale 1.2")
                .containsEntry("server", "llmh-sim");
    }

    @Test
    void mergedResultsRoundTripAndFilesWithoutProvenanceReadAsUnmerged() {
        TrialResult[] parts = shardsAndWhole(3);
        RunResult merged = ResultMerger.merge(
                List.of(runOf(parts[0], "0/2"), runOf(parts[1], "1/2")),
                List.of("a.json", "b.json"),
                ResultMerger.Mode.SHARDS);
        assertThat(ResultJson.parse(ResultJson.toJson(merged), "merged")).isEqualTo(merged);

        String unmerged = ResultJson.toJson(runOf(parts[0], "0/1")).replace("\"merge\" : null", "\"x\" : 1");
        assertThat(unmerged).doesNotContain("\"merge\"");
        assertThat(ResultJson.parse(unmerged, "old.json").merge()).isNull();
    }

    @Test
    void mergeCommandWritesTheMergedFile() throws Exception {
        TrialResult[] parts = shardsAndWhole(4);
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        ResultJson.write(runOf(parts[0], "0/2"), a);
        ResultJson.write(runOf(parts[1], "1/2"), b);
        Path out = dir.resolve("out/merged.json");
        StringWriter stdout = new StringWriter();

        int code = new CommandLine(new MergeCommand())
                .setOut(new PrintWriter(stdout))
                .execute(a.toString(), b.toString(), "-o", out.toString());

        assertThat(code).isZero();
        assertThat(stdout.toString()).contains("merged 2 file(s) as shards");
        RunResult merged = ResultJson.read(out);
        assertThat(merged.trials().get(0).metrics().get("itl").decodeHistogram())
                .isEqualTo(parts[2].metrics().get("itl").decodeHistogram());
    }

    @Test
    void mergeCommandExitsWithTwoNamingABadFile() throws Exception {
        Path a = dir.resolve("a.json");
        ResultJson.write(runOf(shardsAndWhole(5)[0], "0/2"), a);
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"schemaVersion\": 1, \"trials\": [");
        StringWriter stderr = new StringWriter();

        int code = new CommandLine(new MergeCommand())
                .setErr(new PrintWriter(stderr))
                .execute(
                        a.toString(),
                        broken.toString(),
                        "-o",
                        dir.resolve("m.json").toString());

        assertThat(code).isEqualTo(2);
        assertThat(stderr.toString()).contains("broken.json").contains("not valid JSON");
        assertThat(dir.resolve("m.json")).doesNotExist();
    }

    @Test
    void mergeCommandRefusesOneRunTwiceAndAnOutputThatIsAnInput() throws Exception {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        ResultJson.write(runOf(shardsAndWhole(6)[0], "0/2"), a);
        ResultJson.write(runOf(shardsAndWhole(6)[1], "1/2"), b);
        String before = Files.readString(a);
        Path copy = dir.resolve("copy.json");
        Files.copy(a, copy);

        StringWriter twice = new StringWriter();
        int code = new CommandLine(new MergeCommand())
                .setErr(new PrintWriter(twice))
                .execute(
                        "--mode",
                        "runs",
                        a.toString(),
                        copy.toString(),
                        "-o",
                        dir.resolve("m.json").toString());
        assertThat(code).as(twice.toString()).isEqualTo(2);
        assertThat(twice.toString().strip())
                .startsWith("llmh merge: " + a + " and " + copy + " are the same run")
                .endsWith(": give each file once; merging a run with itself counts its requests twice");
        assertThat(dir.resolve("m.json")).doesNotExist();

        StringWriter over = new StringWriter();
        code = new CommandLine(new MergeCommand())
                .setErr(new PrintWriter(over))
                .execute(a.toString(), b.toString(), "-o", a.toString());
        assertThat(code).as(over.toString()).isEqualTo(2);
        assertThat(over.toString().strip())
                .isEqualTo("llmh merge: -o " + a + ": is the input " + a
                        + "; writing it would replace a measured run; choose another path");
        assertThat(Files.readString(a)).isEqualTo(before);
    }
}
