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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code llmh run --api}: a named API replaces every trial's {@code @Endpoint(api)} when it takes
 * the same request shape; {@code --api auto} detects the engine as {@code llmh probe} does (the
 * simulator answers every discovery path, so it is detected as Ollama, the first probed) and sends
 * each trial over the engine's native API for its shape. A mismatched shape or an unknown name is
 * one line and exit code 2, before any load.
 */
class ApiOverrideEndToEndTest {
    @TempDir
    Path dir;

    private static FixedSuite suite(Api declared) {
        ShapeWorkload shape = new ShapeWorkload(
                ShapePreset.NONE, LengthSpec.fixed(16), LengthSpec.fixed(8), 0, true, "cl100k_base", null);
        TrialSpec trial = new TrialSpec(
                "com.example.Api." + declared.name().toLowerCase(java.util.Locale.ROOT),
                Map.of("rate", "20"),
                new OpenLoopModel(Arrival.CONSTANT, 20, 0),
                Phase.NONE,
                Phase.ofRequests(6),
                Duration.ofSeconds(10),
                shape,
                new EndpointSpec(declared, "", "", "LLMH_E2E_KEY_UNSET"),
                SloSpec.NONE,
                7);
        return new FixedSuite(
                "com.example.Api", List.of(trial), declared.takesMessages() ? ChatRequest::of : CompletionRequest::of);
    }

    /** Runs {@code declared} with {@code --api api}; the trial's result and the endpoints the simulator saw. */
    private record Run(E2e.Outcome outcome, TrialResult trial, List<String> endpoints) {}

    private Run run(Api declared, String api) {
        Path result = dir.resolve(declared + "-" + api + ".json");
        try (SimServer sim = SimServer.start(SimConfig.preset("zero"))) {
            E2e.Outcome o = E2e.llmh(
                    suite(declared),
                    "run",
                    "--url",
                    sim.baseUrl(),
                    "--api",
                    api,
                    "--output",
                    result.toString(),
                    "--progress",
                    "0s",
                    "--no-report");
            List<String> endpoints = sim.groundTruth(true).stream()
                    .map(GroundTruth::endpoint)
                    .distinct()
                    .toList();
            TrialResult t =
                    o.exitCode() == Llmh.OK ? ResultJson.read(result).trials().get(0) : null;
            return new Run(o, t, endpoints);
        }
    }

    @Test
    void aNamedApiReplacesTheDeclaredOneOfTheSameShape() {
        Run r = run(Api.OPENAI_COMPLETIONS, "llamacpp-completion");
        assertThat(r.outcome().exitCode()).as(r.outcome().toString()).isEqualTo(Llmh.OK);
        assertThat(r.trial().api()).isEqualTo("LLAMACPP_COMPLETION");
        assertThat(r.trial().counts().completed()).isEqualTo(6);
        assertThat(r.endpoints()).containsExactly("llamacpp_completion");
    }

    @Test
    void autoDetectsTheEngineAndUsesItsNativeApiForEachShape() {
        Run prompt = run(Api.OPENAI_COMPLETIONS, "auto");
        assertThat(prompt.outcome().exitCode()).as(prompt.outcome().toString()).isEqualTo(Llmh.OK);
        assertThat(prompt.trial().api()).isEqualTo("OLLAMA_GENERATE");
        assertThat(prompt.endpoints()).containsExactly("ollama_generate");
        assertThat(prompt.outcome().err())
                .contains("--api auto: ")
                .contains(" is Ollama llmh-sim")
                .contains("trials declared OPENAI_COMPLETIONS are sent over OLLAMA_GENERATE");

        Run chat = run(Api.OPENAI_CHAT, "AUTO");
        assertThat(chat.outcome().exitCode()).as(chat.outcome().toString()).isEqualTo(Llmh.OK);
        assertThat(chat.trial().api()).isEqualTo("OLLAMA_CHAT");
        assertThat(chat.endpoints()).containsExactly("ollama_chat");
    }

    @Test
    void anApiOfTheOtherShapeIsOneLineBeforeAnyLoad() {
        Run r = run(Api.OPENAI_COMPLETIONS, "OLLAMA_CHAT");
        assertThat(r.outcome().exitCode()).as(r.outcome().toString()).isEqualTo(Llmh.USAGE);
        assertThat(r.outcome().err().strip())
                .hasLineCount(1)
                .contains("--api OLLAMA_CHAT takes messages")
                .contains("returns a CompletionRequest")
                .contains("OPENAI_COMPLETIONS, LLAMACPP_COMPLETION, TGI_GENERATE, OLLAMA_GENERATE")
                .doesNotContain("\tat ");
        assertThat(r.endpoints()).isEmpty();
    }

    @Test
    void anUnknownApiIsOneLineNamingTheOption() {
        Run r = run(Api.OPENAI_CHAT, "grpc");
        assertThat(r.outcome().exitCode()).as(r.outcome().toString()).isEqualTo(Llmh.USAGE);
        assertThat(r.outcome().err().strip())
                .hasLineCount(1)
                .startsWith("llmh run: invalid --api grpc: use auto, OPENAI_CHAT, ");
        assertThat(r.endpoints()).isEmpty();
    }
}
