package dev.llmharness.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.llmharness.runtime.metrics.Histograms;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code docs/result-schema.json} describes exactly what {@link ResultJson#write} produces. */
class ResultSchemaTest {
    private static final Path SCHEMA = Path.of("../docs/result-schema.json");
    private static final Path SAMPLE = Path.of("src/test/resources/results/sample-result.json");

    private static JsonSchema schema;
    private static JsonNode schemaTree;

    @BeforeAll
    static void loadSchema() throws IOException {
        schemaTree = ResultJson.mapper().readTree(Files.readString(SCHEMA));
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaTree);
    }

    private static Set<ValidationMessage> validate(JsonNode json) {
        return schema.validate(json);
    }

    private static JsonNode tree(RunResult result) throws IOException {
        return ResultJson.mapper().readTree(ResultJson.toJson(result));
    }

    /** A run with real histograms, an empty metric, SLO verdicts, failures and a closed-loop trial. */
    static RunResult sampleRun() {
        TrialResult open = SyntheticResults.trial(
                SyntheticResults.Spec.of("Chat.chat[rate=20]").rate(20, 10).errors(0.02), 5);
        SyntheticResults.TrialBuilder b = new SyntheticResults.TrialBuilder("Chat.replay[concurrency=2]", 5);
        b.request(0, 180_000_000L, 30_000, new long[] {20_000_000L, 21_000_000L}, 300);
        b.failure(1, "timeout");
        b.slo(new TrialResult.SloVerdict("ttft p99 <= 2s", 2000, 180.0, true, "ttft", 99.0));
        b.slo(new TrialResult.SloVerdict("errorRate <= 0.01", 0.01, 0.5, false, "errorRate", null));
        TrialResult t = b.build(9);
        Map<String, MetricResult> metrics = new LinkedHashMap<>(t.metrics());
        metrics.put("requestBuild", MetricResult.ofLatency(Histograms.newLatency()));
        TrialResult closed = new TrialResult(
                        t.id(),
                        "Chat.replay",
                        Map.of("concurrency", "2"),
                        t.api(),
                        new TrialResult.LoadInfo("closed", null, null, null, 2, 0.0, null, null, "closed 2 workers"),
                        new TrialResult.WorkloadInfo("dataset", "SHAREGPT data/sharegpt.json", "cl100k_base"),
                        t.seed(),
                        t.window(),
                        t.counts(),
                        t.tokens(),
                        new TrialResult.Throughput(0.2, 0.6, 60.6, 0.2),
                        t.errorRate(),
                        metrics,
                        t.slo(),
                        t.timeline(),
                        List.of("harness overload: dispatch lag p99 above 1 ms"))
                .withHarnessLimit(t.harnessLimit());
        return new RunResult(
                RunResult.SCHEMA_VERSION,
                SyntheticResults.runInfo("0/1"),
                SyntheticResults.target(),
                List.of(open, closed),
                false);
    }

    @Test
    void resultsBuiltFromRealHistogramsValidate() throws IOException {
        RunResult run = sampleRun();
        assertThat(validate(tree(run))).isEmpty();
        assertThat(run.trials().get(1).metrics().get("requestBuild").p99()).isNull();
    }

    @Test
    void mergedResultsValidate() throws IOException {
        RunResult a = sampleRun();
        RunResult merged = ResultMerger.merge(List.of(a, a), List.of("a.json", "b.json"), ResultMerger.Mode.RUNS);
        assertThat(validate(tree(merged))).isEmpty();
    }

    @Test
    void theCommittedSampleFileIsWhatTheWriterProducesAndValidates() throws IOException {
        if (Boolean.getBoolean("llmh.updateGolden")) {
            ResultJson.write(sampleRun(), SAMPLE);
        }
        RunResult read = ResultJson.read(SAMPLE);
        assertThat(read).isEqualTo(sampleRun());
        assertThat(validate(ResultJson.mapper().readTree(Files.readString(SAMPLE))))
                .isEmpty();
        assertThat(read.trials().get(0).metrics().get("ttft").histogram()).startsWith("HISTF");
    }

    @Test
    void aWindowWithTheHarnessThreadsFigureValidatesAndOneWithANegativeWaitDoesNot() throws IOException {
        RunResult run = sampleRun();
        TrialResult measured = run.trials()
                .get(0)
                .withHarnessThreads(
                        TrialResult.HarnessThreads.of(30_001_000_000L, 2_841_512_000L, 95_203_000L, 61_022));
        JsonNode json = tree(new RunResult(
                run.schemaVersion(),
                run.run(),
                run.target(),
                List.of(measured, run.trials().get(1)),
                false));
        assertThat(json.at("/trials/0/window/harnessThreads/timeslices").asLong())
                .isEqualTo(61_022);
        assertThat(json.at("/trials/1/window/harnessThreads").isNull()).isTrue();
        assertThat(validate(json)).isEmpty();

        ((ObjectNode) json.at("/trials/0/window/harnessThreads")).put("runQueueWaitMs", -1.0);
        assertThat(validate(json))
                .extracting(ValidationMessage::getInstanceLocation)
                .map(Object::toString)
                .anyMatch(location -> location.contains("runQueueWaitMs"));
    }

    @Test
    void aNaNWrittenByJacksonDoesNotValidate() throws IOException {
        RunResult run = sampleRun();
        TrialResult t = run.trials().get(0);
        TrialResult broken = SyntheticResults.edit(t)
                .throughput(new TrialResult.Throughput(Double.NaN, 1, 1, null))
                .build();
        JsonNode json = tree(new RunResult(run.schemaVersion(), run.run(), run.target(), List.of(broken), false));
        assertThat(json.at("/trials/0/throughput/requestsPerSecond").asText()).isEqualTo("NaN");
        assertThat(validate(json))
                .extracting(ValidationMessage::getInstanceLocation)
                .map(Object::toString)
                .anyMatch(location -> location.contains("requestsPerSecond"));
    }

    @Test
    void aNaNSummaryValueDoesNotValidate() throws IOException {
        ObjectNode json = (ObjectNode) tree(sampleRun());
        ((ObjectNode) json.at("/trials/0/metrics/ttft")).put("p99", "NaN");
        assertThat(validate(json)).isNotEmpty();
    }

    @Test
    void aMissingRequiredFieldDoesNotValidate() throws IOException {
        ObjectNode json = (ObjectNode) tree(sampleRun());
        ((ObjectNode) ((ArrayNode) json.get("trials")).get(0)).remove("counts");
        assertThat(validate(json)).extracting(ValidationMessage::getMessage).anyMatch(m -> m.contains("counts"));
    }

    @Test
    void aHistogramThatIsNotHdrHistogramBase64DoesNotValidate() throws IOException {
        ObjectNode json = (ObjectNode) tree(sampleRun());
        ((ObjectNode) json.at("/trials/0/metrics/itl")).put("histogram", "not a histogram");
        assertThat(validate(json)).isNotEmpty();
    }

    @Test
    void theSchemaNamesEveryRecordComponentAndNothingElse() {
        Map<String, Class<? extends Record>> defs = new LinkedHashMap<>();
        defs.put("RunInfo", RunInfo.class);
        defs.put("TargetInfo", TargetInfo.class);
        defs.put("MergeInfo", MergeInfo.class);
        defs.put("MergeInput", MergeInfo.Input.class);
        defs.put("TrialResult", TrialResult.class);
        defs.put("LoadInfo", TrialResult.LoadInfo.class);
        defs.put("WorkloadInfo", TrialResult.WorkloadInfo.class);
        defs.put("WindowInfo", TrialResult.WindowInfo.class);
        defs.put("HarnessThreads", TrialResult.HarnessThreads.class);
        defs.put("Counts", TrialResult.Counts.class);
        defs.put("FailureMessages", TrialResult.FailureMessages.class);
        defs.put("FailureMessage", TrialResult.FailureMessage.class);
        defs.put("Tokens", TrialResult.Tokens.class);
        defs.put("Throughput", TrialResult.Throughput.class);
        defs.put("SloVerdict", TrialResult.SloVerdict.class);
        defs.put("Interval", TrialResult.Interval.class);
        defs.put("LatencyPercentiles", TrialResult.LatencyPercentiles.class);
        defs.put("MetricResult", MetricResult.class);
        defs.put("HarnessLimit", HarnessLimit.class);
        List<String> mismatches = new ArrayList<>();
        defs.forEach((name, type) -> {
            JsonNode def = schemaTree.at("/$defs/" + name);
            check(name, type, def, mismatches);
        });
        check("(root)", RunResult.class, schemaTree, mismatches);
        assertThat(mismatches).isEmpty();
    }

    private static void check(String name, Class<? extends Record> type, JsonNode def, List<String> mismatches) {
        Set<String> components = new TreeSet<>();
        for (RecordComponent c : type.getRecordComponents()) {
            components.add(c.getName());
        }
        Set<String> properties = new TreeSet<>();
        def.get("properties").fieldNames().forEachRemaining(properties::add);
        if (!components.equals(properties)) {
            mismatches.add(name + ": record " + components + " vs schema " + properties);
        }
        if (!def.get("additionalProperties").isBoolean()
                || def.get("additionalProperties").asBoolean()) {
            mismatches.add(name + ": additionalProperties must be false");
        }
    }
}
