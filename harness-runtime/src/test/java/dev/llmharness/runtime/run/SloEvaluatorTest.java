package dev.llmharness.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.spi.LatencyBound;
import dev.llmharness.api.spi.SloMetric;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.runtime.metrics.Histograms;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.TrialResult.SloVerdict;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SloEvaluatorTest {
    @Test
    void verdictsComeFromTheHistogramsPercentilesAndAMissingMetricFails() {
        Histogram ttft = Histograms.newLatency();
        for (int i = 1; i <= 100; i++) {
            ttft.recordValue(i * 10_000_000L); // 10 ms .. 1000 ms
        }
        SloSpec slo = new SloSpec(
                List.of(
                        LatencyBound.parse(SloMetric.TTFT, "p50 <= 600ms"),
                        LatencyBound.parse(SloMetric.TTFT, "p99 <= 900ms"),
                        LatencyBound.parse(SloMetric.TPOT, "p99 <= 50ms")),
                OptionalDouble.of(0.01));
        List<SloVerdict> v = SloEvaluator.evaluate(
                slo,
                Map.of("ttft", MetricResult.ofLatency(ttft), "tpot", MetricResult.ofLatency(Histograms.newLatency())),
                0.02);
        assertThat(v).extracting(SloVerdict::passed).containsExactly(true, false, false, false);
        assertThat(v.get(0).limit()).isEqualTo(600.0);
        assertThat(v.get(0).actual()).isBetween(499.0, 501.0);
        assertThat(v.get(2).actual()).isNull();
        assertThat(v.get(3).objective()).isEqualTo("errorRate <= 0.01");
        assertThat(SloEvaluator.evaluate(new SloSpec(List.of(), OptionalDouble.of(0.5)), Map.of(), null))
                .extracting(SloVerdict::passed)
                .containsExactly(false);
    }
}
