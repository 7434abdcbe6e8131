package dev.llmharness.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Api;
import dev.llmharness.api.Arrival;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.CompletionRequest;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.EndpointSpec;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.sim.GroundTruth;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import dev.llmharness.runtime.testing.FixedSuite;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code llmh run} of non-streamed trials ({@code @Endpoint(stream = false)} and {@code --stream
 * false}) against the simulator over every API: every request accounted for, E2E and the server's
 * figures recorded for each, and no TTFT, ITL or TPOT anywhere in the result.
 */
class NonStreamedEndToEndTest {
    private static final int REQUESTS = 10;

    @TempDir
    Path dir;

    private static TrialSpec trial(Api api, boolean stream) {
        ShapeWorkload shape = new ShapeWorkload(
                ShapePreset.NONE, LengthSpec.fixed(32), LengthSpec.fixed(16), 0, true, "cl100k_base", null);
        return new TrialSpec(
                "com.example.Whole." + api.name().toLowerCase(java.util.Locale.ROOT),
                java.util.Map.of("rate", "20"),
                new OpenLoopModel(Arrival.CONSTANT, 20, 0),
                Phase.NONE,
                Phase.ofRequests(REQUESTS),
                Duration.ofSeconds(10),
                shape,
                new EndpointSpec(api, "", "", "LLMH_E2E_KEY_UNSET", stream),
                SloSpec.NONE,
                7);
    }

    private TrialResult run(Api api, boolean declared, String... options) {
        FixedSuite suite = new FixedSuite(
                "com.example.Whole",
                List.of(trial(api, declared)),
                api.takesMessages() ? ChatRequest::of : CompletionRequest::of);
        Path result = dir.resolve(api + ".json");
        List<GroundTruth> truth;
        try (SimServer sim = SimServer.start(SimConfig.preset("zero"))) {
            List<String> args = new java.util.ArrayList<>(
                    List.of("run", "--url", sim.baseUrl(), "--output", result.toString(), "--progress", "0s"));
            args.addAll(List.of(options));
            E2e.Outcome o = E2e.llmh(suite, args.toArray(String[]::new));
            assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.OK);
            truth = sim.groundTruth(true);
        }
        assertThat(truth).hasSize(REQUESTS).allMatch(g -> !g.stream(), "every request was non-streamed");
        TrialResult r = ResultJson.read(result).trials().get(0);
        assertThat(r.counts().sent()).isEqualTo(REQUESTS);
        assertThat(r.counts().completed()).isEqualTo(REQUESTS);
        assertThat(r.tokens().output())
                .isEqualTo(truth.stream().mapToLong(GroundTruth::outputTokens).sum());
        return r;
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void aNonStreamedRunRecordsE2eAndNoFirstTokenMetrics(Api api) {
        TrialResult r = run(api, false);
        assertThat(r.streamed())
                .as("the result records that answers were not streamed")
                .isFalse();
        assertThat(r.metrics().get("e2e").count()).isEqualTo(REQUESTS);
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("requests were not streamed"));
        for (String absent : List.of("ttft", "ttftFromSend", "itl", "tpot", "ttftOverhead")) {
            assertThat(r.metrics().get(absent) == null
                            || r.metrics().get(absent).count() == 0)
                    .as(absent + " of a non-streamed run")
                    .isTrue();
        }
        if (api == Api.OPENAI_CHAT || api == Api.OPENAI_COMPLETIONS) {
            assertThat(r.metrics()).doesNotContainKey("serverTotal");
        } else {
            // Every native engine reports its own total (TGI in its x-total-time header).
            assertThat(r.metrics().get("serverTotal").count()).isEqualTo(REQUESTS);
            assertThat(r.metrics().get("e2eOverhead").count()).isEqualTo(REQUESTS);
        }
        if (api == Api.TGI_GENERATE) {
            assertThat(r.metrics().get("serverQueue").count()).isEqualTo(REQUESTS);
        }
    }

    @Test
    void aStreamValueOtherThanTrueOrFalseIsOneLineNamingTheOption() {
        FixedSuite suite = new FixedSuite("com.example.Whole", List.of(trial(Api.OPENAI_CHAT, true)), ChatRequest::of);
        try (SimServer sim = SimServer.start(SimConfig.preset("zero"))) {
            E2e.Outcome o = E2e.llmh(
                    suite,
                    "run",
                    "--url",
                    sim.baseUrl(),
                    "--stream",
                    "no",
                    "--output",
                    dir.resolve("x.json").toString());
            assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.USAGE);
            assertThat(o.err().strip())
                    .hasLineCount(1)
                    .startsWith("llmh run: invalid --stream no: use true or false")
                    .doesNotContain("\tat ");
            assertThat(sim.groundTruth(true)).as("nothing was sent").isEmpty();
        }
    }

    @Test
    void streamFalseOnATrialWithATtftObjectiveIsOneLineBeforeAnyLoad() {
        TrialSpec plain = trial(Api.OPENAI_CHAT, true);
        TrialSpec withSlo = new TrialSpec(
                plain.benchmark(),
                plain.params(),
                plain.load(),
                plain.warmup(),
                plain.measurement(),
                plain.drainTimeout(),
                plain.workload(),
                plain.endpoint(),
                new SloSpec(
                        List.of(new dev.llmharness.api.spi.LatencyBound(
                                dev.llmharness.api.spi.SloMetric.TTFT, 99, Duration.ofSeconds(1))),
                        java.util.OptionalDouble.empty()),
                plain.seed(),
                plain.analysis());
        FixedSuite suite = new FixedSuite("com.example.Whole", List.of(withSlo), ChatRequest::of);
        try (SimServer sim = SimServer.start(SimConfig.preset("zero"))) {
            E2e.Outcome o = E2e.llmh(
                    suite,
                    "run",
                    "--url",
                    sim.baseUrl(),
                    "--stream",
                    "false",
                    "--output",
                    dir.resolve("slo.json").toString());
            assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.USAGE);
            assertThat(o.err().strip())
                    .hasLineCount(1)
                    .contains("invalid --stream false", "has an SLO on ttft", "bounds e2e");
            assertThat(sim.groundTruth(true)).as("nothing was sent").isEmpty();
        }
    }

    @Test
    void streamFalseOnTheCommandLineOverridesTheAnnotation() {
        TrialResult r = run(Api.OPENAI_CHAT, true, "--stream", "false");
        assertThat(r.streamed()).isFalse();
        assertThat(r.metrics().get("e2e").count()).isEqualTo(REQUESTS);
    }
}
