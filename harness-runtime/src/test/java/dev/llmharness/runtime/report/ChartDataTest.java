package dev.llmharness.runtime.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.result.SyntheticResults;
import dev.llmharness.runtime.result.TrialResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The charts plot the result's own figures (to their 4 significant digits). */
class ChartDataTest {
    private static Chart chart(List<Chart> charts, String id) {
        return charts.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void percentilePointsAreTheHistogramsPercentilesAndTimeSeriesTheTimelines() {
        TrialResult t = SyntheticResults.trial(SyntheticResults.Spec.of("T.t").rate(30, 20), 4);
        List<Chart> charts = ChartData.trialCharts("t0-", List.of(new ChartData.Part(0, "run", t)));

        Chart ttft = chart(charts, "t0-pct-ttft");
        // x = 1 / (1 - q): 10 is p90, 100 is p99, 10 points per decade, up to the sample count.
        assertThat(ttft.x()).startsWith(1.0).contains(10.0, 100.0);
        assertThat(ttft.x())
                .hasSize(ChartData.percentileAxis(t.metrics().get("ttft").count())
                        .size());
        List<Double> values = ttft.series().get(0).values();
        assertThat(values.get(ttft.x().indexOf(10.0)))
                .isEqualTo(ChartData.round(t.metrics().get("ttft").p90()));
        assertThat(values.get(ttft.x().indexOf(100.0)))
                .isEqualTo(ChartData.round(t.metrics().get("ttft").p99()));
        assertThat(values.get(values.size() - 1))
                .isEqualTo(ChartData.round(t.metrics().get("ttft").max()));

        Chart cdf = chart(charts, "t0-cdf-e2e");
        List<Double> fractions = cdf.series().get(0).values();
        assertThat(fractions.get(fractions.size() - 1)).isEqualTo(1.0);
        assertThat(fractions).isSorted();

        Chart rate = chart(charts, "t0-rate");
        assertThat(rate.x()).hasSize(t.timeline().size());
        assertThat(rate.series())
                .extracting(Chart.Series::label)
                .containsExactly("offered/s", "achieved/s", "errors/s");
        for (int s = 0; s < t.timeline().size(); s++) {
            TrialResult.Interval i = t.timeline().get(s);
            assertThat(rate.series().get(0).values().get(s)).isEqualTo((double) i.started());
            assertThat(rate.series().get(1).values().get(s)).isEqualTo((double) i.completed());
            assertThat(chart(charts, "t0-tokens").series().get(0).values().get(s))
                    .isEqualTo(ChartData.round(i.outputTokens()));
            assertThat(chart(charts, "t0-inflight").series().get(0).values().get(s))
                    .isEqualTo(ChartData.round(i.meanInFlight()));
        }
        assertThat(chart(charts, "t0-lat-itl").series())
                .extracting(Chart.Series::label)
                .containsExactly("p50", "p90", "p99");
    }
}
