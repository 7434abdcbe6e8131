package dev.llmharness.runtime.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import java.nio.file.Path;
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
                .containsExactly("Chat.replay[concurrency=2]: errorRate <= 0.01 (actual 0.500)");
    }
}
