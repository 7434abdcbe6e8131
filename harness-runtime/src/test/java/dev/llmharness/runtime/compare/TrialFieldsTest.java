package dev.llmharness.runtime.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.runtime.result.ResultFormatException;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunInfo;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.SyntheticResults;
import dev.llmharness.runtime.result.TrialResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a comparison holds side against side beyond the server: each matched trial's set-up
 * ({@link TrialFields}: workload, seed, warmup, window...) and the harness build that measured each
 * side ({@code run.harnessBuild}); each difference named with what it can explain, nothing when
 * they are equal.
 */
class TrialFieldsTest {
    private static final String TRIAL = "Chat.chat[rate=20]";
    private static final CompareOptions OPTIONS = CompareOptions.defaults().withResamples(200);
    private static final TrialResult.WorkloadInfo CHAT =
            new TrialResult.WorkloadInfo("shape", "CHAT: input 256, output 13", "cl100k_base");

    @TempDir
    Path dir;

    /** A run of the trial, its requests drawn with {@code seed}, declaring a 2 s warmup and a 12 s window. */
    private static RunResult run(int seed) {
        return edited(
                SyntheticResults.run(seed, SyntheticResults.Spec.of(TRIAL).rate(20, 12)),
                t -> SyntheticResults.edit(t)
                        .window(timed(t.window(), "2s", "12s"))
                        .workload(CHAT)
                        .build());
    }

    private static TrialResult.WindowInfo timed(TrialResult.WindowInfo w, String warmup, String window) {
        return new TrialResult.WindowInfo(
                        w.startTime(), w.warmupSeconds(), w.measurementSeconds(), w.drainSeconds(), 230L, 12L)
                .withDeclared(warmup, window);
    }

    /** {@code r} with each trial changed by {@code change}. */
    private static RunResult edited(RunResult r, UnaryOperator<TrialResult> change) {
        List<TrialResult> trials = new ArrayList<>();
        r.trials().forEach(t -> trials.add(change.apply(t)));
        return new RunResult(r.schemaVersion(), r.run(), r.target(), trials, r.partial());
    }

    private static RunResult window(RunResult r, String warmup, String window) {
        return edited(
                r,
                t -> SyntheticResults.edit(t)
                        .window(timed(t.window(), warmup, window))
                        .build());
    }

    private static RunResult built(RunResult r, String build) {
        return new RunResult(r.schemaVersion(), r.run().withHarnessBuild(build), r.target(), r.trials(), r.partial());
    }

    private static ComparisonReport compare(RunResult base, RunResult contender) {
        return Comparison.compare(List.of(base), List.of(contender), OPTIONS);
    }

    private static List<String> trialWarnings(ComparisonReport report) {
        return report.trials().get(0).warnings();
    }

    @Test
    void runsOfOneSetUpAndOneBuildHaveNoDifference() {
        ComparisonReport report = compare(built(run(1), "3f9a0c1b2d4e"), built(run(2), "3f9a0c1b2d4e"));
        assertThat(report.environmentDifferences()).isEmpty();
        assertThat(trialWarnings(report)).noneMatch(w -> w.startsWith("the sides differ"));
        assertThat(Comparison.compare(List.of(run(1)), List.of(run(2)), OPTIONS.withStrict(true))
                        .exitCode(FailOn.NEVER))
                .isZero();
    }

    @Test
    void anotherWorkloadIsADifferenceAndALoudWarningOfTheTrial() {
        RunResult contender = edited(
                run(2),
                t -> SyntheticResults.edit(t)
                        .workload(new TrialResult.WorkloadInfo(
                                "dataset", "DOLLY classpath:datasets/dolly.jsonl", "cl100k_base"))
                        .build());
        ComparisonReport report = compare(run(1), contender);
        assertThat(report.environmentDifferences())
                .containsExactly("trial " + TRIAL + " workload: base CHAT: input 256, output 13, encoding cl100k_base,"
                        + " contender DOLLY classpath:datasets/dolly.jsonl, encoding cl100k_base: other prompts (token"
                        + " shape, dataset or encoding) change every figure by themselves");
        assertThat(trialWarnings(report))
                .contains("the sides differ in workload (see the environment differences): other prompts (token shape,"
                        + " dataset or encoding) change every figure by themselves, so this trial's verdicts compare"
                        + " two set-ups, not two servers");
        // The encoding alone counts: it changes how many tokens each prompt is.
        RunResult otherEncoding = edited(
                run(2),
                t -> SyntheticResults.edit(t)
                        .workload(new TrialResult.WorkloadInfo("shape", "CHAT: input 256, output 13", "o200k_base"))
                        .build());
        assertThat(compare(run(1), otherEncoding).environmentDifferences())
                .singleElement()
                .asString()
                .contains("encoding cl100k_base, contender CHAT: input 256, output 13, encoding o200k_base");
    }

    @Test
    void anotherSeedIsADifferenceButNotALoudOne() {
        RunResult contender =
                edited(run(2), t -> SyntheticResults.edit(t).seed(7).build());
        ComparisonReport report = compare(run(1), contender);
        assertThat(report.environmentDifferences())
                .containsExactly("trial " + TRIAL + " seed: base 42, contender 7: other prompts and arrival instants"
                        + " were drawn: within the intervals' noise, yet a tail percentile can move with a few long"
                        + " prompts");
        assertThat(trialWarnings(report)).noneMatch(w -> w.startsWith("the sides differ"));
    }

    @Test
    void anotherWarmupOrWindowIsADifferenceSayingWhatItCanExplain() {
        ComparisonReport warmup = compare(run(1), window(run(2), "4s", "12s"));
        assertThat(warmup.environmentDifferences())
                .containsExactly("trial " + TRIAL + " warmup: base 2s, contender 4s: the server and the harness enter"
                        + " the window in another state (caches, JIT, connections): the window's first latencies can"
                        + " differ");
        ComparisonReport longer = compare(run(1), window(run(2), "2s", "24s"));
        assertThat(longer.environmentDifferences())
                .containsExactly("trial " + TRIAL + " window: base 12s, contender 24s: a longer window narrows the"
                        + " intervals and shifts percentile estimates (more of a slow drift or a rare stall falls"
                        + " inside it)");
        assertThat(trialWarnings(longer)).noneMatch(w -> w.startsWith("the sides differ"));
        // Counted in requests, the window is compared as declared too.
        assertThat(compare(window(run(1), "2s", "200 requests"), window(run(2), "2s", "400 requests"))
                        .environmentDifferences())
                .singleElement()
                .asString()
                .startsWith("trial " + TRIAL + " window: base 200 requests, contender 400 requests: ");
        assertThat(Comparison.compare(List.of(run(1)), List.of(window(run(2), "2s", "24s")), OPTIONS.withStrict(true))
                        .exitCode(FailOn.NEVER))
                .isEqualTo(3);
    }

    @Test
    void aLongerWindowAgainstABaselineThatPredatesTheDeclaredPhasesIsNamed() throws IOException {
        // The README's -Dllmh.durationScale=2 against a baseline recorded before the phases were:
        // the baseline's timed window reads as its recorded length, its warmup as not recorded.
        Path baseline = dir.resolve("baseline.json");
        ResultJson.write(run(1), baseline);
        String text = Files.readString(baseline)
                .replaceAll(",\\s*\"declaredWarmup\" : \"[^\"]*\"", "")
                .replaceAll(",\\s*\"declaredMeasurement\" : \"[^\"]*\"", "");
        assertThat(text).doesNotContain("declared");
        Files.writeString(baseline, text);
        Path contender = dir.resolve("contender.json");
        Path same = dir.resolve("same.json");
        ResultJson.write(window(run(2), "4s", "24s"), contender);
        ResultJson.write(window(run(2), "4s", "12s"), same);

        ComparisonReport scaled = Comparison.compareFiles(List.of(baseline), List.of(contender), OPTIONS);
        assertThat(scaled.environmentDifferences())
                .containsExactly("trial " + TRIAL + " window: base 12s, contender 24s: a longer window narrows the"
                        + " intervals and shifts percentile estimates (more of a slow drift or a rare stall falls"
                        + " inside it)");
        assertThat(Comparison.compareFiles(List.of(baseline), List.of(same), OPTIONS)
                        .environmentDifferences())
                .isEmpty();
    }

    @Test
    void runsOfOneSideMustShareAWorkloadButMayDifferInSeedAndWindow() {
        RunResult dolly = edited(
                run(2),
                t -> SyntheticResults.edit(t)
                        .workload(new TrialResult.WorkloadInfo(
                                "dataset", "DOLLY classpath:datasets/dolly.jsonl", "cl100k_base"))
                        .build());
        List<String> files = List.of("b1.json", "b2.json");
        assertThatThrownBy(() -> Comparison.compare(
                        List.of(run(1), dolly), files, List.of(run(3), run(4)), List.of("c1.json", "c2.json"), OPTIONS))
                .isInstanceOf(ResultFormatException.class)
                .hasMessageStartingWith("the base runs differ in trial " + TRIAL + " workload: b1.json CHAT: input 256,"
                        + " output 13, encoding cl100k_base, b2.json DOLLY classpath:datasets/dolly.jsonl, encoding"
                        + " cl100k_base: the runs of a side must repeat one configuration");
        RunResult otherSeed =
                edited(run(2), t -> SyntheticResults.edit(t).seed(7).build());
        assertThatCode(() -> Comparison.compare(
                        List.of(run(1), otherSeed, window(run(5), "2s", "24s")),
                        List.of("b1.json", "b2.json", "b3.json"),
                        List.of(run(3), run(4)),
                        List.of("c1.json", "c2.json"),
                        OPTIONS))
                .doesNotThrowAnyException();
    }

    @Test
    void anotherHarnessBuildNamesWhichHarnessMeasuredEachSide() {
        ComparisonReport report = compare(built(run(1), "3f9a0c1b2d4e"), built(run(2), "77ab12cd34ef"));
        assertThat(report.environmentDifferences())
                .containsExactly("run.harnessBuild: base harness 0.1.0 build 3f9a0c1b2d4e, contender harness 0.1.0"
                        + " build 77ab12cd34ef: another build of the harness measured each side, and its own overhead"
                        + " or a change in how it measures can explain part of a change");
        assertThat(Comparison.compare(
                                List.of(built(run(1), "3f9a0c1b2d4e")),
                                List.of(built(run(2), "77ab12cd34ef")),
                                OPTIONS.withStrict(true))
                        .exitCode(FailOn.NEVER))
                .isEqualTo(3);
    }

    @Test
    void aBaselineWrittenBeforeBuildsWereRecordedIsAnOlderBuild() {
        ComparisonReport report = compare(run(1), built(run(2), "77ab12cd34ef"));
        assertThat(report.environmentDifferences())
                .containsExactly("run.harnessBuild: base harness 0.1.0 of an older build (not recorded), contender"
                        + " harness 0.1.0 build 77ab12cd34ef: another build of the harness measured each side, and its"
                        + " own overhead or a change in how it measures can explain part of a change");
        // Neither side recorded one: nothing is known to differ.
        assertThat(compare(run(1), run(2)).environmentDifferences()).isEmpty();
    }

    @Test
    void aBuildTheRuntimeCouldNotReadSaysNothing() {
        assertThat(compare(built(run(1), RunInfo.UNKNOWN_BUILD), built(run(2), "77ab12cd34ef"))
                        .environmentDifferences())
                .isEmpty();
        assertThat(compare(built(run(1), "3f9a0c1b2d4e"), built(run(2), RunInfo.UNKNOWN_BUILD))
                        .environmentDifferences())
                .isEmpty();
    }

    @Test
    void runsOfOneSideFromTwoBuildsAreAMixButAnOlderFileAmongThemSaysNothing() {
        List<RunResult> contender = List.of(built(run(3), "3f9a0c1b2d4e"), built(run(4), "3f9a0c1b2d4e"));
        List<String> contenderFiles = List.of("c1.json", "c2.json");
        assertThatThrownBy(() -> Comparison.compare(
                        List.of(built(run(1), "3f9a0c1b2d4e"), built(run(2), "77ab12cd34ef")),
                        List.of("b1.json", "b2.json"),
                        contender,
                        contenderFiles,
                        OPTIONS))
                .isInstanceOf(ResultFormatException.class)
                .hasMessageStartingWith(
                        "the base runs differ in run.harnessBuild: b1.json 3f9a0c1b2d4e, b2.json 77ab12cd34ef:");
        ComparisonReport report = Comparison.compare(
                List.of(run(1), built(run(2), "3f9a0c1b2d4e")),
                List.of("b1.json", "b2.json"),
                contender,
                contenderFiles,
                OPTIONS);
        // Between the sides, the older base run still tells: part of the base had another harness.
        assertThat(report.environmentDifferences())
                .singleElement()
                .asString()
                .startsWith("run.harnessBuild: base harness 0.1.0 of an older build (not recorded) / harness 0.1.0"
                        + " build 3f9a0c1b2d4e, contender harness 0.1.0 build 3f9a0c1b2d4e: ");
    }
}
