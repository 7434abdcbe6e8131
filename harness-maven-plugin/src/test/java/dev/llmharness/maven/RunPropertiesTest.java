package dev.llmharness.maven;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunPropertiesTest {

    @Test
    void onlyTheParametersThatAreSetReachTheForkedJvmAndBlankMeansNotSet() {
        RunMojo mojo = new RunMojo();
        mojo.include = "MyBenchmarks";
        mojo.durationScale = " 0.5 ";
        mojo.seed = "";

        assertThat(mojo.runProperties())
                .containsExactly(
                        java.util.Map.entry("llmh.include", "MyBenchmarks"),
                        java.util.Map.entry("llmh.durationScale", "0.5"));
    }

    @Test
    void everyExitCodeOfTheHarnessHasAMeaning() {
        assertThat(AbstractLlmhMojo.meaning(1)).contains("SLO").contains("regressed");
        assertThat(AbstractLlmhMojo.meaning(2)).contains("bad option");
        assertThat(AbstractLlmhMojo.meaning(3)).contains("run failed");
        assertThat(AbstractLlmhMojo.meaning(137)).contains("abnormally");
    }
}
