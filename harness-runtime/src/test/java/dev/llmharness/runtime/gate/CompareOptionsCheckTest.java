package dev.llmharness.runtime.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.cli.Llmh;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Options meant for the comparison at the end of {@code llmh gate} and of the bench profile are
 * checked before any load: a typo is one line and exit code 2 at once, not after minutes of runs.
 * No target is given, so a run that started would fail otherwise.
 */
class CompareOptionsCheckTest {
    @TempDir
    Path dir;

    @Test
    void theGateRefusesABadCompareOptionBeforeAnyRun() throws Exception {
        for (String bad : List.of("--fail-on bogus", "--gate nosuch.p50", "--threshold ttft.p50=abc", "--frobnicate")) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Llmh.commandLine(CommandLine.defaultFactory())
                    .setOut(new PrintWriter(out, true))
                    .setErr(new PrintWriter(err, true))
                    .execute("gate", "--results", dir.toString(), "--compare-options", bad, "--", "--url", "http://");
            assertThat(code).as(bad + ": " + err).isEqualTo(Llmh.USAGE);
            assertThat(err.toString().strip())
                    .as(bad)
                    .startsWith("llmh gate: --compare-options \"" + bad + "\": ")
                    .hasLineCount(1);
            assertThat(out.toString()).doesNotContain("llmh: ");
            assertThat(dir.resolve("latest.json")).doesNotExist();
        }
    }

    @Test
    void theBenchProfileRefusesABadCompareOptionBeforeAnyRun() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Files.createDirectories(dir);
        int code = BenchGate.run(
                dir,
                false,
                List.of("--fail-on", "inconclusve"),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(Llmh.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("bench: llmh.compareOptions \"--fail-on inconclusve\": invalid --fail-on inconclusve:"
                        + " use regression, inconclusive or never");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
