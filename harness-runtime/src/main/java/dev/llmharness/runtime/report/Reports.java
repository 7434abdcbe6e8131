package dev.llmharness.runtime.report;

import dev.llmharness.runtime.compare.CompareOptions;
import dev.llmharness.runtime.compare.Comparison;
import dev.llmharness.runtime.compare.ComparisonReport;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.TrialResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a run's reports into a folder: {@code report.html} (self-contained, charts), {@code
 * report.md}, {@code step-summary.md} (for {@code $GITHUB_STEP_SUMMARY}), {@code summary.json} and
 * {@code summary.csv}, and, when the inputs are several targets, {@code summary-<label>.json} and
 * {@code .csv} per target. {@code llmh run}, {@code llmh report} and the bench gate all call it.
 * Each file is written atomically (a temporary file renamed into place).
 */
public final class Reports {
    /**
     * The files written.
     *
     * @param dir the folder
     * @param files every file written, {@code report.html} first
     * @param model what they were made from (the Automatic Analysis is in it)
     */
    public record Written(Path dir, List<Path> files, ReportModel model) {
        /** {@code report.html}. */
        public Path html() {
            return dir.resolve(HTML);
        }

        /** {@code report.md}. */
        public Path markdown() {
            return dir.resolve(MARKDOWN);
        }
    }

    public static final String HTML = "report.html";
    public static final String MARKDOWN = "report.md";
    public static final String STEP_SUMMARY = "step-summary.md";
    public static final String SUMMARY_JSON = "summary.json";
    public static final String SUMMARY_CSV = "summary.csv";

    private Reports() {}

    /**
     * The folder the reports of a result file go to by default: beside it, named after it without
     * {@code .json} ({@code results/latest.json} gives {@code results/latest/}).
     */
    public static Path defaultDir(Path resultFile) {
        Path abs = resultFile.toAbsolutePath().normalize();
        String name = abs.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name + "-report";
        return abs.resolveSibling(base);
    }

    /**
     * Writes the reports of one run, labelled with the folder's name, with the thresholds of the
     * JVM's {@code llmh.analysis.*} properties.
     */
    public static Written write(RunResult result, Path dir) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return write(
                List.of(new ReportInput(name == null ? "run" : name.toString(), result)),
                dir,
                AnalysisThresholds.fromSystemProperties());
    }

    /** Writes the reports of one or more inputs; the first is the base of the comparisons. */
    public static Written write(List<ReportInput> inputs, Path dir, AnalysisThresholds thresholds) {
        ReportModel model = model(inputs, thresholds);
        List<Path> files = new ArrayList<>();
        write(dir, HTML, HtmlReport.render(model), files);
        write(dir, MARKDOWN, MarkdownSummary.render(model, false), files);
        write(dir, STEP_SUMMARY, MarkdownSummary.render(model, true), files);
        List<SummaryTable.Row> rows = SummaryTable.rows(inputs);
        write(dir, SUMMARY_JSON, SummaryTable.json(rows), files);
        write(dir, SUMMARY_CSV, SummaryTable.csv(rows), files);
        if (inputs.size() > 1) {
            for (ReportInput in : inputs) {
                List<SummaryTable.Row> own = SummaryTable.rows(List.of(in));
                write(dir, "summary-" + in.fileLabel() + ".json", SummaryTable.json(own), files);
                write(dir, "summary-" + in.fileLabel() + ".csv", SummaryTable.csv(own), files);
            }
        }
        return new Written(dir, files, model);
    }

    /** The analysis and comparisons of the inputs, without writing anything. */
    public static ReportModel model(List<ReportInput> inputs, AnalysisThresholds thresholds) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one result file");
        }
        List<String> labels = new ArrayList<>();
        for (ReportInput in : inputs) {
            if (labels.contains(in.label())) {
                throw new IllegalArgumentException(
                        "two report inputs are both labelled \"" + in.label() + "\": give files with different names");
            }
            labels.add(in.label());
        }
        List<List<Analysis.Finding>> findings = new ArrayList<>();
        for (ReportInput in : inputs) {
            findings.add(Analysis.analyse(in.result().trials(), thresholds));
        }
        List<ComparisonReport> comparisons = new ArrayList<>();
        ReportInput base = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            ReportInput other = inputs.get(i);
            if (!sharesATrial(base.result(), other.result())) {
                continue;
            }
            comparisons.add(Comparison.compare(
                    List.of(base.result()),
                    List.of(base.label()),
                    List.of(other.result()),
                    List.of(other.label()),
                    CompareOptions.defaults()));
        }
        return new ReportModel(List.copyOf(inputs), findings, comparisons);
    }

    private static boolean sharesATrial(RunResult a, RunResult b) {
        for (TrialResult t : a.trials()) {
            for (TrialResult u : b.trials()) {
                if (t.id().equals(u.id())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void write(Path dir, String name, String text, List<Path> files) {
        Path file = dir.resolve(name);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(
                        tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report file " + file + ": " + e.getMessage(), e);
        }
        files.add(file);
    }
}
