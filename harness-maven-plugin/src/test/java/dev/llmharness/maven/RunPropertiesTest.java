package dev.llmharness.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /**
     * A bad URL or tuning setting fails the goal with the harness's own line before any JVM is
     * forked (the mojo has no project here: reaching the fork would fail differently).
     */
    @Test
    void aBadUrlOrTuningSettingIsOneLineBeforeAnyFork(@TempDir Path dir) {
        String[][] cases = {
            {
                "url",
                "http://127.0.0.1:99999",
                "llmh: invalid -Dllmh.url=http://127.0.0.1:99999: the port 99999 is outside"
                        + " 1 to 65535; write the server's base URL, e.g. http://127.0.0.1:8000"
            },
            {"baseUrl", "127.0.0.1:8000", "llmh: invalid -Dllmh.baseUrl=127.0.0.1:8000: it has no scheme"},
            {"transport", "netty", "llmh: invalid -Dllmh.transport=netty: use threads or event-loop"},
            {"preopen", "many", "llmh: invalid -Dllmh.preopen=many: use auto, off or a number of connections"},
            {"cpuSplit", "on", "llmh: invalid -Dllmh.cpuSplit=on: use auto or off"},
            // Every setting with a fixed set of values or a bounded number, not only the tuning ones.
            {"tokenizer", "llama", "llmh: invalid -Dllmh.tokenizer=llama: use encoding or server"},
            {"stream", "no", "llmh: invalid -Dllmh.stream=no: use true or false"},
            {"costAllocation", "half", "llmh: invalid -Dllmh.cost.allocation=half: use proportional or full-instance"},
            {"forks", "101", "llmh: invalid -Dllmh.forks=101: use a whole number from 1 to 100"},
            // A boolean parameter Maven would have read as false.
            {"updateBaseline", "yes", "llmh: invalid -Dllmh.updateBaseline=yes: use true or false"},
        };
        for (String[] c : cases) {
            GateMojo mojo = new GateMojo();
            mojo.resultsDirectory = dir.toFile();
            switch (c[0]) {
                case "url" -> mojo.url = c[1];
                case "baseUrl" -> mojo.baseUrl = c[1];
                case "transport" -> mojo.transport = c[1];
                case "preopen" -> mojo.preopen = c[1];
                case "tokenizer" -> mojo.tokenizer = c[1];
                case "stream" -> mojo.stream = c[1];
                case "costAllocation" -> mojo.costAllocation = c[1];
                case "forks" -> mojo.forks = c[1];
                case "updateBaseline" -> mojo.updateBaseline = c[1];
                default -> mojo.cpuSplit = c[1];
            }
            assertThatThrownBy(mojo::executeGoal)
                    .as(c[0])
                    .isInstanceOf(MojoExecutionException.class)
                    .hasMessageStartingWith(c[2])
                    .hasMessageNotContaining("\n");
        }
    }

    /** {@code -Dllmh.skip=yes} is refused, not read as false (which would run load on that machine). */
    @Test
    void aSkipThatIsNeitherTrueNorFalseIsOneLine() {
        RunMojo mojo = new RunMojo();
        mojo.skip = "yes";
        assertThatThrownBy(mojo::execute)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("llmh: invalid -Dllmh.skip=yes: use true or false");
        mojo.skip = " TRUE ";
        org.assertj.core.api.Assertions.assertThatCode(mojo::execute).doesNotThrowAnyException();
    }
}
