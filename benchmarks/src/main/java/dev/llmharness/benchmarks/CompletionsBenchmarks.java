package dev.llmharness.benchmarks;

import dev.llmharness.api.Api;
import dev.llmharness.api.Benchmark;
import dev.llmharness.api.CompletionRequest;
import dev.llmharness.api.Endpoint;
import dev.llmharness.api.Measurement;
import dev.llmharness.api.OpenLoop;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.TokenShape;
import dev.llmharness.api.Warmup;

/**
 * The text-completions API ({@code POST /v1/completions}) instead of chat: the prompt is sent
 * as-is, without a chat template, so the server sees exactly the tokens the shape counts. A method
 * returning {@code CompletionRequest} needs {@code @Endpoint(api = Api.OPENAI_COMPLETIONS)}; the
 * processor rejects the mismatch at compile time. Part of the default {@code -Pbench} run.
 */
@Endpoint(api = Api.OPENAI_COMPLETIONS)
@Warmup(duration = "3s")
@Measurement(duration = "20s")
public class CompletionsBenchmarks {

    /**
     * 512-token prompts, exactly 64 output tokens, Poisson arrivals, greedy sampling. Each request
     * costs the default simulator about 41 ms of engine time (31 ms to prefill its prompt, 10 ms to
     * decode), so it saturates near 24 requests/s of this shape: the rate stays well below, and the
     * window is long enough for a few hundred requests.
     */
    @Benchmark
    @OpenLoop(rate = 10)
    @TokenShape(input = 512, output = 64)
    public CompletionRequest complete(Prompt prompt) {
        return CompletionRequest.of(prompt).temperature(0.0);
    }
}
