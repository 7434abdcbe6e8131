package dev.llmharness.runtime.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.metrics.Histograms;
import dev.llmharness.runtime.metrics.TrialRecorder;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.TrialResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static String progressLine(ProgressSample sample) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressReporter r = ProgressReporter.start(Duration.ofMillis(50), () -> sample, out)) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!bytes.toString(StandardCharsets.UTF_8).contains("\n") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
    }

    @Test
    void progressLinesShowPhaseTimeLeftInFlightRatesErrorRatePercentilesAndLag() throws Exception {
        TrialRecorder.Snapshot snap = new TrialRecorder.Snapshot(100, 90, 2, 900, 210_300_000L, 388_000_000L, 200_000L);
        String line = progressLine(new ProgressSample(
                "t{rate=1}",
                "at 10 req/s",
                ProgressSample.Phase.MEASUREMENT,
                12_000_000_000L,
                48_000_000_000L,
                -1,
                31,
                snap));
        assertThat(line)
                .startsWith("[t{rate=1} at 10 req/s] measurement 12.0s, 48.0s left  in flight 31  ")
                .contains("req/s")
                .contains("tok/s")
                .contains("errors 2 (2.2%)")
                .contains("TTFT p50 210.3ms p99 388.0ms")
                .endsWith("lag p99 0.2ms");
    }

    @Test
    void progressLinesNameEveryPhaseAndCountedWindows() throws Exception {
        TrialRecorder.Snapshot empty = new TrialRecorder.Snapshot(0, 0, 0, 0, -1, -1, -1);
        assertThat(progressLine(new ProgressSample(
                        "t", "", ProgressSample.Phase.WARMUP, 1_000_000_000L, 9_000_000_000L, -1, 3, empty)))
                .startsWith("[t] warmup 1.0s, 9.0s left  in flight 3  ")
                .contains("errors 0 (-)")
                .contains("TTFT p50 - p99 -");
        assertThat(progressLine(new ProgressSample("t", "", ProgressSample.Phase.MEASUREMENT, 0, -1, 40, 3, empty)))
                .startsWith("[t] measurement 0.0s, 40 requests left  ");
        assertThat(progressLine(new ProgressSample(
                        "t", "", ProgressSample.Phase.DRAIN, 70_000_000_000L, 4_500_000_000L, -1, 2, empty)))
                .startsWith("[t] drain 70.0s, 4.5s left  in flight 2  ");
    }

    @Test
    void trialTableShowsVerdictsAndWarnings() {
        Histogram h = Histograms.newLatency();
        h.recordValue(5_000_000L);
        TrialResult r = new TrialResult(
                "b.m{rate=2}",
                "b.m",
                Map.of("rate", "2"),
                "OPENAI_CHAT",
                new TrialResult.LoadInfo("open", "POISSON", 2.0, 0, null, null, null, 1.0, "open POISSON 2 req/s"),
                new TrialResult.WorkloadInfo("shape", "CHAT: input 256, output 128", "cl100k_base"),
                42,
                new TrialResult.WindowInfo("2026-01-01T00:00:00Z", 1, 10, 0.5),
                new TrialResult.Counts(20, 19, 1, 0, Map.of("http_429", 1L), 0),
                new TrialResult.Tokens(100, 200, 256, "usage"),
                new TrialResult.Throughput(1.9, 20, 30, null),
                0.05,
                Map.of("ttft", MetricResult.ofLatency(h)),
                List.of(
                        new TrialResult.SloVerdict("ttft p99 <= 2s", 2000, 5.0, true, "ttft", 99.0),
                        new TrialResult.SloVerdict("errorRate <= 0.01", 0.01, 0.05, false, "errorRate", null)),
                List.of(),
                List.of("1 of 20 requests failed (http_429 1)"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleReport.printTrial(new PrintStream(bytes, true, StandardCharsets.UTF_8), r);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("== b.m{rate=2}")
                .contains("sent 20, completed 19, failed 1, cancelled 0")
                .contains("PASS  ttft p99 <= 2s (actual 5.000 ms)")
                .contains("FAIL  errorRate <= 0.01 (actual 5.00 %)")
                .contains("WARNING 1 of 20 requests failed (http_429 1)");
    }

    @Test
    void failureMessagesArePrintedWithTheirCountsUnderTheirCategory() {
        TrialResult.Counts c = new TrialResult.Counts(
                9,
                0,
                9,
                0,
                Map.of("protocol", 5L, "http_5xx", 4L),
                0,
                Map.of(
                        "protocol",
                        new TrialResult.FailureMessages(
                                List.of(new TrialResult.FailureMessage(
                                        "expected a text/event-stream answer, got application/json",
                                        "expected a text/event-stream answer, got application/json",
                                        5)),
                                0),
                        "http_5xx",
                        new TrialResult.FailureMessages(
                                List.of(new TrialResult.FailureMessage("HTTP 500: <n>", "HTTP 500: 17", 3)), 1)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleReport.printFailureMessages(new PrintStream(bytes, true, StandardCharsets.UTF_8), c);
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .contains(
                        "   failure messages:",
                        "     protocol               5  expected a text/event-stream answer, got application/json",
                        "     http_5xx               3  HTTP 500: <n>",
                        "     http_5xx               1  (other messages, beyond the 1 kept)");
    }

    @Test
    void theSummaryCountsHarnessLimitedTrialsFromTheirField() {
        TrialResult t = dev.llmharness.runtime.result.SyntheticResults.trial(
                dev.llmharness.runtime.result.SyntheticResults.Spec.of("T").rate(8, 10), 1);
        java.util.function.Function<List<TrialResult>, String> summary = trials -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ConsoleReport.printSummary(
                    new PrintStream(bytes, true, StandardCharsets.UTF_8),
                    new dev.llmharness.runtime.result.RunResult(
                            1,
                            dev.llmharness.runtime.result.SyntheticResults.runInfo("0/1"),
                            dev.llmharness.runtime.result.SyntheticResults.target(),
                            trials,
                            false),
                    java.nio.file.Path.of("r.json"));
            return bytes.toString(StandardCharsets.UTF_8).strip();
        };
        TrialResult limited = t.withHarnessLimit(dev.llmharness.runtime.result.HarnessLimit.of(80, 3));
        assertThat(summary.apply(List.of(t, t)))
                .isEqualTo("2 trial(s), 0 SLO objective(s) failed; result written to r.json");
        assertThat(summary.apply(List.of(t, limited)))
                .isEqualTo("2 trial(s), 0 SLO objective(s) failed, 1 harness-limited (llmh promote refuses the"
                        + " result without --force); result written to r.json");
    }
}
