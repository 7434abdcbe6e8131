package dev.llmharness.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.api.Api;
import dev.llmharness.api.Arrival;
import dev.llmharness.api.DatasetFormat;
import dev.llmharness.api.Distribution;
import dev.llmharness.api.Sampling;
import dev.llmharness.api.ShapePreset;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The SPI records reject what the processor would have reported, with the same kind of message. */
class SpecRecordsTest {
    private static DatasetWorkload dataset(DatasetFormat format, String path, String promptField, int min, int max) {
        return new DatasetWorkload(
                format, path, promptField, "", min, max, 100, 10, false, Sampling.WITH_REPLACEMENT, 0, "cl100k_base");
    }

    @Test
    void anOpenLoopRateMustBeFiniteAndPositive() {
        assertThat(new OpenLoopModel(Arrival.CONSTANT, 0.5, 0).rate()).isEqualTo(0.5);
        for (double rate : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new OpenLoopModel(Arrival.POISSON, rate, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rate must be finite and > 0 requests/s, got " + rate);
        }
        assertThatThrownBy(() -> new OpenLoopModel(Arrival.POISSON, 1, -1))
                .hasMessage("maxInFlight must be >= 0 (0 means no cap), got -1");
    }

    /**
     * What the runtime asks a load model instead of testing its type: the one rate it holds (an
     * open loop only, scaled with it), and the trace file it replays.
     */
    @Test
    void eachLoadModelSaysItsFixedRateAndItsTraceFile() {
        OpenLoopModel open = new OpenLoopModel(Arrival.POISSON, 8, 0);
        assertThat(open.fixedRate()).isEqualTo(OptionalDouble.of(8));
        assertThat(open.scaled(2).fixedRate()).isEqualTo(OptionalDouble.of(16));
        assertThat(open.tracePath()).isEmpty();
        ShapedLoadModel soak = ShapedLoadModel.soak(Arrival.POISSON, 1, 8, Duration.ofSeconds(10), 0);
        assertThat(soak.fixedRate()).isEmpty();
        assertThat(new ClosedLoopModel(4, Duration.ZERO).fixedRate()).isEmpty();
        TraceLoadModel trace = new TraceLoadModel("traces/t.csv", 2, 0);
        assertThat(trace.fixedRate()).isEmpty();
        assertThat(trace.tracePath()).contains("traces/t.csv");
        assertThat(trace.windowEndsWithLastRequest()).isTrue();
        assertThat(soak.windowEndsWithLastRequest()).isFalse();
    }

    /**
     * A spike's peak is above its base however the spike is built: by its factory, by the record's
     * constructor under the spike's name (as a reader of results or a preset might), or scaled.
     */
    @Test
    void aSpikesPeakIsAboveItsBaseWhateverBuildsIt() {
        Duration ten = Duration.ofSeconds(10);
        assertThatThrownBy(() -> ShapedLoadModel.spike(
                        Arrival.POISSON, 1, 10, 10, ten, Duration.ZERO, ten, Duration.ZERO, ten, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the peak rate (10.0) must be above the base rate (10.0): a spike no higher than its base"
                        + " is a constant rate");
        assertThatThrownBy(() -> new ShapedLoadModel(
                        ShapedLoadModel.SPIKE,
                        Arrival.POISSON,
                        1,
                        10,
                        List.of(new RateStage(ten, 10), new RateStage(ten, 10)),
                        0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a spike's peak rate (10.0) must be above its base rate (10.0): a spike no higher than its"
                        + " base is a constant rate");
        ShapedLoadModel spike =
                ShapedLoadModel.spike(Arrival.POISSON, 1, 10, 10.5, ten, Duration.ZERO, ten, Duration.ZERO, ten, 0);
        assertThat(spike.scaled(3).peakRate()).isGreaterThan(spike.scaled(3).startRate());
        // The same flat stages under another name are a constant rate, as they say.
        assertThat(new ShapedLoadModel("stages", Arrival.POISSON, 1, 10, List.of(new RateStage(ten, 10)), 0).peakRate())
                .isEqualTo(10);
    }

    @Test
    void aClosedLoopNeedsAWorkerAndANonNegativeThinkTime() {
        assertThatThrownBy(() -> new ClosedLoopModel(0, Duration.ZERO)).hasMessage("concurrency must be >= 1, got 0");
        assertThatThrownBy(() -> new ClosedLoopModel(1, Duration.ofMillis(-1)))
                .hasMessage("thinkTime must be >= 0, got PT-0.001S");
    }

    /**
     * The runtime's side of the processor's bound on workers and requests in flight: what a sweep or
     * a self-benchmark builds without an annotation is held to Limits.MAX_CONCURRENCY too.
     */
    @Test
    void workersAndInFlightCapsAreAtMostTheMaximumConcurrency() {
        int most = dev.llmharness.api.Limits.MAX_CONCURRENCY;
        assertThat(new ClosedLoopModel(most, Duration.ZERO).peakConcurrency()).isEqualTo(most);
        assertThatThrownBy(() -> new ClosedLoopModel(most + 1, Duration.ZERO))
                .hasMessage("concurrency must be at most 100000 (Limits.MAX_CONCURRENCY), got 100001");
        assertThat(new WorkerStage(Duration.ZERO, most).toWorkers()).isEqualTo(most);
        assertThatThrownBy(() -> new WorkerStage(Duration.ZERO, most + 1))
                .hasMessage("a stage's target concurrency must be at most 100000 (Limits.MAX_CONCURRENCY), got 100001");
        assertThatThrownBy(() -> StagedClosedLoopModel.stages(
                        most + 1, List.of(new WorkerStage(Duration.ofSeconds(1), 1)), Duration.ZERO))
                .hasMessage("the starting concurrency must be at most 100000 (Limits.MAX_CONCURRENCY), got 100001");
        assertThat(new OpenLoopModel(Arrival.POISSON, 1, most).peakConcurrency())
                .isEqualTo(most);
        assertThatThrownBy(() -> new OpenLoopModel(Arrival.POISSON, 1, most + 1))
                .hasMessage("maxInFlight must be at most 100000 (Limits.MAX_CONCURRENCY), got 100001");
        assertThatThrownBy(() -> new TraceLoadModel("t.csv", 1, most + 1))
                .hasMessage("maxInFlight must be at most 100000 (Limits.MAX_CONCURRENCY), got 100001");
        assertThatThrownBy(() -> ShapedLoadModel.soak(Arrival.POISSON, 1, 1, Duration.ofSeconds(10), most + 1))
                .hasMessage("maxInFlight must be at most 100000 (Limits.MAX_CONCURRENCY), got 100001");
    }

    @Test
    void aPhaseIsBoundedByTimeOrByCount() {
        assertThat(Phase.ofRequests(5).countsRequests()).isTrue();
        assertThat(Phase.ofDuration(Duration.ofSeconds(1)).countsRequests()).isFalse();
        assertThat(Phase.NONE.isEmpty()).isTrue();
        assertThat(Phase.ofDuration(Duration.ZERO)).isEqualTo(Phase.NONE);
        assertThatThrownBy(() -> Phase.ofRequests(-1)).hasMessage("requests must be >= 0, got -1");
        assertThatThrownBy(() -> Phase.ofDuration(Duration.ofSeconds(-1)))
                .hasMessage("duration must be >= 0, got PT-1S");
    }

    @Test
    void aLengthSpecChecksBoundsAndTheNormalMean() {
        assertThat(LengthSpec.fixed(7)).isEqualTo(new LengthSpec(Distribution.FIXED, 7, 7, 7, 0));
        assertThatThrownBy(() -> LengthSpec.uniform(0, 10)).hasMessage("the minimum token count must be >= 1, got 0");
        assertThatThrownBy(() -> LengthSpec.uniform(10, 5))
                .hasMessage("the maximum token count (5) must be >= the minimum (10)");
        assertThatThrownBy(() -> LengthSpec.normal(50, -1, 1, 100))
                .hasMessage("the standard deviation must be finite and >= 0, got -1.0");
        assertThatThrownBy(() -> LengthSpec.normal(500, 1, 1, 100))
                .hasMessage("the mean token count (500) must lie within [1, 100]");
        assertThatThrownBy(() -> LengthSpec.fixed(0)).hasMessage("the token count must be >= 1, got 0");
    }

    @Test
    void aShapeWorkloadChecksItsPrefixAndItsLengthSource() {
        assertThat(ShapeWorkload.of(ShapePreset.CHAT, "cl100k_base").input()).isEqualTo(LengthSpec.fixed(256));
        assertThatThrownBy(() -> new ShapeWorkload(
                        ShapePreset.NONE, LengthSpec.fixed(10), LengthSpec.fixed(1), 10, true, "cl100k_base", null))
                .hasMessage("sharedPrefix (10 tokens) must be below the smallest prompt length (10 tokens)");
        assertThatThrownBy(() -> new ShapeWorkload(
                        ShapePreset.NONE,
                        LengthSpec.empirical(1, 100),
                        LengthSpec.fixed(1),
                        0,
                        true,
                        "cl100k_base",
                        null))
                .hasMessage("an EMPIRICAL length distribution needs a @Dataset to draw lengths from");
        DatasetWorkload source = dataset(DatasetFormat.SHAREGPT, "d.json", "", 1, 10);
        assertThatThrownBy(() -> new ShapeWorkload(
                        ShapePreset.NONE, LengthSpec.fixed(5), LengthSpec.fixed(1), 0, true, "cl100k_base", source))
                .hasMessage("a length source is only used by an EMPIRICAL distribution");
    }

    @Test
    void aDatasetWorkloadChecksPathFieldsAndFilters() {
        assertThat(dataset(DatasetFormat.SHAREGPT, "classpath:d.json", "", 1, 10)
                        .isClasspathResource())
                .isTrue();
        assertThatThrownBy(() -> dataset(DatasetFormat.SHAREGPT, " ", "", 1, 10))
                .hasMessage("the dataset path is empty; give a file path or classpath:resource");
        assertThatThrownBy(() -> dataset(DatasetFormat.CSV, "d.csv", "", 1, 10))
                .hasMessage("CSV datasets need promptField: name the field holding the prompt");
        assertThatThrownBy(() -> dataset(DatasetFormat.DOLLY, "d.jsonl", "q", 1, 10))
                .hasMessage(
                        "DOLLY datasets have a fixed prompt field; remove promptField (it applies to JSONL and CSV)");
        assertThatThrownBy(() -> dataset(DatasetFormat.SHAREGPT, "d.json", "", 20, 10))
                .hasMessage("maxInputTokens (10) must be >= minInputTokens (20)");
    }

    @Test
    void anEndpointUrlMustBeHttp() {
        assertThat(new EndpointSpec(Api.OPENAI_CHAT, "https://x", "", "K").url())
                .isEqualTo("https://x");
        assertThatThrownBy(() -> new EndpointSpec(Api.OPENAI_CHAT, "ftp://x", "", "K"))
                .hasMessage("url must start with http:// or https://, got \"ftp://x\"; e.g. http://127.0.0.1:8000");
    }

    @Test
    void anSloErrorRateIsAFraction() {
        assertThat(SloSpec.NONE.isEmpty()).isTrue();
        assertThat(new SloSpec(List.of(), OptionalDouble.of(0)).isEmpty()).isFalse();
        assertThatThrownBy(() -> new SloSpec(List.of(), OptionalDouble.of(1.5)))
                .hasMessage("maxErrorRate must be in [0, 1], got 1.5");
    }
}
