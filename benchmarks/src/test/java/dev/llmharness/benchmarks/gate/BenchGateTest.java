package dev.llmharness.benchmarks.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.cli.Llmh;
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
}
