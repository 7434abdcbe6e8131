package dev.llmharness.runtime.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.SyntheticResults;
import dev.llmharness.runtime.result.TrialResult;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.md, the step summary and the summary files against committed golden copies (regenerate
 * with {@code -Dllmh.updateGolden=true} and review the diff), and their figures against the result.
 */
class ReportGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/report/golden");

    @TempDir
    Path dir;

    /** Two trials, one with objectives (one missed), from the deterministic synthetic generator. */
    static RunResult oneRun() {
        TrialResult chat = SyntheticResults.trial(
                SyntheticResults.Spec.of("Chat.chat{rate=20}").rate(20, 12), 5);
        SyntheticResults.TrialBuilder b = new SyntheticResults.TrialBuilder("Chat.replay{concurrency=2}", 12);
        java.util.Random random = new java.util.Random(9);
        for (int s = 0; s < 12; s++) {
            for (int r = 0; r < 6; r++) {
                long[] gaps = new long[9];
                java.util.Arrays.fill(gaps, 15_000_000L + random.nextInt(10_000_000));
                b.request(s, 150_000_000L + random.nextInt(200_000_000), 30_000, gaps, 300);
            }
        }
        b.failure(4, "http_5xx").failure(7, "timeout");
        TrialResult replay = b.build(9);
        MetricResult ttft = replay.metrics().get("ttft");
        double p99 = ttft.percentile(99);
        replay = new TrialResult(
                replay.id(),
                replay.benchmark(),
                replay.params(),
                replay.api(),
                replay.load(),
                replay.workload(),
                replay.seed(),
                replay.window(),
                replay.counts(),
                replay.tokens(),
                replay.throughput(),
                replay.errorRate(),
                replay.metrics(),
                List.of(
                        new TrialResult.SloVerdict("ttft p99 <= 2s", 2000, p99, p99 <= 2000),
                        new TrialResult.SloVerdict("errorRate <= 0.01", 0.01, replay.errorRate(), false)),
                replay.timeline(),
                List.of("2 of 74 requests failed (http_5xx 1, timeout 1)"));
        return new RunResult(
                RunResult.SCHEMA_VERSION,
                SyntheticResults.runInfo("0/1"),
                SyntheticResults.target(),
                List.of(chat, replay),
                false);
    }

    private static void golden(Path written, String name) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("llmh.updateGolden")) {
            Files.createDirectories(file.getParent());
            Files.copy(written, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(Files.readString(written)).as(name).isEqualTo(Files.readString(file));
    }

    @Test
    void oneRunsMarkdownStepSummaryAndSummaryFilesMatchTheGoldenCopies() throws IOException {
        Reports.Written w =
                Reports.write(List.of(new ReportInput("latest", oneRun())), dir, AnalysisThresholds.defaults());
        golden(w.markdown(), "one/report.md");
        golden(dir.resolve("step-summary.md"), "one/step-summary.md");
        golden(dir.resolve("summary.csv"), "one/summary.csv");
        golden(dir.resolve("summary.json"), "one/summary.json");
        assertThat(Files.readString(w.markdown())).contains("[report.html](report.html)");
        assertThat(Files.readString(dir.resolve("step-summary.md"))).doesNotContain("report.html");
    }

    @Test
    void aSweepGetsATableOfItsPointsAndItsKneeMatchingTheGoldenCopies() throws IOException {
        RunResult sweep = ReportBrowserTest.sweep();
        Reports.Written w = Reports.write(List.of(new ReportInput("sweep", sweep)), dir, AnalysisThresholds.defaults());
        golden(w.markdown(), "sweep/report.md");
        golden(dir.resolve("step-summary.md"), "sweep/step-summary.md");
        String md = Files.readString(w.markdown());
        var curve = dev.llmharness.runtime.capacity.CapacityCurve.sweepsOf(sweep.trials())
                .get(0);
        assertThat(md).contains("Sweep `" + curve.name() + "`").contains(curve.describe());
        // One row per point, with the point's own figures.
        for (var p : curve.points()) {
            assertThat(md)
                    .contains("| " + dev.llmharness.api.spi.TrialSpec.formatRate(p.offered()) + " | "
                            + String.format(java.util.Locale.ROOT, "%.2f", p.achieved()) + " | ");
        }
    }

    @Test
    void twoTargetsGetPerTargetFilesAndComparisonVerdictsMatchingTheGoldenCopies() throws IOException {
        Reports.Written w = Reports.write(ReportBrowserTest.twoTargets(), dir, AnalysisThresholds.defaults());
        assertThat(w.files())
                .extracting(p -> p.getFileName().toString())
                .containsExactly(
                        "report.html",
                        "report.md",
                        "step-summary.md",
                        "summary.json",
                        "summary.csv",
                        "summary-base.json",
                        "summary-base.csv",
                        "summary-slower.json",
                        "summary-slower.csv");
        golden(w.markdown(), "two/report.md");
        golden(dir.resolve("summary.csv"), "two/summary.csv");
        golden(dir.resolve("summary-slower.csv"), "two/summary-slower.csv");
    }

    @Test
    void everySummaryFigureIsTheResultFilesOwn() throws IOException {
        RunResult run = oneRun();
        Path resultFile = dir.resolve("latest.json");
        ResultJson.write(run, resultFile);
        RunResult read = ResultJson.read(resultFile);
        Reports.write(List.of(new ReportInput("latest", read)), dir.resolve("latest"), AnalysisThresholds.defaults());

        List<CSVRecord> rows = CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(Files.readString(dir.resolve("latest/summary.csv"))))
                .getRecords();
        var json = ResultJson.mapper()
                .readTree(dir.resolve("latest/summary.json").toFile())
                .get("rows");
        assertThat(rows).hasSize(read.trials().size());
        for (int i = 0; i < rows.size(); i++) {
            TrialResult t = read.trials().get(i);
            CSVRecord csv = rows.get(i);
            var j = json.get(i);
            assertThat(csv.get("trial")).isEqualTo(t.id());
            assertThat(Long.parseLong(csv.get("requests"))).isEqualTo(t.counts().sent());
            assertThat(Double.parseDouble(csv.get("p99_latency_ms")))
                    .isEqualTo(t.metrics().get("e2e").p99());
            assertThat(Double.parseDouble(csv.get("mean_ttft_ms")))
                    .isEqualTo(t.metrics().get("ttft").mean());
            assertThat(Double.parseDouble(csv.get("output_tokens_per_second")))
                    .isEqualTo(t.throughput().outputTokensPerSecond());
            assertThat(Long.parseLong(csv.get("total_tokens")))
                    .isEqualTo(t.tokens().input() + t.tokens().output());
            assertThat(j.get("p95_latency_ms").asDouble())
                    .isEqualTo(t.metrics().get("e2e").p95());
            assertThat(j.get("success_rate").asDouble())
                    .isEqualTo((double) t.counts().completed() / t.counts().sent());
            assertThat(j.get("error_rate").asDouble()).isEqualTo(t.errorRate());
            assertThat(SummaryTable.columnNames())
                    .containsExactlyElementsOf(csv.getParser().getHeaderNames());
        }
        String md = Files.readString(dir.resolve("latest/report.md"));
        for (TrialResult t : read.trials()) {
            assertThat(md)
                    .contains("| " + Text.ms(t.metrics().get("e2e").p99()) + " |")
                    .contains("| " + Text.rate(t.throughput().outputTokensPerSecond()) + " |");
        }
    }
}
