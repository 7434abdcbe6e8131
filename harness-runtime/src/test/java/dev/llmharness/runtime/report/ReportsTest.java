package dev.llmharness.runtime.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportsTest {
    static final Path SAMPLE = Path.of("src/test/resources/results/sample-result.json");

    @Test
    void aReportFolderHoldsEveryFileAndTheHtmlIsSelfContained() throws Exception {
        RunResult r = ResultJson.read(SAMPLE);
        Path dir = Path.of("target/report-sample");
        Reports.Written w = Reports.write(List.of(new ReportInput("sample", r)), dir, AnalysisThresholds.defaults());
        assertThat(w.files())
                .extracting(p -> p.getFileName().toString())
                .containsExactly("report.html", "report.md", "step-summary.md", "summary.json", "summary.csv");
        String html = Files.readString(w.html());
        assertThat(html).doesNotContain("src=\"http").doesNotContain("href=\"http");
    }
}
