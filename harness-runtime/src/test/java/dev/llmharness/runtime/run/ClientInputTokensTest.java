package dev.llmharness.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Api;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.Defaults;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.ClosedLoopModel;
import dev.llmharness.api.spi.EndpointSpec;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.RequestFactory;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.ClientTimeouts;
import dev.llmharness.runtime.client.HttpClients;
import dev.llmharness.runtime.client.LlmClient;
import dev.llmharness.runtime.client.Target;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.data.PromptSources;
import dev.llmharness.runtime.data.Tokenizer;
import dev.llmharness.runtime.data.Tokenizers;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against the simulator, a trial of synthetic prompts records the same client-counted input tokens
 * (per request and in {@code tokens.clientInput}) whether they come from the prompts' exact counts
 * or from jtokkit over every prompt, as before: both equal jtokkit's count of each prompt as sent.
 */
class ClientInputTokensTest {
    private static final ClientTimeouts TIMEOUTS = ClientTimeouts.defaults();
    private static final Tokenizer JTOKKIT = Tokenizers.forEncoding(Defaults.ENCODING);
    private static final int REQUESTS = 60;

    private static SimServer sim;
    private static OkHttpClient http;

    @BeforeAll
    static void start() {
        sim = SimServer.start(SimConfig.preset("zero"));
        http = HttpClients.forLoad(8, TIMEOUTS);
    }

    @AfterAll
    static void stop() {
        HttpClients.close(http);
        sim.close();
    }

    private record Run(TrialResult result, Map<Long, Integer> perRequest, Set<Long> measured) {}

    private static TrialSpec spec() {
        return new TrialSpec(
                "com.example.Bench.clientTokens",
                Map.of(),
                new ClosedLoopModel(3, Duration.ZERO),
                Phase.ofRequests(6),
                Phase.ofRequests(REQUESTS),
                Duration.ofSeconds(10),
                new ShapeWorkload(
                        ShapePreset.NONE,
                        LengthSpec.uniform(40, 300),
                        LengthSpec.fixed(8),
                        12,
                        true,
                        Defaults.ENCODING,
                        null),
                new EndpointSpec(Api.OPENAI_CHAT, sim.baseUrl(), sim.config().model(), ""),
                SloSpec.NONE,
                42);
    }

    private static Run run(PromptSource prompts, RequestFactory factory) throws InterruptedException {
        LlmClient client = new LlmClient(
                http,
                new Target(sim.baseUrl(), Api.OPENAI_CHAT, sim.config().model(), null, null, true),
                TokenCounter.contentEvents(),
                TIMEOUTS);
        Map<Long, Integer> seen = new ConcurrentHashMap<>();
        Set<Long> measured = ConcurrentHashMap.newKeySet();
        TrialResult result = new TrialRunner(
                        spec(), factory, prompts, client, null, new PrintStream(new ByteArrayOutputStream()))
                .onRequestEnded((RequestTiming t) -> {
                    seen.put(t.index(), t.clientInputTokens());
                    if (t.measured()) {
                        measured.add(t.index());
                    }
                })
                .run();
        return new Run(result, new TreeMap<>(seen), measured);
    }

    @Test
    void exactPromptCountsRecordWhatJtokkitCountsInEveryRequestAndTheTotal() throws Exception {
        TrialSpec spec = spec();
        PromptSource exact = PromptSources.forWorkload(spec.workload(), spec.seed());
        PromptSource unvouched = exact::prompt; // the same prompts, without exactEncoding()
        assertThat(exact.exactEncoding()).isEqualTo(Defaults.ENCODING);
        assertThat(unvouched.exactEncoding()).isNull();
        RequestFactory factory = ChatRequest::of;

        Run fast = run(exact, factory);
        Run tokenized = run(unvouched, factory);

        assertThat(fast.perRequest()).hasSize(REQUESTS + 6).isEqualTo(tokenized.perRequest());
        long measured = 0;
        for (Map.Entry<Long, Integer> e : fast.perRequest().entrySet()) {
            int jtokkit = JTOKKIT.count(exact.prompt(e.getKey()).text());
            assertThat(e.getValue()).as("request %d", e.getKey()).isEqualTo(jtokkit);
            measured += fast.measured().contains(e.getKey()) ? jtokkit : 0;
        }
        assertThat(fast.measured()).hasSize(REQUESTS);
        assertThat(fast.result().tokens().clientInput())
                .isEqualTo(tokenized.result().tokens().clientInput())
                .isEqualTo(fast.result().tokens().intendedInput())
                .isEqualTo(measured);
    }

    /** A system message the method adds is counted on top of the prompt's exact figure. */
    @Test
    void aSystemMessageIsCountedOnTopOfThePrompt() throws Exception {
        TrialSpec spec = spec();
        PromptSource exact = PromptSources.forWorkload(spec.workload(), spec.seed());
        String system = "You are a terse assistant.";

        Run run = run(exact, p -> ChatRequest.of(p).system(system));

        for (Map.Entry<Long, Integer> e : run.perRequest().entrySet()) {
            assertThat(e.getValue())
                    .isEqualTo(JTOKKIT.count(system)
                            + JTOKKIT.count(exact.prompt(e.getKey()).text()));
        }
        assertThat(run.result().tokens().clientInput())
                .isEqualTo(run.result().tokens().intendedInput() + (long) REQUESTS * JTOKKIT.count(system));
    }
}
