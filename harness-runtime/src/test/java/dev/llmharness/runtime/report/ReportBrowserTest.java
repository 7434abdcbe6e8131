package dev.llmharness.runtime.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.SyntheticResults;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.testing.HeadlessChromium;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The HTML report in a real browser: every chart drawn as the data says, and no console error. */
class ReportBrowserTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsChromium() {
        HeadlessChromium.assumeInstalled();
    }

    static List<ReportInput> twoTargets() {
        RunResult base = SyntheticResults.run(
                11,
                SyntheticResults.Spec.of("Chat.chat[rate=20]").rate(20, 30),
                SyntheticResults.Spec.of("Chat.chat[rate=40]").rate(40, 30).errors(0.02));
        RunResult slower = SyntheticResults.run(
                12,
                SyntheticResults.Spec.of("Chat.chat[rate=20]").rate(20, 30).itlScaled(1.2),
                SyntheticResults.Spec.of("Chat.chat[rate=40]").rate(40, 30).itlScaled(1.2));
        return List.of(new ReportInput("base", base), new ReportInput("slower", slower));
    }

    @Test
    void everyChartIsDrawnWithTheSeriesAndPointsOfItsDataAndTheConsoleHasNoError() throws Exception {
        List<ReportInput> inputs = twoTargets();
        Reports.Written w = Reports.write(inputs, dir.resolve("report"), AnalysisThresholds.defaults());
        List<Chart> expected = w.model().charts();
        // Per trial: 4 percentile, 4 CDF and 6 time charts.
        assertThat(expected).hasSize(2 * 14);

        try (HeadlessChromium browser = new HeadlessChromium(dir.resolve("profile"), 1280, 1000)) {
            browser.open(w.html());
            List<Map<String, Object>> drawn = browser.charts();
            assertThat(drawn).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                Chart c = expected.get(i);
                Map<String, Object> d = drawn.get(i);
                assertThat(d.get("id")).isEqualTo(c.id());
                assertThat(((Number) d.get("series")).intValue())
                        .as(c.id())
                        .isEqualTo(c.series().size());
                assertThat(((Number) d.get("points")).intValue()).as(c.id()).isEqualTo(c.x().size());
                assertThat(d.get("drawn")).as(c.id() + " has a canvas").isEqualTo(true);
            }
            // Two inputs overlay: one line per input on a distribution, three (offered, achieved,
            // errors) per input on the rate chart, and one point per second of the timeline.
            Chart rate = expected.stream()
                    .filter(c -> c.id().equals("t0-rate"))
                    .findFirst()
                    .orElseThrow();
            assertThat(rate.series()).hasSize(6);
            assertThat(rate.x())
                    .hasSize(inputs.get(0).result().trials().get(0).timeline().size());
            assertThat(browser.findAll(By.cssSelector(".chart canvas"))).hasSize(expected.size());
            assertThat(browser.consoleErrors()).isEmpty();

            // A sample of the figures in the page against the result.
            TrialResult t = inputs.get(1).result().trials().get(0);
            WebElement row = browser.find(By.cssSelector("#summary tr:nth-child(4)"));
            assertThat(row.getText())
                    .contains("slower")
                    .contains(t.id())
                    .contains(Text.ms(t.metrics().get("e2e").p99()))
                    .contains(Text.ms(t.metrics().get("ttft").p50()));
            assertThat(browser.find(By.id("comparison")).getText())
                    .contains("REGRESSION")
                    .contains("itl.p99");
            browser.screenshot(Path.of("target/report-browser/two-targets.png"));
        }
    }
}
