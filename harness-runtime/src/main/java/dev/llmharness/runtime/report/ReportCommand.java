package dev.llmharness.runtime.report;

import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.result.OutputPaths;
import dev.llmharness.runtime.result.ResultChecks;
import dev.llmharness.runtime.result.ResultFormatException;
import dev.llmharness.runtime.result.ResultJson;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code llmh report RESULT.json [MORE.json...]}: writes the HTML report, {@code report.md}, the
 * step summary and the summary exports of one or more result files, and prints the Automatic
 * Analysis. Several files (engines, commits, sweep points) share charts, and each later file is
 * compared with the first. Exit codes: {@code 0} written, {@code 2} a file is missing, not a
 * result file or holds no trials (the message names it), {@code 3} the reports could not be written.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Writes report.html (self-contained charts), report.md, step-summary.md, summary.json and",
            "summary.csv for result files. Several files are overlaid and compared with the first.",
            "Exit codes: 0 written, 2 a file is missing or not a result file, or -o is not a folder, 3 cannot write."
        },
        exitCodeOnInvalidInput = Llmh.USAGE)
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RESULT.json", description = "Result files; the first is the base.")
    List<Path> files = new ArrayList<>();

    @Option(
            names = {"-o", "--output-dir"},
            paramLabel = "DIR",
            description = "Folder to write into. Default: beside the first file, named after it (results/x.json"
                    + " gives results/x/); with several files, report/ in the working directory.")
    Path outputDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ReportInput> inputs = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                err.println("llmh report: " + f + " does not exist or is not a file; give result files written by"
                        + " llmh run or llmh merge");
                return Llmh.USAGE;
            }
            try {
                dev.llmharness.runtime.result.RunResult result = ResultJson.read(f);
                ResultChecks.requireTrials(result, f.toString(), "report");
                inputs.add(ReportInput.of(f, result));
            } catch (ResultFormatException e) {
                err.println("llmh report: " + e.getMessage());
                return Llmh.USAGE;
            }
        }
        try {
            // Files of different benchmarks share charts, but one metric in two units would mix numbers
            // that mean different things in one chart.
            ResultChecks.requireOneUnitPerMetric(
                    inputs.stream().map(ReportInput::result).toList(),
                    files.stream().map(Path::toString).toList(),
                    "cannot share one report");
        } catch (ResultFormatException e) {
            err.println("llmh report: " + e.getMessage());
            return Llmh.USAGE;
        }
        Path dir = outputDir != null
                ? outputDir
                : files.size() == 1 ? Reports.defaultDir(files.get(0)) : Path.of("report");
        try {
            // A folder that cannot take the report (an -o naming a file, a result file among them)
            // is the user's to fix, said before anything is written.
            OutputPaths.requireWritable(
                    dir.resolve("report.html"), outputDir != null ? "-o " + dir : "the folder " + dir);
        } catch (IllegalArgumentException e) {
            err.println("llmh report: " + e.getMessage());
            return Llmh.USAGE;
        }
        Reports.Written written;
        try {
            written = Reports.write(inputs, dir, AnalysisThresholds.fromSystemProperties());
        } catch (IllegalArgumentException e) {
            err.println("llmh report: " + e.getMessage());
            return Llmh.USAGE;
        } catch (java.io.UncheckedIOException e) {
            err.println("llmh report: " + e.getMessage());
            return Llmh.RUN_ERROR;
        }
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        java.io.PrintStream analysis = new java.io.PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.size() > 1) {
                analysis.println();
                analysis.print("[" + inputs.get(i).label() + "]");
            }
            Analysis.print(analysis, written.model().findings().get(i));
        }
        out.print(buffer.toString(java.nio.charset.StandardCharsets.UTF_8));
        out.println();
        out.println("llmh report: wrote " + written.html() + " and "
                + (written.files().size() - 1) + " more file(s) in " + written.dir());
        out.flush();
        return Llmh.OK;
    }
}
