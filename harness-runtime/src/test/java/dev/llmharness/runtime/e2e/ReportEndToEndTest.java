package dev.llmharness.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.ClosedLoopModel;
import dev.llmharness.api.spi.LatencyBound;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.SloMetric;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.report.AnalysisThresholds;
import dev.llmharness.runtime.report.Chart;
import dev.llmharness.runtime.report.ReportInput;
import dev.llmharness.runtime.report.Reports;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import dev.llmharness.runtime.testing.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * {@code llmh run} against the simulator writes its reports beside the result, and they show what
 * the result holds; the HTML opens in a real browser. With {@code -Dllmh.updateScreenshots=true}
 * the browser's pictures of each section replace those of {@code docs/images/}.
 */
class ReportEndToEndTest {
    private static final Path DOC_IMAGES = Path.of("../docs/images");

    @TempDir
    static Path dir;

    private static SimServer sim;
    private static E2e.Outcome run;
    private static Path result;

    @BeforeAll
    static void runTwoTrials() {
        sim = SimServer.start(SimConfig.preset("default"));
        SloSpec slo = new SloSpec(
                List.of(
                        LatencyBound.parse(SloMetric.TTFT, "p99 <= 30s"),
                        LatencyBound.parse(SloMetric.ITL, "p99 <= 5s")),
                OptionalDouble.of(0.01));
        TrialSpec open = E2e.trial(
                "chat",
                new OpenLoopModel(Arrival.POISSON, 8, 0),
                Phase.ofDuration(Duration.ofSeconds(1)),
                Phase.ofDuration(Duration.ofSeconds(8)),
                ShapeWorkload.of(ShapePreset.CHAT, "cl100k_base"),
                slo,
                7);
        TrialSpec closed = E2e.trial(
                "workers",
                new ClosedLoopModel(4, Duration.ZERO),
                Phase.ofDuration(Duration.ofSeconds(1)),
                Phase.ofDuration(Duration.ofSeconds(8)),
                ShapeWorkload.of(ShapePreset.SHORT_SHORT, "cl100k_base"),
                SloSpec.NONE,
                8);
        result = dir.resolve("results/run.json");
        run = E2e.llmh(
                List.of(open, closed),
                "run",
                "--url",
                sim.baseUrl(),
                "--output",
                result.toString(),
                "--progress",
                "0s");
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    @Test
    void theReportsLandBesideTheResultAndTheConsoleShowsTheAnalysis() throws IOException {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        Path reports = dir.resolve("results/run");
        for (String f : List.of("report.html", "report.md", "step-summary.md", "summary.json", "summary.csv")) {
            assertThat(reports.resolve(f)).isRegularFile();
        }
        assertThat(run.out()).contains("=== Automatic Analysis ===").contains("PASS     SLO ttft p99 <= 30s met");
        assertThat(run.out()).contains("report: " + reports.resolve("report.html"));

        RunResult r = ResultJson.read(result);
        String md = Files.readString(reports.resolve("report.md"));
        String csv = Files.readString(reports.resolve("summary.csv"));
        for (TrialResult t : r.trials()) {
            assertThat(md).contains("`" + t.id() + "`");
            assertThat(csv)
                    .contains("," + t.id() + ",")
                    .contains("," + t.metrics().get("e2e").p99() + ",")
                    .contains("," + t.throughput().outputTokensPerSecond() + ",");
            // The timeline's new figures are there and add up to the trial's counts.
            long started = t.timeline().stream().mapToLong(i -> i.started()).sum();
            long completed = t.timeline().stream()
                    .mapToLong(TrialResult.Interval::completed)
                    .sum();
            long ttftValues = t.timeline().stream()
                    .filter(i -> i.latencies().containsKey("ttft"))
                    .mapToLong(i -> dev.llmharness.runtime.metrics.Histograms.decode(
                                    i.latencies().get("ttft"))
                            .getTotalCount())
                    .sum();
            assertThat(started).isEqualTo(t.counts().sent());
            assertThat(completed).isEqualTo(t.counts().completed());
            assertThat(ttftValues).isEqualTo(t.metrics().get("ttft").count());
            assertThat(t.timeline())
                    .anySatisfy(i -> assertThat(i.inFlightMicros()).isPositive());
        }
        // A typical report's size, for docs/reports.md.
        System.out.println("report.html: " + Files.size(reports.resolve("report.html")) + " bytes for "
                + r.trials().size() + " trials; run.json: " + Files.size(result) + " bytes");
    }

    @Test
    void theHtmlOpensOfflineInChromiumWithEveryChartDrawnAndNoConsoleError() throws Exception {
        HeadlessChromium.assumeInstalled();
        RunResult r = ResultJson.read(result);
        List<Chart> expected = Reports.model(
                        List.of(ReportInput.of(result, r)), AnalysisThresholds.fromSystemProperties())
                .charts();
        Path images = Boolean.getBoolean("llmh.updateScreenshots") ? DOC_IMAGES : Path.of("target/report-e2e");
        try (HeadlessChromium browser = new HeadlessChromium(dir.resolve("profile"), 1200, 900)) {
            browser.open(dir.resolve("results/run/report.html"));
            List<Map<String, Object>> drawn = browser.charts();
            assertThat(drawn).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertThat(drawn.get(i).get("id")).isEqualTo(expected.get(i).id());
                assertThat(((Number) drawn.get(i).get("series")).intValue())
                        .isEqualTo(expected.get(i).series().size());
                assertThat(((Number) drawn.get(i).get("points")).intValue())
                        .as(expected.get(i).id())
                        .isEqualTo(expected.get(i).x().size())
                        .isPositive();
                assertThat(drawn.get(i).get("drawn")).isEqualTo(true);
            }
            assertThat(browser.consoleErrors()).isEmpty();
            TrialResult first = r.trials().get(0);
            assertThat(browser.find(By.id("trial-0")).getText())
                    .contains(first.id())
                    .contains(String.valueOf(first.counts().sent()));
            browser.screenshot(browser.find(By.id("summary")), images.resolve("report-summary.png"));
            browser.screenshot(browser.find(By.id("analysis")), images.resolve("report-analysis.png"));
            browser.screenshot(
                    browser.find(By.cssSelector("#trial-0 .distributions")),
                    images.resolve("report-distributions.png"));
            browser.screenshot(
                    browser.find(By.cssSelector("#trial-0 .timeline")), images.resolve("report-timeline.png"));
            browser.screenshot(browser.find(By.cssSelector("#trial-0 .tables")), images.resolve("report-trial.png"));
        }
    }
}
