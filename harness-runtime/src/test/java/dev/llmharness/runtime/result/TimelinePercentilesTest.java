package dev.llmharness.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmharness.runtime.metrics.Histograms;
import java.io.IOException;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * Per-second latency percentiles in the result JSON: each timeline second holds p50, p90 and p99
 * of its histograms in milliseconds, so that {@code jq} reads them; files written before read with
 * them; merged seconds recompute them from their added histograms.
 */
class TimelinePercentilesTest {
    private static final String ID = "Chat.chat{rate=20}";

    private static RunResult run(long seed, SyntheticResults.Spec spec, String shard) {
        return new RunResult(
                RunResult.SCHEMA_VERSION,
                SyntheticResults.runInfo(shard),
                SyntheticResults.target(),
                List.of(SyntheticResults.trial(spec, seed)),
                false);
    }

    private static double ms(Histogram h, double percentile) {
        return Math.round(h.getValueAtPercentile(percentile) / 1e3) / 1e3;
    }

    @Test
    void everySecondInTheJsonHoldsThePercentilesOfItsHistogramsInMilliseconds() throws IOException {
        RunResult r = run(3, SyntheticResults.Spec.of(ID).rate(20, 5), "0/1");
        JsonNode json = ResultJson.mapper().readTree(ResultJson.toJson(r));
        JsonNode timeline = json.at("/trials/0/timeline");
        assertThat(timeline.size()).isGreaterThanOrEqualTo(5);
        int checked = 0;
        for (JsonNode second : timeline) {
            JsonNode latencies = second.get("latencies");
            for (String metric : List.of("ttft", "itl", "e2e")) {
                if (latencies == null || !latencies.has(metric)) {
                    assertThat(second.at("/percentiles/" + metric).isMissingNode())
                            .isTrue();
                    continue;
                }
                Histogram h = Histograms.decode(latencies.get(metric).asText());
                JsonNode p = second.at("/percentiles/" + metric);
                assertThat(p.get("p50").asDouble()).as(metric).isEqualTo(ms(h, 50));
                assertThat(p.get("p90").asDouble()).as(metric).isEqualTo(ms(h, 90));
                assertThat(p.get("p99").asDouble()).as(metric).isEqualTo(ms(h, 99));
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(10);
        // The synthetic TTFT has a 200 ms median: milliseconds, not nanoseconds.
        assertThat(json.at("/trials/0/timeline/2/percentiles/ttft/p50").asDouble())
                .isBetween(100.0, 400.0);
    }

    @Test
    void aFileWrittenBeforeThePercentilesReadsWithThemComputed() throws IOException {
        RunResult r = run(3, SyntheticResults.Spec.of(ID).rate(20, 5), "0/1");
        ObjectNode json = (ObjectNode) ResultJson.mapper().readTree(ResultJson.toJson(r));
        for (JsonNode second : json.at("/trials/0/timeline")) {
            ((ObjectNode) second).remove("percentiles");
        }
        assertThat(json.toString()).doesNotContain("percentiles");
        RunResult read = ResultJson.parse(json.toString(), "old.json");
        assertThat(read.trials().get(0).timeline()).isEqualTo(r.trials().get(0).timeline());
        assertThat(read.trials().get(0).timeline().get(2).percentiles()).containsKeys("ttft", "itl", "e2e");
    }

    @Test
    void mergedSecondsRecomputeTheirPercentilesFromTheAddedHistogramsNeverAverageThem() {
        RunResult fast = run(3, SyntheticResults.Spec.of(ID).rate(20, 5), "0/2");
        RunResult slow = run(4, SyntheticResults.Spec.of(ID).rate(20, 5).ttftScaled(5), "1/2");
        RunResult merged =
                ResultMerger.merge(List.of(fast, slow), List.of("a.json", "b.json"), ResultMerger.Mode.SHARDS);
        TrialResult.Interval a = fast.trials().get(0).timeline().get(2);
        TrialResult.Interval b = slow.trials().get(0).timeline().get(2);
        TrialResult.Interval m = merged.trials().get(0).timeline().get(2);
        Histogram sum = Histograms.decode(a.latencies().get("ttft"));
        sum.add(Histograms.decode(b.latencies().get("ttft")));
        TrialResult.LatencyPercentiles p = m.percentiles().get("ttft");
        assertThat(p).isEqualTo(new TrialResult.LatencyPercentiles(ms(sum, 50), ms(sum, 90), ms(sum, 99)));
        double averaged =
                (a.percentiles().get("ttft").p99() + b.percentiles().get("ttft").p99()) / 2;
        assertThat(Math.abs(p.p99() - averaged)).isGreaterThan(0.05 * averaged);
        // Runs one after another keep each second whole, its percentiles with it.
        RunResult runs = ResultMerger.merge(
                // Runs are whole runs: a shard is merged with its shards first (ResultMerger refuses it here).
                List.of(
                        run(3, SyntheticResults.Spec.of(ID).rate(20, 5), "0/1"),
                        run(5, SyntheticResults.Spec.of(ID).rate(20, 5), "0/1")),
                List.of("a.json", "b.json"),
                ResultMerger.Mode.RUNS);
        assertThat(runs.trials().get(0).timeline().get(2).percentiles()).isEqualTo(a.percentiles());
    }

    @Test
    void thePercentilesAddLittleToTheFile() {
        RunResult r = run(3, SyntheticResults.Spec.of(ID).rate(20, 30), "0/1");
        int with = ResultJson.toJson(r).length();
        List<TrialResult.Interval> bare = r.trials().get(0).timeline().stream()
                .map(i -> new TrialResult.Interval(
                        i.second(),
                        i.completed(),
                        i.failed(),
                        i.outputTokens(),
                        i.started(),
                        i.inFlightMicros(),
                        i.latencies(),
                        java.util.Map.of()))
                .toList();
        TrialResult t = r.trials().get(0);
        TrialResult without = SyntheticResults.edit(t).timeline(bare).build();
        int before = ResultJson.toJson(new RunResult(r.schemaVersion(), r.run(), r.target(), List.of(without), false))
                .length();
        double perSecond = (double) (with - before) / t.timeline().size();
        System.out.printf(
                "timeline percentiles: %.0f characters per second (file %d -> %d)%n", perSecond, before, with);
        // Three metrics, three numbers each, indented: a few hundred characters a second at most.
        assertThat(perSecond).isGreaterThan(0).isLessThan(600);
    }
}
