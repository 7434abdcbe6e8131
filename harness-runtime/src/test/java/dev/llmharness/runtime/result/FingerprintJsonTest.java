package dev.llmharness.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fingerprint fields that tell a comparison which harness measured a run and which phases it
 * declared ({@code run.harnessBuild}, {@code window.declaredWarmup}, {@code
 * window.declaredMeasurement}) through a file: written and read back, absent from older files, and
 * derived there where the file says it exactly.
 */
class FingerprintJsonTest {
    @TempDir
    Path dir;

    /** A run whose trials declare {@code warmup} and {@code window}, measured by {@code build}. */
    static RunResult run(String build, String warmup, String window) {
        RunResult r = SyntheticResults.run(1, SyntheticResults.Spec.of("T").rate(8, 10));
        List<TrialResult> trials = new ArrayList<>();
        for (TrialResult t : r.trials()) {
            trials.add(SyntheticResults.edit(t)
                    .window(timed(t.window()).withDeclared(warmup, window))
                    .build());
        }
        return new RunResult(r.schemaVersion(), r.run().withHarnessBuild(build), r.target(), trials, false);
    }

    /** {@code w} as a timed window records it: with its in-window and drain completions. */
    static TrialResult.WindowInfo timed(TrialResult.WindowInfo w) {
        return new TrialResult.WindowInfo(
                w.startTime(), w.warmupSeconds(), w.measurementSeconds(), w.drainSeconds(), 80L, 4L);
    }

    private RunResult roundTrip(RunResult r, String name) {
        Path file = dir.resolve(name);
        ResultJson.write(r, file);
        return ResultJson.read(file);
    }

    /** The file's text without the field {@code key} and its value. */
    private static String without(String text, String key) {
        String removed = text.replaceAll(",\\s*\"" + key + "\" : (\"[^\"]*\"|null)", "");
        assertThat(removed).isNotEqualTo(text).doesNotContain("\"" + key + "\"");
        return removed;
    }

    @Test
    void theBuildAndTheDeclaredPhasesRoundTrip() throws IOException {
        RunResult r = run("3f9a0c1b2d4e", "2s", "12s");
        RunResult read = roundTrip(r, "run.json");
        assertThat(read).isEqualTo(r);
        assertThat(read.run().harnessBuild()).isEqualTo("3f9a0c1b2d4e");
        assertThat(read.trials().get(0).window().declaredWarmup()).isEqualTo("2s");
        assertThat(read.trials().get(0).window().declaredMeasurement()).isEqualTo("12s");
        String text = Files.readString(dir.resolve("run.json"));
        assertThat(text).contains("\"harnessBuild\" : \"3f9a0c1b2d4e\"").contains("\"declaredMeasurement\" : \"12s\"");
        RunResult counted = run(RunInfo.UNKNOWN_BUILD, "50 requests", "200 requests");
        assertThat(roundTrip(counted, "counted.json")).isEqualTo(counted);
    }

    @Test
    void aFileWrittenBeforeTheBuildReadsWithoutOne() throws IOException {
        Path file = dir.resolve("old.json");
        ResultJson.write(run("3f9a0c1b2d4e", "2s", "12s"), file);
        Files.writeString(file, without(Files.readString(file), "harnessBuild"));
        assertThat(ResultJson.read(file).run().harnessBuild()).isNull();
    }

    @Test
    void anOlderFilesTimedWindowReadsAsItsRecordedLengthAndItsWarmupAsNotRecorded() throws IOException {
        Path file = dir.resolve("old.json");
        ResultJson.write(run(null, "2s", "12s"), file);
        String text = without(without(Files.readString(file), "declaredWarmup"), "declaredMeasurement");
        Files.writeString(file, text);
        TrialResult.WindowInfo w = ResultJson.read(file).trials().get(0).window();
        // SyntheticResults' window: 10 s measured, exactly the declared length of a timed window.
        assertThat(w.measurementSeconds()).isEqualTo(10.0);
        assertThat(w.declaredMeasurement()).isEqualTo("10s");
        assertThat(w.declaredWarmup()).isNull();
    }

    @Test
    void theCommittedBaselineReadsWithTheWindowsItDeclared() throws IOException {
        for (int i = 1; i <= 3; i++) {
            Path file = Path.of("../results/baseline.run-" + i + ".json");
            boolean written = Files.readString(file).contains("\"declaredMeasurement\"");
            for (TrialResult t : ResultJson.read(file).trials()) {
                TrialResult.WindowInfo w = t.window();
                assertThat(w.declaredMeasurement()).as(t.id()).matches("[0-9]+s");
                if (!written) {
                    assertThat(w.declaredMeasurement()).as(t.id()).isEqualTo(Math.round(w.measurementSeconds()) + "s");
                }
            }
        }
    }

    @Test
    void noLengthIsDerivedWhereTheRecordedOneIsNotTheDeclaredOne() {
        RunResult undeclared = run(null, null, null);
        // A window counted in requests: its length is how long the requests took.
        RunResult counted =
                SyntheticResults.run(1, SyntheticResults.Spec.of("T").rate(8, 10));
        assertThat(ResultJson.withDeclaredWindows(counted)
                        .trials()
                        .get(0)
                        .window()
                        .declaredMeasurement())
                .isNull();
        // Interrupted: shorter than declared.
        RunResult partial = new RunResult(
                undeclared.schemaVersion(), undeclared.run(), undeclared.target(), undeclared.trials(), true);
        assertThat(ResultJson.withDeclaredWindows(partial)
                        .trials()
                        .get(0)
                        .window()
                        .declaredMeasurement())
                .isNull();
        // Merged runs: their lengths add up.
        RunResult merged = ResultMerger.merge(
                List.of(undeclared, undeclared), List.of("a.json", "b.json"), ResultMerger.Mode.RUNS);
        assertThat(merged.trials().get(0).window().measurementSeconds()).isEqualTo(20.0);
        assertThat(ResultJson.withDeclaredWindows(merged)
                        .trials()
                        .get(0)
                        .window()
                        .declaredMeasurement())
                .isNull();
        // The same run, complete and unmerged: its length is the declared one.
        assertThat(ResultJson.withDeclaredWindows(undeclared)
                        .trials()
                        .get(0)
                        .window()
                        .declaredMeasurement())
                .isEqualTo("10s");
    }

    @Test
    void aMergeKeepsTheBuildAndPhasesItsInputsAgreeOnAndJoinsBuildsThatDiffer() {
        RunResult a = run("3f9a0c1b2d4e", "2s", "12s");
        RunResult merged = ResultMerger.merge(List.of(a, a), List.of("a.json", "b.json"), ResultMerger.Mode.RUNS);
        assertThat(merged.run().harnessBuild()).isEqualTo("3f9a0c1b2d4e");
        assertThat(merged.trials().get(0).window().declaredWarmup()).isEqualTo("2s");
        assertThat(merged.trials().get(0).window().declaredMeasurement()).isEqualTo("12s");

        RunResult other = run("77ab12cd34ef", "4s", "24s");
        RunResult mixed = ResultMerger.merge(List.of(a, other), List.of("a.json", "b.json"), ResultMerger.Mode.RUNS);
        assertThat(mixed.run().harnessBuild()).isEqualTo("3f9a0c1b2d4e, 77ab12cd34ef");
        assertThat(mixed.trials().get(0).window().declaredMeasurement()).isNull();
        assertThat(mixed.merge().differences())
                .contains("run.harnessBuild: 3f9a0c1b2d4e (a.json), 77ab12cd34ef (b.json)");

        RunResult old = run(null, "2s", "12s");
        assertThat(ResultMerger.merge(List.of(old, a), List.of("a.json", "b.json"), ResultMerger.Mode.RUNS)
                        .run()
                        .harnessBuild())
                .isEqualTo("unrecorded, 3f9a0c1b2d4e");
        assertThat(ResultMerger.merge(List.of(old, old), List.of("a.json", "b.json"), ResultMerger.Mode.RUNS)
                        .run()
                        .harnessBuild())
                .isNull();
    }
}
