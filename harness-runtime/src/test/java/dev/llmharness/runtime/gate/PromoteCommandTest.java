package dev.llmharness.runtime.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.SyntheticResults;
import dev.llmharness.runtime.result.TrialResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code llmh promote} on real files: it writes no baseline that {@code llmh compare} would then
 * refuse (a file without trials, runs of different trials), never replaces a folder, and refuses a
 * trial that measured nothing unless forced.
 */
class PromoteCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int promote(Object... args) {
        return Llmh.commandLine(CommandLine.defaultFactory())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(java.util.stream.Stream.concat(
                                java.util.stream.Stream.of("promote"), java.util.Arrays.stream(args))
                        .map(Object::toString)
                        .toArray(String[]::new));
    }

    private Path write(String name, RunResult r) {
        Path p = dir.resolve(name);
        ResultJson.write(r, p);
        return p;
    }

    private static RunResult run(String... ids) {
        SyntheticResults.Spec[] specs = new SyntheticResults.Spec[ids.length];
        for (int i = 0; i < ids.length; i++) {
            specs[i] = SyntheticResults.Spec.of(ids[i]).rate(20, 12);
        }
        return SyntheticResults.run(1, specs);
    }

    @Test
    void aFitResultIsPromoted() {
        Path fit = write("fit.json", run("a"));
        Path baseline = dir.resolve("results/baseline.json");
        assertThat(promote("--baseline", baseline, fit)).as(err.toString()).isZero();
        assertThat(baseline).isRegularFile();
    }

    @Test
    void aResultWithoutTrialsIsAnInputErrorNotABaseline() {
        RunResult r = run("a");
        Path empty = write("empty.json", new RunResult(r.schemaVersion(), r.run(), r.target(), List.of(), false));
        Path baseline = dir.resolve("results/baseline.json");
        // Not even --force: compare would refuse every later comparison with this baseline.
        assertThat(promote("--force", "--baseline", baseline, empty)).isEqualTo(Llmh.USAGE);
        assertThat(err.toString())
                .contains("empty.json has no trials: nothing to promote")
                .doesNotContain("\tat ");
        assertThat(baseline).doesNotExist();
    }

    @Test
    void runsWithDifferentTrialsAreAnInputErrorNotABaseline() {
        Path one = write("one.json", run("a", "b"));
        Path other = write("other.json", run("a"));
        Path baseline = dir.resolve("results/baseline.json");
        assertThat(promote("--force", "--baseline", baseline, one, other)).isEqualTo(Llmh.USAGE);
        assertThat(err.toString().strip())
                .startsWith("llmh promote: the promoted runs do not have the same trials: ")
                .contains("other.json lacks [b]")
                .hasLineCount(1);
        assertThat(dir.resolve("results")).doesNotExist();
    }

    @Test
    void aFolderInThePlaceOfTheBaselineIsAnInputErrorAndStays() throws Exception {
        Path fit = write("fit.json", run("a"));
        Path folder = Files.createDirectories(dir.resolve("baseline.json"));
        assertThat(promote("--baseline", folder, fit)).isEqualTo(Llmh.USAGE);
        assertThat(err.toString()).contains("--baseline").contains("is a folder");
        assertThat(folder).isDirectory();
    }

    @Test
    void aTrialThatMeasuredNothingIsRefusedUnlessForced() {
        RunResult r = run("a");
        var nothing = new SyntheticResults.TrialBuilder("b", 12).build(3);
        RunResult withEmptyTrial = new RunResult(
                r.schemaVersion(), r.run(), r.target(), List.of(r.trials().get(0), nothing), false);
        Path file = write("nothing.json", withEmptyTrial);
        Path baseline = dir.resolve("results/baseline.json");
        assertThat(promote("--baseline", baseline, file)).isEqualTo(Llmh.SLO_FAILED);
        assertThat(err.toString()).contains("trial b measured nothing");
        assertThat(baseline).doesNotExist();
        assertThat(promote("--force", "--baseline", baseline, file)).isZero();
        assertThat(baseline).isRegularFile();
    }
    /**
     * A result whose objective failed is refused by the same rule as an unfit one, and promoted
     * under --force like one: the gate's and the Maven plugin's promotions call the same code.
     */
    @Test
    void aFailedObjectiveIsRefusedUnlessForced() {
        RunResult r = run("a");
        TrialResult t = r.trials().get(0);
        TrialResult failing = SyntheticResults.withSlo(
                t, List.of(new TrialResult.SloVerdict("ttft p99 <= 2s", 2000, 5000.0, false, "ttft", 99.0)));
        Path file =
                write("failing.json", new RunResult(r.schemaVersion(), r.run(), r.target(), List.of(failing), false));
        Path baseline = dir.resolve("results/baseline.json");

        assertThat(promote("--baseline", baseline, file)).isEqualTo(Llmh.SLO_FAILED);
        assertThat(err.toString())
                .contains("failing.json: an SLO objective failed: a: ttft p99 <= 2s (actual 5.00 s)")
                .contains("--force");
        assertThat(baseline).doesNotExist();

        assertThat(promote("--force", "--baseline", baseline, file)).isZero();
        assertThat(baseline).isRegularFile();
    }
}
