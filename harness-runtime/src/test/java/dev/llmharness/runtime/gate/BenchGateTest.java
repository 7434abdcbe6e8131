package dev.llmharness.runtime.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BenchGateTest {

    @Test
    void blankLlmhPropertiesAreRemovedSoThatTheCommandsSeeThemAsNotSet() {
        Properties p = new Properties();
        p.setProperty("llmh.seed", "");
        p.setProperty("llmh.durationScale", "  ");
        p.setProperty("llmh.url", "http://127.0.0.1:8000");
        p.setProperty("other.empty", "");

        Llmh.clearBlankProperties(p);

        assertThat(p.stringPropertyNames()).containsExactlyInAnyOrder("llmh.url", "other.empty");
    }

    @Test
    void compareOptionsSplitOnWhitespaceAndEmptyGivesNone() {
        assertThat(BenchGate.splitOptions("  --fail-on never   --threshold itl.p99=15% "))
                .containsExactly("--fail-on", "never", "--threshold", "itl.p99=15%");
        assertThat(BenchGate.splitOptions(" ")).isEmpty();
    }

    @Test
    void failedObjectivesNameTheTrialTheObjectiveAndTheActualValue() {
        RunResult result = ResultJson.read(Path.of("src/test/resources/results/sample-result.json"));

        assertThat(BenchGate.failedObjectives(result))
                .as("the actual value with its unit, as every report shows it")
                .containsExactly("Chat.replay[concurrency=2]: errorRate <= 0.01 (actual 50.00 %)");
    }

    @Test
    void aFailedObjectiveOfAHarnessLimitedTrialSaysTheHarnessMayExplainIt() {
        RunResult result = ResultJson.read(Path.of("src/test/resources/results/sample-result.json"));
        List<dev.llmharness.runtime.result.TrialResult> trials = new java.util.ArrayList<>();
        for (dev.llmharness.runtime.result.TrialResult t : result.trials()) {
            trials.add(t.withHarnessLimit(dev.llmharness.runtime.result.HarnessLimit.of(80, 3)));
        }
        RunResult limited = new RunResult(result.schemaVersion(), result.run(), result.target(), trials, false);

        assertThat(BenchGate.failedObjectives(limited))
                .containsExactly("Chat.replay[concurrency=2]: errorRate <= 0.01 (actual 50.00 %; the trial was"
                        + " harness-limited: the harness, not the server, may explain it; rerun on a quieter"
                        + " machine)");
    }

    /** Several runs a side, or a base side to produce, go to llmh gate; one run stays with the baseline file. */
    @Test
    void severalRunsOrABaseSideGoToLlmhGate() {
        java.util.function.IntSupplier one = () -> 1;
        java.util.function.IntSupplier three = () -> 3;
        assertThat(BenchGate.needsGateCommand(props(), one)).isFalse();
        assertThat(BenchGate.needsGateCommand(props(), three)).as("@Fork(3)").isTrue();
        assertThat(BenchGate.needsGateCommand(props("llmh.forks", "1"), three))
                .as("llmh.forks wins")
                .isFalse();
        assertThat(BenchGate.needsGateCommand(props("llmh.forks", "2"), one)).isTrue();
        assertThat(BenchGate.needsGateCommand(props("llmh.baseSim", "--itl-scale 1.2"), one))
                .isTrue();
        assertThat(BenchGate.needsGateCommand(props("llmh.baseUrl", "http://127.0.0.1:8000"), one))
                .isTrue();
        assertThat(BenchGate.needsGateCommand(props("llmh.baseSim", " "), one)).isFalse();
    }

    /** The gate's own properties are read as every setting is: a bad value is one line, not a silent false. */
    @Test
    void aBadGatePropertyIsOneLineBeforeAnyRun() {
        String[][] cases = {
            {"llmh.updateBaseline", "yes", "bench: invalid -Dllmh.updateBaseline=yes: use true or false"},
            {"llmh.forceBaseline", "1", "bench: invalid -Dllmh.forceBaseline=1: use true or false"},
            {"llmh.forks", "three", "bench: invalid -Dllmh.forks=three: use a whole number from 1 to 100"},
            {"llmh.forks", "0", "bench: invalid -Dllmh.forks=0: use a whole number from 1 to 100"},
            // Limits.MAX_FORKS, as @Fork at compile time.
            {"llmh.forks", "101", "bench: invalid -Dllmh.forks=101: use a whole number from 1 to 100"},
        };
        for (String[] c : cases) {
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            assertThat(BenchGate.checkProperties(props(c[0], c[1]), new java.io.PrintStream(err, true)))
                    .isEqualTo(Llmh.USAGE);
            assertThat(err.toString().strip()).isEqualTo(c[2]);
        }
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        assertThat(BenchGate.checkProperties(
                        props("llmh.updateBaseline", " TRUE ", "llmh.forks", "2"), new java.io.PrintStream(err, true)))
                .isEqualTo(Llmh.OK);
        assertThat(err.toString()).isEmpty();
    }

    private static java.util.Properties props(String... kv) {
        java.util.Properties p = new java.util.Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    /** A baseline kept as run files goes to llmh gate even for one new run: BenchGate reads baseline.json only. */
    @Test
    void aBaselineOfRunFilesGoesToLlmhGate(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThat(BenchGate.hasRunFiles(dir, "baseline")).isFalse();
        java.nio.file.Files.writeString(dir.resolve("baseline.json"), "{}");
        assertThat(BenchGate.hasRunFiles(dir, "baseline")).as("one file").isFalse();
        java.nio.file.Files.writeString(dir.resolve("baseline.run-1.json"), "{}");
        assertThat(BenchGate.hasRunFiles(dir, "baseline")).isTrue();
        assertThat(BenchGate.hasRunFiles(dir.resolve("absent"), "baseline")).isFalse();
    }
}
