package dev.llmharness.runtime.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.SyntheticResults;
import dev.llmharness.runtime.result.TrialResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnalysisTest {
    private static final List<String> SLO_METRICS = List.of("ttft", "itl", "tpot", "e2e");

    /** The trial with its SLO verdicts replaced, each evaluated on the trial's own histograms. */
    private static TrialResult withSlo(TrialResult t, List<TrialResult.SloVerdict> slo) {
        return SyntheticResults.withSlo(t, slo);
    }

    private static TrialResult.SloVerdict latencySlo(TrialResult t, String metric, int percentile, double limitMs) {
        Double actual = t.metrics().get(metric).percentile(percentile);
        return new TrialResult.SloVerdict(
                metric + " p" + percentile + " <= " + limitMs + "ms",
                limitMs,
                actual,
                actual != null && actual <= limitMs);
    }

    @Test
    void theAnalysisNeverContradictsTheSloVerdicts() {
        Random random = new Random(3);
        AnalysisThresholds defaults = AnalysisThresholds.defaults();
        int failedSlos = 0;
        int passedSlos = 0;
        for (int round = 0; round < 60; round++) {
            // Latencies from fast to far beyond the default limits, with and without errors.
            double scale = Math.pow(10, random.nextDouble() * 2.5);
            TrialResult t = SyntheticResults.trial(
                    SyntheticResults.Spec.of("T.t[round=" + round + "]")
                            .rate(10, 12)
                            .ttftScaled(scale)
                            .itlScaled(scale)
                            .errors(random.nextDouble() < 0.5 ? 0 : random.nextDouble() * 0.2),
                    round);
            List<TrialResult.SloVerdict> slo = new ArrayList<>();
            for (String metric : SLO_METRICS) {
                if (random.nextBoolean()) {
                    MetricResult m = t.metrics().get(metric);
                    // A limit near the measured p99, so that about half of the objectives fail.
                    slo.add(latencySlo(t, metric, 99, m.p99() * (0.5 + random.nextDouble())));
                }
            }
            if (random.nextBoolean()) {
                double max = random.nextDouble() * 0.1;
                slo.add(new TrialResult.SloVerdict("errorRate <= " + max, max, t.errorRate(), t.errorRate() <= max));
            }
            TrialResult trial = withSlo(t, slo);
            List<Analysis.Finding> findings = Analysis.analyse(trial, defaults);
            for (TrialResult.SloVerdict v : slo) {
                String metric = v.objective().substring(0, v.objective().indexOf(' '));
                List<Analysis.Finding> about = findings.stream()
                        .filter(f -> f.check().startsWith("slo: " + metric + " ")
                                || f.check().equals(metric)
                                || f.check().startsWith(metric + "P"))
                        .toList();
                if (v.passed()) {
                    passedSlos++;
                    assertThat(about)
                            .as("%s passed its SLO %s: nothing about it may FAIL", trial.id(), v.objective())
                            .noneMatch(f -> f.level() == Analysis.Level.FAIL);
                } else {
                    failedSlos++;
                    assertThat(about)
                            .as(
                                    "%s missed its SLO %s: a FAIL says so and nothing about it PASSes",
                                    trial.id(), v.objective())
                            .anyMatch(f -> f.level() == Analysis.Level.FAIL)
                            .noneMatch(f -> f.level() == Analysis.Level.PASS);
                }
            }
        }
        assertThat(failedSlos).as("the sample exercises failed objectives").isGreaterThan(20);
        assertThat(passedSlos).as("and passed ones").isGreaterThan(20);
    }

    @Test
    void withoutAnSloTheDefaultLimitsDecideAndTheLinesNameTheFigures() {
        TrialResult fast =
                SyntheticResults.trial(SyntheticResults.Spec.of("T.fast").rate(20, 12), 1);
        List<Analysis.Finding> ok = Analysis.analyse(fast, AnalysisThresholds.defaults());
        assertThat(ok)
                .extracting(Analysis.Finding::check)
                .contains("errorRate", "ttftP90", "itlP99", "e2eP90", "saturation");
        assertThat(ok).allMatch(f -> f.level() == Analysis.Level.PASS);
        assertThat(ok.get(1).line()).startsWith("PASS     TTFT p90 is excellent (");

        // TTFT median 200 ms x 30 = 6 s: beyond the 5 s FAIL limit; 10 % errors beyond 5 %.
        TrialResult slow = SyntheticResults.trial(
                SyntheticResults.Spec.of("T.slow").rate(20, 12).ttftScaled(30).errors(0.10), 2);
        List<Analysis.Finding> bad = Analysis.analyse(slow, AnalysisThresholds.defaults());
        assertThat(bad)
                .filteredOn(f -> f.check().equals("ttftP90"))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.level()).isEqualTo(Analysis.Level.FAIL);
                    assertThat(f.text()).contains("> 5.00 s");
                });
        assertThat(bad)
                .filteredOn(f -> f.check().equals("errorRate"))
                .singleElement()
                .satisfies(f -> assertThat(f.level()).isEqualTo(Analysis.Level.FAIL));
    }

    @Test
    void aLoadTheServerCannotFollowIsCalledSaturated() {
        // TTFT grows tenfold from the first third of the window to the last: a queue that builds.
        SyntheticResults.TrialBuilder b = new SyntheticResults.TrialBuilder("T.queue", 12);
        Random random = new Random(5);
        for (int s = 0; s < 12; s++) {
            for (int r = 0; r < 20; r++) {
                long ttft = (long) (100e6 * Math.pow(1.25, s) * (0.9 + 0.2 * random.nextDouble()));
                b.request(s, ttft, 50_000, new long[] {20_000_000L, 20_000_000L}, 100);
            }
        }
        List<Analysis.Finding> findings = Analysis.analyse(b.build(1), AnalysisThresholds.defaults());
        assertThat(findings)
                .filteredOn(f -> f.check().equals("saturation"))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.level()).isEqualTo(Analysis.Level.FAIL);
                    assertThat(f.text()).startsWith("Saturated:");
                });
    }

    @Test
    void thresholdsComeFromPropertiesAndBadOnesAreOneClearLine() {
        Properties p = new Properties();
        p.setProperty("llmh.analysis.ttftP90", "200ms, 1s");
        p.setProperty("llmh.analysis.errorRate", "0.001,0.002");
        AnalysisThresholds t = AnalysisThresholds.fromProperties(p);
        assertThat(t.latency().get(0).limitsMs()).isEqualTo(new AnalysisThresholds.Limits(200, 1000));
        assertThat(t.errorRate()).isEqualTo(new AnalysisThresholds.Limits(0.001, 0.002));
        assertThat(t.saturation()).isEqualTo(AnalysisThresholds.defaults().saturation());

        p.setProperty("llmh.analysis.itlP99", "2s");
        assertThatThrownBy(() -> AnalysisThresholds.fromProperties(p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("llmh.analysis.itlP99=\"2s\": write the warn and the fail limit separated by a comma,"
                        + " e.g. -Dllmh.analysis.itlP99=500ms,2s");
        p.setProperty("llmh.analysis.itlP99", "2s,1s");
        assertThatThrownBy(() -> AnalysisThresholds.fromProperties(p))
                .hasMessageContaining("must be >= 0 and at most the fail limit");
    }

    @Test
    void annotationLimitsReplaceTheDefaultsForTheirTrialAndAPropertyStillWins() {
        // TTFT p90 about 300 ms: PASS by the default (1 s), WARNING under @AnalysisLimits(ttftP90 = "100ms,2s").
        TrialResult t = SyntheticResults.trial(SyntheticResults.Spec.of("T.t").rate(10, 12), 5);
        TrialResult limited = SyntheticResults.edit(t)
                .analysis(java.util.Map.of("ttftP90", "100ms,2s"))
                .build();
        AnalysisThresholds defaults = AnalysisThresholds.defaults();
        assertThat(level(Analysis.analyse(t, defaults), "TTFT p90")).isEqualTo(Analysis.Level.PASS);
        assertThat(level(Analysis.analyse(limited, defaults), "TTFT p90")).isEqualTo(Analysis.Level.WARNING);
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("llmh.analysis.ttftP90", "5s,10s");
        AnalysisThresholds byProperty = AnalysisThresholds.fromProperties(properties);
        assertThat(byProperty
                        .forTrial(limited.analysis(), properties)
                        .latency()
                        .get(0)
                        .limitsMs())
                .isEqualTo(new AnalysisThresholds.Limits(5_000, 10_000));
        assertThat(defaults.forTrial(limited.analysis(), new java.util.Properties())
                        .latency()
                        .get(0)
                        .limitsMs())
                .isEqualTo(new AnalysisThresholds.Limits(100, 2_000));
        // The limits travel with the result file, so that llmh report applies them later.
        // Beside a trial without limits (another trial: a file lists each trial once).
        TrialResult other =
                SyntheticResults.trial(SyntheticResults.Spec.of("T.u").rate(10, 12), 5);
        String json = dev.llmharness.runtime.result.ResultJson.toJson(new dev.llmharness.runtime.result.RunResult(
                1, SyntheticResults.runInfo("0/1"), SyntheticResults.target(), List.of(limited, other), false));
        assertThat(json).containsOnlyOnce("\"analysis\"");
        assertThat(dev.llmharness.runtime.result.ResultJson.parse(json, "test")
                        .trials()
                        .get(0)
                        .analysis())
                .isEqualTo(java.util.Map.of("ttftP90", "100ms,2s"));
    }

    @Test
    void theHarnessFindingFollowsTheTrialsHarnessLimitField() {
        TrialResult t = SyntheticResults.trial(SyntheticResults.Spec.of("T.t").rate(8, 10), 3);
        java.util.function.Function<TrialResult, List<String>> harness =
                trial -> Analysis.analyse(trial, AnalysisThresholds.defaults()).stream()
                        .filter(f -> f.check().equals("harness"))
                        .map(Analysis.Finding::text)
                        .toList();
        assertThat(harness.apply(t.withHarnessLimit(dev.llmharness.runtime.result.HarnessLimit.of(80, 2))))
                .isEmpty();
        assertThat(harness.apply(t.withHarnessLimit(dev.llmharness.runtime.result.HarnessLimit.of(80, 3))))
                .containsExactly("Harness-limited: dispatch lag above 1 ms in 3 of 80 measured requests (at most 2"
                        + " allowed): the harness, not the server, may be limiting this measurement");
    }

    private static Analysis.Level level(List<Analysis.Finding> findings, String subject) {
        return findings.stream()
                .filter(f -> f.text().contains(subject))
                .findFirst()
                .orElseThrow()
                .level();
    }
}
