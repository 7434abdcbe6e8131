package dev.llmharness.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry is the one place that knows each metric the recorder keeps. */
class MetricTest {
    @Test
    void everyHistogramTheRecorderKeepsIsARegisteredDistribution() {
        List<String> kept = new ArrayList<>(TrialRecorder.METRICS);
        kept.addAll(TrialRecorder.OPTIONAL_METRICS);
        assertThat(kept).doesNotHaveDuplicates();
        for (String name : kept) {
            assertThat(Metric.byKey(name))
                    .as(name)
                    .hasValueSatisfying(m -> assertThat(m.isDistribution()).isTrue());
        }
    }

    /**
     * The recorder chose a histogram by its name ending in "Tokens" before the optional metrics were
     * registered: the registry's kinds give the same units, so result files do not change.
     */
    @Test
    void theRegistryGivesTheUnitsTheNamesUsedToDecide() {
        List<Metric> all = new ArrayList<>(Metric.distributions());
        all.addAll(Metric.optionalDistributions());
        for (Metric m : all) {
            boolean tokens = m.key().endsWith("Tokens");
            assertThat(m.unit()).as(m.key()).isEqualTo(tokens ? "tokens" : "ms");
            assertThat(m.histogramUnit()).as(m.key()).isEqualTo(tokens ? "tokens" : "ns");
            assertThat(m.newHistogram().getHighestTrackableValue())
                    .as(m.key())
                    .isEqualTo((tokens ? Histograms.newTokens() : Histograms.newLatency()).getHighestTrackableValue());
        }
    }

    @Test
    void chartTitlesComeFromTheRegistry() {
        assertThat(Metric.TTFT.title()).isEqualTo("TTFT");
        assertThat(Metric.E2E.title()).isEqualTo("E2E latency");
        assertThat(Metric.SERVER_TPOT.title()).isEqualTo("serverTpot");
    }
}
