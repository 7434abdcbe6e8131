package dev.llmharness.runtime.client;

import dev.llmharness.api.Api;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.Defaults;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.data.PromptSources;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.tokenize.ClientTokens;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The request path of {@code TrialRequests.run} before the send, for the selfbench workload
 * (chat, a 128-token synthetic prompt asking for 128 tokens): the prompt ({@link
 * PromptSource#prompt(long)}), the benchmark method ({@code ChatRequest::of}), the HTTP request
 * ({@link LlmClient#prepare}), what the event-loop transport builds from it on the request's
 * thread, and, after the answer, the client's count of the prompt's tokens. Figures are per
 * request; run with {@code -prof gc} for bytes allocated per request. Each call takes the next
 * request index, as a trial does, so the prompt's text differs from call to call.
 *
 * <p>Run: see {@code docs/performance.md} ("The request path").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestBuildBenchmark {
    static final int INPUT_TOKENS = 128;
    static final int OUTPUT_TOKENS = 128;

    private PromptSource prompts;
    private LlmClient client;
    private OkHttpClient http;
    private EventLoopTransport loop;
    private long index;
    private Prompt prompt;
    private ChatRequest request;
    private ClientTokens exactTokens;
    private ClientTokens retokenized;
    private PreparedRequest prepared;

    @Setup
    public void setUp() {
        ShapeWorkload workload = new ShapeWorkload(
                ShapePreset.NONE,
                LengthSpec.fixed(INPUT_TOKENS),
                LengthSpec.fixed(OUTPUT_TOKENS),
                0,
                true,
                Defaults.ENCODING,
                null);
        prompts = PromptSources.forWorkload(workload, 42);
        http = new OkHttpClient();
        loop = new EventLoopTransport(ClientTimeouts.defaults());
        client = new LlmClient(
                new OkHttpTransport(http, ClientTimeouts.defaults(), false),
                new Target("http://127.0.0.1:8000", Api.OPENAI_CHAT, "sim-llm", null, null, true),
                TokenCounter.contentEvents(),
                ClientTimeouts.defaults());
        // Past the first indices, whose prompts the source re-encodes to check them.
        index = 1_000;
        prompt = prompts.prompt(index);
        request = ChatRequest.of(prompt);
        exactTokens = ClientTokens.forTrial(Defaults.ENCODING, prompts);
        PromptSource unknown = prompts::prompt;
        retokenized = ClientTokens.forTrial(Defaults.ENCODING, unknown);
        prepared = client.prepare(request, index);
    }

    @TearDown
    public void tearDown() {
        loop.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** Prompt, benchmark method and HTTP request: what the request thread does before the send. */
    @Benchmark
    public PreparedRequest build() {
        long i = index++;
        Prompt prompt = prompts.prompt(i);
        return client.prepare(ChatRequest.of(prompt), i);
    }

    /** The synthetic prompt alone. */
    @Benchmark
    public Prompt promptOnly() {
        return prompts.prompt(index++);
    }

    /** The HTTP request (JSON body, URL, headers) of one chat request. */
    @Benchmark
    public PreparedRequest prepareOnly() {
        return client.prepare(request, index++);
    }

    /** What the event-loop transport makes of a prepared request on the request's thread. */
    @Benchmark
    public Object eventLoopRequest() {
        EventLoopTransport.Destination d = loop.destination(prepared.http().url());
        return Http1Request.encode(prepared.http(), prepared.body(), d);
    }

    /**
     * The client's count of the prompt's tokens, after the answer: the synthetic prompt's own exact
     * count, as a trial of this workload does.
     */
    @Benchmark
    public int clientTokens() {
        return exactTokens.count(request, prompt);
    }

    /** The same count by jtokkit over the prompt: a source whose counts are not known exact. */
    @Benchmark
    public int clientTokensRetokenized() {
        return retokenized.count(request, prompt);
    }
}
