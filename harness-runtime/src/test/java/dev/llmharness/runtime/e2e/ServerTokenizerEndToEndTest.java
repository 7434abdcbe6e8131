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
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.data.PromptSources;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.sim.GroundTruth;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimPersona;
import dev.llmharness.runtime.sim.SimServer;
import dev.llmharness.runtime.testing.FixedSuite;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Prompts sized in the server's own tokenizer ({@code --tokenizer server}) against a simulator
 * whose tokenizer ({@code sim-words}) is not cl100k and whose chat template adds 12 tokens per
 * message: the server then counts exactly the intended input (completions), or exactly the intended
 * input plus the template (chat), and the result says how much is template. Without sizing, the
 * server's counts differ and the warning splits the difference into template and tokenizer.
 */
class ServerTokenizerEndToEndTest {
    private static final int TEMPLATE = 12;
    private static final int REQUESTS = 20;

    @TempDir
    Path dir;

    private record Run(E2e.Outcome outcome, TrialResult trial, List<GroundTruth> truth, PromptSource base) {}

    private Run run(Api api, String... extra) {
        return run(SimPersona.ALL, api, extra);
    }

    private Run run(SimPersona engine, Api api, String... extra) {
        return run(engine, "sim-words", api.takesMessages() ? ChatRequest::of : CompletionRequest::of, api, extra);
    }

    private Run run(
            SimPersona engine,
            String simTokenizer,
            java.util.function.Function<dev.llmharness.api.Prompt, dev.llmharness.api.LlmRequest> method,
            Api api,
            String... extra) {
        ShapeWorkload shape = new ShapeWorkload(
                ShapePreset.NONE, LengthSpec.uniform(60, 140), LengthSpec.fixed(4), 0, true, "cl100k_base", null);
        TrialSpec trial = new TrialSpec(
                "com.example.Tok." + api.name().toLowerCase(java.util.Locale.ROOT),
                Map.of("rate", "50"),
                new OpenLoopModel(Arrival.CONSTANT, 50, 0),
                Phase.NONE,
                Phase.ofRequests(REQUESTS),
                Duration.ofSeconds(10),
                shape,
                new EndpointSpec(api, "", "", "LLMH_E2E_KEY_UNSET"),
                SloSpec.NONE,
                5);
        FixedSuite suite = new FixedSuite("com.example.Tok", List.of(trial), method::apply);
        Path result = dir.resolve(engine + "-" + api + "-" + extra.length + ".json");
        SimConfig config = SimConfig.preset("zero").toBuilder()
                .tokenizer(simTokenizer)
                .chatTemplateTokens(TEMPLATE)
                .engine(engine)
                .build();
        try (SimServer sim = SimServer.start(config)) {
            List<String> args = new ArrayList<>(List.of(
                    "run", "--url", sim.baseUrl(), "--output", result.toString(), "--progress", "0s", "--no-report"));
            args.addAll(List.of(extra));
            E2e.Outcome o = E2e.llmh(suite, args.toArray(String[]::new));
            TrialResult t =
                    o.exitCode() == Llmh.OK ? ResultJson.read(result).trials().get(0) : null;
            return new Run(o, t, sim.groundTruth(true), PromptSources.forWorkload(shape, trial.seed()));
        }
    }

    @Test
    void sizedPromptsAreExactInTheServersTokenizer() {
        Run r = run(Api.OPENAI_COMPLETIONS, "--tokenizer", "server");
        assertThat(r.outcome().exitCode()).as(r.outcome().toString()).isEqualTo(Llmh.OK);
        assertThat(r.outcome().err())
                .contains("sized ")
                .contains("in the server's tokenizer (llama.cpp POST /tokenize)")
                .contains(" exact");
        assertThat(r.truth()).hasSizeGreaterThanOrEqualTo(REQUESTS);
        for (GroundTruth g : r.truth()) {
            int intended = r.base().prompt(Long.parseLong(g.requestId())).inputTokens();
            assertThat(g.promptTokens()).as("request %s", g.requestId()).isEqualTo(intended);
        }
        TrialResult.Tokens tokens = r.trial().tokens();
        assertThat(tokens.serverInput()).isEqualTo(tokens.intendedInput());
        assertThat(tokens.serverTokenizer()).isEqualTo("llama.cpp POST /tokenize (sized)");
        assertThat(tokens.templateInput()).isZero();
        assertThat(r.trial().warnings()).noneMatch(w -> w.contains("input tokens"));
    }

    @Test
    void withoutSizingTheServerCountsDifferAndTheWarningSaysHowMuchIsTemplate() {
        Run r = run(Api.OPENAI_CHAT);
        assertThat(r.outcome().exitCode()).as(r.outcome().toString()).isEqualTo(Llmh.OK);
        TrialResult.Tokens tokens = r.trial().tokens();
        long requests = r.truth().size();
        assertThat(tokens.serverInput()).isNotEqualTo(tokens.intendedInput() + TEMPLATE * requests);
        // Estimated from 32 prompts counted before the trial: close to, not exactly, 12 per request.
        assertThat(tokens.templateInput()).isBetween(TEMPLATE * requests * 3 / 4, TEMPLATE * requests * 5 / 4);
        assertThat(tokens.serverTokenizer()).isEqualTo("llama.cpp POST /tokenize");
        long tokenizerShare = tokens.serverInput() - tokens.intendedInput() - tokens.templateInput();
        assertThat(r.trial().warnings())
                .anySatisfy(w -> assertThat(w)
                        .contains("the server counted " + tokens.serverInput() + " input tokens where the workload"
                                + " intended " + tokens.intendedInput())
                        .contains(String.format("%+d are the chat template", tokens.templateInput()))
                        .contains(String.format("%+d the tokenizer (llama.cpp POST /tokenize)", tokenizerShare))
                        .contains("--tokenizer server"));
    }

    @Test
    void sizedChatPromptsDifferByExactlyTheTemplate() {
        Run r = run(Api.OPENAI_CHAT, "--tokenizer", "server");
        assertThat(r.outcome().exitCode()).as(r.outcome().toString()).isEqualTo(Llmh.OK);
        for (GroundTruth g : r.truth()) {
            int intended = r.base().prompt(Long.parseLong(g.requestId())).inputTokens();
            assertThat(g.promptTokens()).as("request %s", g.requestId()).isEqualTo(intended + TEMPLATE);
        }
        TrialResult.Tokens tokens = r.trial().tokens();
        long requests = r.truth().size();
        assertThat(tokens.templateInput()).isEqualTo(TEMPLATE * requests);
        assertThat(r.outcome().out())
                .contains("   input tokens: intended " + tokens.intendedInput() + ", server " + tokens.serverInput()
                        + " (template +" + TEMPLATE * requests + ", tokenizer +0; llama.cpp POST /tokenize (sized))");
        assertThat(r.trial().warnings())
                .anySatisfy(w -> assertThat(w)
                        .contains(String.format(
                                "+%d are the chat template (12.0 per request), +0 the tokenizer",
                                TEMPLATE * requests)));
    }

    /**
     * The simulator posing as each engine answers only its own {@code /tokenize} body (and refuses
     * the others as that engine does), so discovery finds each engine's API, and the prompts sized
     * in it are exact on each engine's own generation API. vLLM tokenizes chat messages with their
     * template, so there the whole chat prompt is exact.
     */
    @ParameterizedTest
    @CsvSource({
        "LLAMACPP, LLAMACPP_COMPLETION, llama.cpp POST /tokenize, 0",
        "VLLM, OPENAI_COMPLETIONS, vLLM POST /tokenize, 0",
        "VLLM, OPENAI_CHAT, vLLM POST /tokenize, 0",
        "TGI, TGI_GENERATE, TGI POST /tokenize, 0",
        "TGI, OPENAI_CHAT, TGI POST /tokenize, 12",
    })
    void sizedPromptsAreExactInEachEnginesOwnTokenizer(SimPersona engine, Api api, String endpoint, int template) {
        Run r = run(engine, api, "--tokenizer", "server");
        assertThat(r.outcome().exitCode()).as(r.outcome().toString()).isEqualTo(Llmh.OK);
        assertThat(r.outcome().err()).contains("in the server's tokenizer (" + endpoint + "): ");
        assertThat(r.truth()).hasSizeGreaterThanOrEqualTo(REQUESTS);
        for (GroundTruth g : r.truth()) {
            int intended = r.base().prompt(Long.parseLong(g.requestId())).inputTokens();
            assertThat(g.promptTokens()).as("request %s", g.requestId()).isEqualTo(intended + template);
        }
        TrialResult.Tokens tokens = r.trial().tokens();
        assertThat(tokens.serverTokenizer()).isEqualTo(endpoint + " (sized)");
        assertThat(tokens.serverInput())
                .isEqualTo(tokens.intendedInput() + (long) template * r.truth().size());
    }

    @Test
    void anEngineWithoutTokenizeStopsASizedRunBeforeAnyLoad() {
        Run r = run(SimPersona.OLLAMA, Api.OLLAMA_GENERATE, "--tokenizer", "server");
        assertThat(r.outcome().exitCode()).as(r.outcome().toString()).isEqualTo(Llmh.USAGE);
        assertThat(r.outcome().err().strip().lines()).anyMatch(l -> l.contains("/tokenize"));
        assertThat(r.truth()).isEmpty();
    }

    /**
     * A benchmark method that adds a system message sends more than the workload intended: the
     * harness's own count of each request as sent (client-counted) shows it, the result keeps it in
     * {@code tokens.clientInput}, and the server's difference is split into what the method added,
     * the template and the tokenizer (0 here: the simulator counts in cl100k_base too).
     */
    @Test
    void theClientCountedInputShowsWhatTheMethodAddedBesideTemplateAndTokenizer() {
        String system = "You are a careful assistant. Answer in one short paragraph, without lists.";
        int systemTokens = dev.llmharness.runtime.data.Tokenizers.forEncoding("cl100k_base")
                .count(system);
        Run r = run(SimPersona.ALL, "cl100k_base", p -> ChatRequest.of(p).system(system), Api.OPENAI_CHAT);
        assertThat(r.outcome().exitCode()).as(r.outcome().toString()).isEqualTo(Llmh.OK);
        TrialResult.Tokens tokens = r.trial().tokens();
        long requests = r.truth().size();
        long added = systemTokens * requests;
        assertThat(tokens.clientInput()).isEqualTo(tokens.intendedInput() + added);
        // Two messages per request, 12 template tokens each.
        long template = 2L * TEMPLATE * requests;
        assertThat(tokens.serverInput()).isEqualTo(tokens.clientInput() + template);
        assertThat(tokens.templateInput()).isEqualTo(template);
        assertThat(r.trial().warnings())
                .anySatisfy(w -> assertThat(w)
                        .startsWith("the requests as sent carried " + tokens.clientInput()
                                + " input tokens by the harness's count where the workload intended "
                                + tokens.intendedInput()))
                .anySatisfy(w -> assertThat(w)
                        .contains(String.format(
                                "+%d the benchmark method added (client-counted), +%d are the chat template",
                                added, template))
                        .contains("+0 the tokenizer"));
        assertThat(r.outcome().out())
                .contains("   input tokens: intended " + tokens.intendedInput() + ", client " + tokens.clientInput()
                        + ", server " + tokens.serverInput() + " (added +" + added + ", template +" + template
                        + ", tokenizer +0; llama.cpp POST /tokenize)");
    }
}
