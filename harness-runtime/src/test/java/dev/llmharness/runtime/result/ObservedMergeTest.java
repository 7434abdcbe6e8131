package dev.llmharness.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.observe.CostModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The merge rules of server metrics and cost (see {@link ResultMerger}). */
class ObservedMergeTest {
    private static final CostModel PROPORTIONAL =
            new CostModel(dev.llmharness.api.Cost.Allocation.PROPORTIONAL, 98.32, 8, 1, 0.6, 1);

    private static ServerMetrics server(String source) {
        return new ServerMetrics(
                List.of(source),
                List.of("vllm"),
                1.0,
                2,
                0,
                List.of(0.0, 1.0),
                Map.of("waiting", java.util.Arrays.asList(1.0, 2.0)),
                Map.of(),
                null,
                null,
                null);
    }

    private static RunResult run(long seed, ServerMetrics server, CostModel cost) {
        RunResult r = SyntheticResults.run(seed, SyntheticResults.Spec.of("chat"));
        TrialResult t = r.trials().get(0);
        TrialResult observed = t.withObservations(server, cost == null ? null : cost.price(t.throughput()), List.of());
        return new RunResult(r.schemaVersion(), r.run(), r.target(), List.of(observed), false);
    }

    @Test
    void runsKeepTheFirstServerViewAndRepriceTheMergedThroughput() {
        RunResult merged = ResultMerger.merge(
                List.of(
                        run(1, server("http://a/metrics"), PROPORTIONAL),
                        run(2, server("http://b/metrics"), PROPORTIONAL)),
                List.of("a.json", "b.json"),
                ResultMerger.Mode.RUNS);
        TrialResult m = merged.trials().get(0);
        assertThat(m.server().sources()).containsExactly("http://a/metrics");
        assertThat(m.warnings()).contains("server metrics do not add across inputs: only the first input's are kept");
        Cost expected = PROPORTIONAL.price(m.throughput());
        assertThat(m.cost().costPerHour()).isEqualTo(expected.costPerHour());
        assertThat(m.cost().costPerMillionOutputTokens())
                .isCloseTo(expected.costPerMillionOutputTokens(), org.assertj.core.data.Offset.offset(1e-3));
        assertThat(m.cost().outputTokensPerDollar())
                .isCloseTo(expected.outputTokensPerDollar(), org.assertj.core.data.Percentage.withPercentage(0.001));
    }

    @Test
    void differentlyPricedInputsMergeToNoCostWithAWarning() {
        CostModel full = new CostModel(dev.llmharness.api.Cost.Allocation.FULL_INSTANCE, 98.32, 8, 1, 0.6, 1);
        RunResult merged = ResultMerger.merge(
                List.of(run(1, null, PROPORTIONAL), run(2, null, full)),
                List.of("a.json", "b.json"),
                ResultMerger.Mode.RUNS);
        TrialResult m = merged.trials().get(0);
        assertThat(m.cost()).isNull();
        assertThat(m.server()).isNull();
        assertThat(m.warnings())
                .contains("the inputs priced different deployments (or some none): the merged trial has no cost");
    }

    @Test
    void aResultWithServerMetricsAndCostRoundTripsThroughItsFileAndValidates() throws Exception {
        RunResult r = run(3, server("http://a/metrics"), PROPORTIONAL);
        RunResult read = ResultJson.parse(ResultJson.toJson(r), "test");
        assertThat(read.trials().get(0).server()).isEqualTo(r.trials().get(0).server());
        assertThat(read.trials().get(0).cost()).isEqualTo(r.trials().get(0).cost());
        com.fasterxml.jackson.databind.JsonNode schema = ResultJson.mapper()
                .readTree(java.nio.file.Files.readString(java.nio.file.Path.of("../docs/result-schema.json")));
        assertThat(com.networknt.schema.JsonSchemaFactory.getInstance(
                                com.networknt.schema.SpecVersion.VersionFlag.V202012)
                        .getSchema(schema)
                        .validate(ResultJson.mapper().readTree(ResultJson.toJson(r))))
                .isEmpty();
    }
}
