package dev.llmharness.runtime.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.result.ResultJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandTest {
    @TempDir
    Path dir;

    private record Outcome(int code, String out, String err) {}

    private static Outcome llmh(String... args) {
        CommandLine cl = Llmh.commandLine(CommandLine.defaultFactory());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Outcome(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void twoFilesGiveOneOverlaidReportWithPerTargetFilesAndTheAnalysisOnTheConsole() {
        Path base = dir.resolve("base.json");
        Path slower = dir.resolve("slower.json");
        ResultJson.write(ReportBrowserTest.twoTargets().get(0).result(), base);
        ResultJson.write(ReportBrowserTest.twoTargets().get(1).result(), slower);
        Outcome o = llmh(
                "report",
                base.toString(),
                slower.toString(),
                "-o",
                dir.resolve("out").toString());
        assertThat(o.code()).as(o.toString()).isZero();
        assertThat(dir.resolve("out/report.html")).isRegularFile();
        assertThat(dir.resolve("out/summary-slower.csv")).isRegularFile();
        assertThat(o.out())
                .contains("[base]")
                .contains("[slower]")
                .contains("=== Automatic Analysis ===")
                .contains("llmh report: wrote " + dir.resolve("out/report.html"));
    }

    @Test
    void oneFileWritesBesideItself() {
        Path file = dir.resolve("run.json");
        ResultJson.write(ReportBrowserTest.twoTargets().get(0).result(), file);
        Outcome o = llmh("report", file.toString());
        assertThat(o.code()).as(o.toString()).isZero();
        assertThat(dir.resolve("run/report.md")).isRegularFile();
        assertThat(dir.resolve("run/summary-run.csv")).doesNotExist();
    }

    @Test
    void aMissingOrForeignFileIsExitTwoWithOneLineNamingIt() throws Exception {
        Outcome missing = llmh("report", dir.resolve("nope.json").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip())
                .isEqualTo("llmh report: " + dir.resolve("nope.json")
                        + " does not exist or is not a file; give result files written by llmh run or llmh merge");
        Path foreign = dir.resolve("foreign.json");
        Files.writeString(foreign, "{\"hello\": 1}");
        Outcome bad = llmh("report", foreign.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err())
                .contains(foreign.toString())
                .contains("schemaVersion")
                .doesNotContain("Exception");
    }

    @Test
    void aFileWithNoTrialsIsExitTwoWithOneLineNotAnEmptyReport() {
        dev.llmharness.runtime.result.RunResult full =
                ReportBrowserTest.twoTargets().get(0).result();
        Path empty = dir.resolve("empty.json");
        ResultJson.write(
                new dev.llmharness.runtime.result.RunResult(
                        full.schemaVersion(), full.run(), full.target(), java.util.List.of(), false),
                empty);
        Outcome o = llmh("report", empty.toString(), "-o", dir.resolve("out").toString());
        assertThat(o.code()).as(o.toString()).isEqualTo(2);
        assertThat(o.err().strip())
                .isEqualTo("llmh report: " + empty + " has no trials: nothing to report (the run selected no trial"
                        + " or ended before the first); re-run the benchmark");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aResultSavedWithAByteOrderMarkStillReads() throws Exception {
        // An editor on Windows saves UTF-8 with a BOM; the result itself is intact.
        Path file = dir.resolve("bom.json");
        Files.writeString(
                file,
                "\uFEFF"
                        + ResultJson.toJson(
                                ReportBrowserTest.twoTargets().get(0).result()));
        Outcome o = llmh("report", file.toString(), "-o", dir.resolve("out").toString());
        assertThat(o.code()).as(o.toString()).isZero();
        assertThat(dir.resolve("out/report.html")).isRegularFile();
    }

    @Test
    void anOutputFolderThatIsAFileIsExitTwoAndTheFileIsLeftAlone() throws Exception {
        Path run = dir.resolve("run.json");
        ResultJson.write(ReportBrowserTest.twoTargets().get(0).result(), run);
        Path other = dir.resolve("other.json");
        ResultJson.write(ReportBrowserTest.twoTargets().get(1).result(), other);
        String before = Files.readString(other);
        Outcome o = llmh("report", run.toString(), "-o", other.toString());
        assertThat(o.code()).as(o.toString()).isEqualTo(2);
        assertThat(o.err().strip())
                .isEqualTo("llmh report: -o " + other + ": " + other
                        + " is a file, not a folder; choose a path in a folder you can write to");
        assertThat(Files.readString(other)).isEqualTo(before);
    }

    @Test
    void aCorruptHistogramOrANegativeCountIsOneLineNamingTheFileAndTheTrial() throws Exception {
        // Before, the report said "histogram does not decode ...: java.lang.ArrayIndexOutOfBoundsException"
        // without the file, and a negative count was reported as if measured.
        Path bad = Path.of("src/test/resources/compare/bad-histogram.json");
        Outcome o = llmh("report", bad.toString(), "-o", dir.resolve("out").toString());
        assertThat(o.code()).as(o.toString()).isEqualTo(2);
        assertThat(o.err().strip())
                .startsWith("llmh report: " + bad + ": trial ")
                .endsWith("metric itl: its histogram does not decode; the file is corrupt, re-run the benchmark or"
                        + " restore the file")
                .doesNotContain("Exception");

        Path negative = dir.resolve("negative.json");
        Files.writeString(
                negative,
                ResultJson.toJson(ReportBrowserTest.twoTargets().get(0).result())
                        .replaceFirst("\"sent\" : \\d+", "\"sent\" : -7"));
        Outcome n = llmh("report", negative.toString(), "-o", dir.resolve("out").toString());
        assertThat(n.code()).as(n.toString()).isEqualTo(2);
        assertThat(n.err().strip())
                .startsWith("llmh report: " + negative + ": trial ")
                .contains("a request count is negative (sent -7,");
    }
}
