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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code llmh run} with each native API against the simulator: the whole path from a trial's
 * {@code @Endpoint(api)} through the protocol seam to the simulator's endpoint, with every request
 * accounted for and the delivered lengths recorded (and warned about where the API cannot force
 * them).
 */
class EnginesEndToEndTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(
            value = Api.class,
            names = {"LLAMACPP_COMPLETION", "TGI_GENERATE", "OLLAMA_GENERATE", "OLLAMA_CHAT"})
    void aRunSpeaksTheNativeApiAndAccountsForEveryRequest(Api api) {
        ShapeWorkload shape = new ShapeWorkload(
                ShapePreset.NONE, LengthSpec.fixed(32), LengthSpec.fixed(24), 0, true, "cl100k_base", null);
        TrialSpec trial = new TrialSpec(
                "com.example.Engines." + api.name().toLowerCase(java.util.Locale.ROOT),
                java.util.Map.of("rate", "20"),
                new OpenLoopModel(Arrival.CONSTANT, 20, 0),
                Phase.NONE,
                Phase.ofRequests(12),
                Duration.ofSeconds(10),
                shape,
                new EndpointSpec(api, "", "", "LLMH_E2E_KEY_UNSET"),
                SloSpec.NONE,
                7);
        FixedSuite suite = new FixedSuite(
                "com.example.Engines", List.of(trial), api.takesMessages() ? ChatRequest::of : CompletionRequest::of);
        Path result = dir.resolve(api + ".json");
        List<GroundTruth> truth;
        try (SimServer sim = SimServer.start(SimConfig.preset("zero"))) {
            E2e.Outcome o =
                    E2e.llmh(suite, "run", "--url", sim.baseUrl(), "--output", result.toString(), "--progress", "0s");
            assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.OK);
            truth = sim.groundTruth(true);
        }
        TrialResult r = ResultJson.read(result).trials().get(0);
        assertThat(r.api()).isEqualTo(api.name());
        assertThat(r.streamed()).isTrue();
        assertThat(r.counts().sent()).isEqualTo(12);
        assertThat(r.counts().completed()).isEqualTo(12);
        assertThat(truth)
                .allMatch(g -> !g.endpoint().equals("chat") && !g.endpoint().equals("completions"));
        long delivered = truth.stream().mapToLong(GroundTruth::outputTokens).sum();
        assertThat(r.tokens().output()).isEqualTo(delivered);
        assertThat(r.tokens().requestedOutput()).isEqualTo(12 * 24);
        if (api == Api.TGI_GENERATE) {
            assertThat(r.metrics()).as("TGI streams report no timings").doesNotContainKey("serverPrompt");
        } else {
            for (String name : List.of("serverPrompt", "serverTotal", "ttftOverhead", "e2eOverhead")) {
                assertThat(r.metrics().get(name).count()).as(name).isEqualTo(12);
            }
            // Like the client's TPOT, the server's needs two tokens; an unforced answer may have one.
            assertThat(r.metrics().get("serverTpot").count())
                    .isEqualTo(r.metrics().get("tpot").count());
            // The client cannot see the first token before the server produced it.
            assertThat(r.metrics().get("ttftFromSend").p50())
                    .isGreaterThanOrEqualTo(r.metrics().get("serverPrompt").p50());
        }
        if (api == Api.LLAMACPP_COMPLETION) {
            assertThat(delivered).as("ignore_eos forces the length").isEqualTo(12 * 24);
        } else {
            assertThat(r.warnings())
                    .anyMatch(w -> w.startsWith(api + " cannot force the output length")
                            && w.contains(
                                    "requested " + 12 * 24 + " output tokens, the server generated " + delivered));
        }
    }

    /**
     * Forced and unforced lengths for every API, streamed and not: the result records the requested
     * and the delivered output tokens (the simulator's truth), an API that forces the length
     * delivers exactly what was requested, and one that cannot says so in a warning naming both.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("everyApiStreamedAndNot")
    void everyApiRecordsRequestedAndDeliveredLengthsAndSaysWhenItCannotForceThem(Api api, boolean stream) {
        ShapeWorkload shape = new ShapeWorkload(
                ShapePreset.NONE, LengthSpec.fixed(32), LengthSpec.fixed(24), 0, true, "cl100k_base", null);
        TrialSpec trial = new TrialSpec(
                "com.example.Lengths." + api.name().toLowerCase(java.util.Locale.ROOT) + (stream ? "" : "_whole"),
                java.util.Map.of("rate", "40"),
                new OpenLoopModel(Arrival.CONSTANT, 40, 0),
                Phase.NONE,
                Phase.ofRequests(8),
                Duration.ofSeconds(10),
                shape,
                new EndpointSpec(api, "", "", "LLMH_E2E_KEY_UNSET"),
                SloSpec.NONE,
                11);
        FixedSuite suite = new FixedSuite(
                "com.example.Lengths", List.of(trial), api.takesMessages() ? ChatRequest::of : CompletionRequest::of);
        Path result = dir.resolve(api + "-" + stream + ".json");
        List<GroundTruth> truth;
        try (SimServer sim = SimServer.start(SimConfig.preset("zero"))) {
            E2e.Outcome o = E2e.llmh(
                    suite,
                    "run",
                    "--url",
                    sim.baseUrl(),
                    "--stream",
                    Boolean.toString(stream),
                    "--output",
                    result.toString(),
                    "--progress",
                    "0s");
            assertThat(o.exitCode()).as(o.toString()).isEqualTo(Llmh.OK);
            truth = sim.groundTruth(true);
        }
        TrialResult r = ResultJson.read(result).trials().get(0);
        assertThat(r.streamed()).isEqualTo(stream);
        assertThat(r.counts().completed()).isEqualTo(8);
        long delivered = truth.stream().mapToLong(GroundTruth::outputTokens).sum();
        assertThat(r.tokens().requestedOutput()).isEqualTo(8 * 24);
        assertThat(r.tokens().output()).isEqualTo(delivered);
        boolean forces = dev.llmharness.runtime.protocol.Protocols.of(api).forcesLength();
        assertThat(forces).isEqualTo(api != Api.TGI_GENERATE && api != Api.OLLAMA_GENERATE && api != Api.OLLAMA_CHAT);
        if (forces) {
            assertThat(delivered).as("the length is forced").isEqualTo(8 * 24);
            assertThat(r.warnings()).noneMatch(w -> w.contains("cannot force the output length"));
        } else {
            assertThat(delivered)
                    .as("the simulator ends early when nothing forces it")
                    .isLessThan(8 * 24);
            assertThat(r.warnings())
                    .anyMatch(w -> w.startsWith(api + " cannot force the output length")
                            && w.contains("requested " + 8 * 24 + " output tokens, the server generated " + delivered));
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> everyApiStreamedAndNot() {
        return java.util.Arrays.stream(Api.values())
                .flatMap(a -> java.util.stream.Stream.of(
                        org.junit.jupiter.params.provider.Arguments.of(a, true),
                        org.junit.jupiter.params.provider.Arguments.of(a, false)));
    }
}
