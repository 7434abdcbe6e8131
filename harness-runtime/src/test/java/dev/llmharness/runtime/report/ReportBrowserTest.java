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

    /**
     * A sweep of five rates against a server that tops out at 30 requests/s: what {@code llmh
     * sweep} writes, trials that differ only in their {@code rate}.
     */
    /**
     * The timeline of a point served at 30 requests/s whose load offered {@code factor} times
     * that: each second's intended starts scaled by it (the completions stay the server's).
     */
    private static List<TrialResult.Interval> offeredAt(List<TrialResult.Interval> timeline, double factor) {
        if (factor == 1) {
            return timeline;
        }
        return timeline.stream()
                .map(i -> new TrialResult.Interval(
                        i.second(),
                        i.completed(),
                        i.failed(),
                        i.outputTokens(),
                        i.started() == null ? null : Math.round(i.started() * factor),
                        i.inFlightMicros(),
                        i.latencies()))
                .toList();
    }

    static RunResult sweep() {
        double[] rates = {10, 20, 30, 40, 50};
        List<TrialResult> trials = new java.util.ArrayList<>();
        for (int i = 0; i < rates.length; i++) {
            double r = rates[i];
            TrialResult t = SyntheticResults.trial(
                    SyntheticResults.Spec.of("Chat.chat")
                            .rate(Math.min(r, 30), 30)
                            .ttftScaled(r > 30 ? 8 : 1),
                    40 + i);
            String rate = dev.llmharness.api.spi.TrialSpec.formatRate(r);
            trials.add(new TrialResult(
                    "Chat.chat{rate=" + rate + "}",
                    "Chat.chat",
                    Map.of("rate", rate),
                    t.api(),
                    new TrialResult.LoadInfo(
                            "open", "POISSON", r, 0, null, null, null, 1.0, "open POISSON " + rate + " req/s"),
                    t.workload(),
                    t.seed(),
                    t.window(),
                    t.counts(),
                    t.tokens(),
                    new TrialResult.Throughput(
                            t.throughput().requestsPerSecond(),
                            t.throughput().outputTokensPerSecond(),
                            t.throughput().totalTokensPerSecond(),
                            r > 30
                                    ? 0.2 * t.throughput().requestsPerSecond()
                                    : t.throughput().requestsPerSecond()),
                    t.errorRate(),
                    t.metrics(),
                    List.of(TrialResult.SloVerdict.latency(
                            "ttft",
                            99,
                            "ttft p99 <= 1s",
                            1000,
                            t.metrics().get("ttft").p99())),
                    offeredAt(t.timeline(), r / Math.min(r, 30)),
                    t.warnings()));
        }
        return new RunResult(
                RunResult.SCHEMA_VERSION, SyntheticResults.runInfo("0/1"), SyntheticResults.target(), trials, false);
    }

    @Test
    void aSweepIsDrawnAsLatencyAndGoodputAgainstTheOfferedRate() throws Exception {
        RunResult sweep = sweep();
        Reports.Written w = Reports.write(
                List.of(new ReportInput("sweep", sweep)), dir.resolve("sweep"), AnalysisThresholds.defaults());
        dev.llmharness.runtime.capacity.CapacityCurve curve = dev.llmharness.runtime.capacity.CapacityCurve.sweepsOf(
                        sweep.trials())
                .get(0);
        // 40 and 50 req/s miss the TTFT objective; 30 is at the server's limit, where chance decides.
        assertThat(curve.knee().offered()).isBetween(20.0, 30.0);
        List<Chart> expected = w.model().charts();
        // The sweep's two charts first, then 14 per trial.
        assertThat(expected).hasSize(2 + 5 * 14);
        Chart latency = expected.get(0);
        Chart throughput = expected.get(1);
        assertThat(latency.id()).isEqualTo("s0-latency");
        assertThat(latency.x()).containsExactly(10.0, 20.0, 30.0, 40.0, 50.0);
        assertThat(latency.series())
                .extracting(Chart.Series::label)
                .containsExactly("TTFT p50", "TTFT p99", "E2E p50", "E2E p99");
        assertThat(throughput.series())
                .extracting(Chart.Series::label)
                .containsExactly("offered/s", "achieved/s", "goodput/s");
        assertThat(throughput.series().get(0).values()).containsExactly(10.0, 20.0, 30.0, 40.0, 50.0);
        try (HeadlessChromium browser = new HeadlessChromium(dir.resolve("profile"), 1280, 1000)) {
            browser.open(w.html());
            List<Map<String, Object>> drawn = browser.charts();
            assertThat(drawn).hasSize(expected.size());
            for (int i = 0; i < 2; i++) {
                Chart c = expected.get(i);
                Map<String, Object> d = drawn.get(i);
                assertThat(d.get("id")).isEqualTo(c.id());
                assertThat(((Number) d.get("series")).intValue())
                        .as(c.id())
                        .isEqualTo(c.series().size());
                assertThat(((Number) d.get("points")).intValue()).as(c.id()).isEqualTo(5);
                assertThat(d.get("drawn")).as(c.id() + " has a canvas").isEqualTo(true);
            }
            assertThat(browser.find(By.id("sweeps")).getText())
                    .contains("Chat.chat")
                    .contains(curve.describe());
            assertThat(browser.consoleErrors()).isEmpty();
            browser.screenshot(browser.find(By.id("sweeps")), Path.of("target/report-browser/sweeps.png"));
        }
    }
}
