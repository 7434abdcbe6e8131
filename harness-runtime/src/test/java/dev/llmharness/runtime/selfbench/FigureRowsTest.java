package dev.llmharness.runtime.selfbench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.TrialResult;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The rows of figures of the spike and of a step, from one fixed set of request records and ground
 * truth, are those the methods wrote before their rows were built in one place ({@link FigureRow}):
 * the golden file {@code selfbench/figure-rows.json} was written by the code before. The figures
 * that read this machine (CPU, heap, load average) are left out of the comparison.
 */
class FigureRowsTest {
    private static final Path GOLDEN = Path.of("src/test/resources/selfbench/figure-rows.json");

    /** Fields whose value comes from the machine the test runs on, not from the records. */
    private static final List<String> MACHINE =
            List.of("harnessCpu", "simulatorCpu", "heapUsedMaxMb", "heapMaxMb", "cpuMillisPerRequest", "loadAverage");

    @Test
    void spikeAndStepRowsAreWhatTheyWere() throws Exception {
        SimSetup setup = SimSetup.zero();
        SelfBenchConfig config = SelfBenchConfig.spike();
        // Far from now: the sampler's own samples fall outside every span, whatever the machine.
        long trialStart = System.nanoTime() + Duration.ofHours(1).toNanos();
        SpikePlan plan = new SpikePlan(2, 8, Duration.ofSeconds(1), Duration.ofSeconds(2));
        List<RequestTiming> timings = new ArrayList<>();
        List<GroundTruthClient.Truth> truth = new ArrayList<>();
        Histogram lag = new Histogram(3);
        Histogram build = new Histogram(3);
        for (int i = 0; i < 60; i++) {
            long intended = trialStart + i * 110_000_000L;
            RequestTiming t = new RequestTiming(i, intended, intended - trialStart >= 1_000_000_000L);
            long sent = intended + 20_000L + i * 7_000L;
            t.setBuildNanos(30_000L + i * 1_000L);
            t.markSent(sent);
            long[] written = new long[4];
            for (int k = 0; k < 4; k++) {
                written[k] = sent + 400_000L + k * 1_000_000L + (i % 3) * 5_000L;
                t.onContentEvent(written[k] + 60_000L + k * k * 3_000L + (i % 5) * 11_000L, 1);
            }
            t.complete(written[3] + 200_000L);
            timings.add(t);
            lag.recordValue(sent - intended);
            build.recordValue(t.buildNanos());
            if (i % 7 != 0) {
                truth.add(new GroundTruthClient.Truth(
                        Long.toString(i), "completed", sent + 150_000L, written[0], written));
            }
        }
        TrialResult result = new TrialResult(
                "id",
                StepRunner.BENCHMARK,
                Map.of(),
                "OPENAI_CHAT",
                null,
                null,
                42,
                null,
                new TrialResult.Counts(51, 51, 0, 0, Map.of(), 0),
                null,
                new TrialResult.Throughput(8.5, 34, 50, null),
                0.0,
                Map.of(
                        "dispatchLag", MetricResult.of(Metric.DISPATCH_LAG, lag),
                        "requestBuild", MetricResult.of(Metric.REQUEST_BUILD, build)),
                List.of(),
                List.of(),
                List.of());
        try (ResourceSampler sampler = new ResourceSampler(-1)) {
            StepRunner.TrialRun run = new StepRunner.TrialRun(
                    result,
                    trialStart,
                    trialStart + 1_000_000_000L,
                    trialStart + 7_000_000_000L,
                    timings,
                    truth,
                    sampler,
                    23,
                    5);
            List<StepFigures> rows = new ArrayList<>();
            for (SpikePlan.Part part : plan.parts()) {
                rows.add(SpikePlan.figures(part, setup, run, 0, config.outputTokens(), 1.25));
            }
            rows.add(new StepRunner(
                            config, setup, "http://127.0.0.1:1", -1, new PrintStream(PrintStream.nullOutputStream()))
                    .figures("open", 8, run));
            String json = ResultJson.mapper().writeValueAsString(withoutMachine(rows));
            if (Boolean.getBoolean("llmh.writeGolden")) {
                Files.writeString(GOLDEN, json + "\n");
            }
            assertThat(json).isEqualTo(Files.readString(GOLDEN).strip());
        }
    }

    private static List<ObjectNode> withoutMachine(List<StepFigures> rows) {
        List<ObjectNode> nodes = new ArrayList<>();
        for (StepFigures f : rows) {
            ObjectNode n = ResultJson.mapper().valueToTree(f);
            MACHINE.forEach(n::remove);
            nodes.add(n);
        }
        return nodes;
    }
}
