package dev.llmharness.maven;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportMojoTest {

    @Test
    void withoutALatestResultItSaysWhatToRunFirstAndForksNothing(@TempDir Path results) {
        ReportMojo mojo = new ReportMojo();
        mojo.resultsDirectory = results.toFile();

        assertThatThrownBy(mojo::execute)
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("no " + results.resolve("latest.json") + " (or latest.run-<i>.json) to report")
                .hasMessageContaining("run the benchmarks first");
    }
}
