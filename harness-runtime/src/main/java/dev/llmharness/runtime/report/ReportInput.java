package dev.llmharness.runtime.report;

import dev.llmharness.runtime.result.RunResult;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One result file given to a report, with the label that names it in tables, legends and
 * per-target file names.
 *
 * @param label short name, e.g. the file name without {@code .json} ({@code vllm}, {@code latest})
 * @param result the result as read
 */
public record ReportInput(String label, RunResult result) {
    /** An input labelled with its file's name without the {@code .json} extension. */
    public static ReportInput of(Path file, RunResult result) {
        String name = file.getFileName().toString();
        return new ReportInput(
                name.toLowerCase(Locale.ROOT).endsWith(".json") ? name.substring(0, name.length() - 5) : name, result);
    }

    /** The label reduced to letters, digits, {@code .}, {@code -} and {@code _}, for file names. */
    public String fileLabel() {
        String s = label.replaceAll("[^A-Za-z0-9._-]+", "_");
        return s.isEmpty() ? "target" : s;
    }
}
