package dev.llmharness.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trials[].harnessLimit} in result files: written and read back as it is, and derived once,
 * by the reader, from the warning of a file written before it existed.
 */
class HarnessLimitJsonTest {
    @TempDir
    Path dir;

    private static RunResult runOf(TrialResult... trials) {
        return new RunResult(
                RunResult.SCHEMA_VERSION,
                SyntheticResults.runInfo("0/1"),
                SyntheticResults.target(),
                List.of(trials),
                false);
    }

    @Test
    void theFieldRoundTripsAndTheReaderLeavesItAsWritten() throws IOException {
        TrialResult t = SyntheticResults.trial(SyntheticResults.Spec.of("T").rate(8, 10), 1);
        // The text of an old warning does not make a current trial limited: the field says.
        TrialResult limited = t.withObservations(
                        null, null, List.of("dispatch lag p99 exceeds 1 ms: the harness ... (p99 3.1 ms)"))
                .withHarnessLimit(HarnessLimit.of(80, 0));
        TrialResult other = SyntheticResults.trial(SyntheticResults.Spec.of("U").rate(8, 10), 2)
                .withHarnessLimit(HarnessLimit.of(80, 3));
        Path file = dir.resolve("r.json");
        ResultJson.write(runOf(limited, other), file);
        assertThat(Files.readString(file))
                .contains("\"harnessLimit\" : {")
                .contains("\"lateRequests\" : 3")
                .contains("\"rule\" : \"lateCount\"");
        RunResult read = ResultJson.read(file);
        assertThat(read.trials()).containsExactly(limited, other);
        assertThat(read.trials().get(0).harnessLimited()).isFalse();
        assertThat(read.trials().get(1).harnessLimited()).isTrue();
        assertThat(ResultFitness.problems(read))
                .containsExactly("trial U is harness-limited: dispatch lag above 1 ms in 3 of 80 measured requests"
                        + " (at most 2 allowed)");
    }

    @Test
    void aFileWrittenBeforeTheFieldReadsWithTheVerdictOfItsOldWarning() {
        RunResult old = ResultJson.read(Path.of("src/test/resources/result/written-before-failure-messages.json"));
        assertThat(old.trials()).hasSize(5).allSatisfy(t -> {
            assertThat(t.harnessLimit().rule()).isEqualTo(HarnessLimit.RULE_P99_WARNING);
            assertThat(t.harnessLimit().lateRequests()).isNull();
            assertThat(t.harnessLimit().measuredRequests())
                    .isEqualTo(t.metrics().get("dispatchLag").count());
            assertThat(t.harnessLimited())
                    .isEqualTo(t.warnings().stream().anyMatch(w -> w.startsWith("dispatch lag p99 exceeds 1 ms")));
        });
        assertThat(old.trials()).filteredOn(TrialResult::harnessLimited).hasSize(5);
        assertThat(ResultFitness.problems(old)).hasSize(5).allMatch(p -> p.contains("is harness-limited: its file"));
        // Merged, the old verdict stays an old verdict.
        RunResult merged = ResultMerger.merge(List.of(old, old), List.of("a.json", "b.json"), ResultMerger.Mode.RUNS);
        TrialResult m = merged.trials().get(0);
        assertThat(m.harnessLimit())
                .isEqualTo(new HarnessLimit(
                        true,
                        1.0,
                        2 * old.trials().get(0).harnessLimit().measuredRequests(),
                        null,
                        null,
                        HarnessLimit.RULE_P99_WARNING));
    }

    @Test
    void theCommittedBaselineStillReadsAndItsOldWarningsStillCount() throws IOException {
        // results/ holds the repository's baseline runs, written before the field.
        for (int i = 1; i <= 3; i++) {
            Path file = Path.of("../results/baseline.run-" + i + ".json");
            RunResult r = ResultJson.read(file);
            long warned = r.trials().stream()
                    .filter(t -> t.warnings().stream().anyMatch(w -> w.startsWith("dispatch lag p99 exceeds")))
                    .count();
            boolean written = Files.readString(file).contains("\"harnessLimit\"");
            assertThat(r.trials()).allSatisfy(t -> assertThat(t.harnessLimit()).isNotNull());
            if (!written) {
                assertThat(r.trials().stream()
                                .filter(TrialResult::harnessLimited)
                                .count())
                        .isEqualTo(warned);
            }
        }
    }

    @Test
    void mergedShardsAreJudgedOnTheirSummedCounts() {
        TrialResult a = SyntheticResults.trial(SyntheticResults.Spec.of("T").rate(8, 10), 1)
                .withHarnessLimit(HarnessLimit.of(100, 2));
        TrialResult b = SyntheticResults.trial(SyntheticResults.Spec.of("T").rate(8, 10), 2)
                .withHarnessLimit(HarnessLimit.of(100, 2));
        RunResult merged =
                ResultMerger.merge(List.of(runOf(a), runOf(b)), List.of("a.json", "b.json"), ResultMerger.Mode.SHARDS);
        TrialResult t = merged.trials().get(0);
        // 4 of 200 late is too many (at most 2), judged with the merged trial's own TTFT shift.
        assertThat(t.harnessLimit()).isEqualTo(HarnessLimit.of(200, 4, HarnessLimit.ttftShift(t.metrics())));
        assertThat(t.harnessLimit().tooManyLate()).isTrue();
        assertThat(t.harnessLimit().ttftShift()).isNotNull();
        assertThat(t.harnessLimited()).isEqualTo(t.harnessLimit().ttftShift() > HarnessLimit.MAX_TTFT_SHIFT);
    }
}
