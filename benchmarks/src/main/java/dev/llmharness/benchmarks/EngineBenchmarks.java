package dev.llmharness.benchmarks;

import dev.llmharness.api.Api;
import dev.llmharness.api.Benchmark;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.CompletionRequest;
import dev.llmharness.api.Endpoint;
import dev.llmharness.api.Measurement;
import dev.llmharness.api.OpenLoop;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.TokenShape;
import dev.llmharness.api.Warmup;

/**
 * One benchmark per engine's own API (see {@code docs/engines.md}): the same 256-token prompts at 4
 * requests/s, sent to llama.cpp's {@code /completion}, TGI's {@code /generate_stream} and Ollama's
 * {@code /api/generate} and {@code /api/chat}. Select one with {@code --include} and point {@code
 * --url} at that engine; without a URL each runs against the embedded simulator, which speaks all
 * of them.
 */
@Warmup(duration = "2s")
@Measurement(duration = "20s")
public class EngineBenchmarks {

    /** llama.cpp's native completion endpoint; {@code ignore_eos} forces the 64 output tokens. */
    @Benchmark
    @Endpoint(api = Api.LLAMACPP_COMPLETION)
    @OpenLoop(rate = 4)
    @TokenShape(input = 256, output = 64)
    public CompletionRequest llamaCpp(Prompt prompt) {
        return CompletionRequest.of(prompt);
    }

    /** TGI's token stream; TGI cannot force the length, so answers may end before 64 tokens. */
    @Benchmark
    @Endpoint(api = Api.TGI_GENERATE)
    @OpenLoop(rate = 4)
    @TokenShape(input = 256, output = 64)
    public CompletionRequest tgi(Prompt prompt) {
        return CompletionRequest.of(prompt);
    }

    /** Ollama's generate endpoint (NDJSON), with the server's own durations recorded beside ours. */
    @Benchmark
    @Endpoint(api = Api.OLLAMA_GENERATE)
    @OpenLoop(rate = 4)
    @TokenShape(input = 256, output = 64)
    public CompletionRequest ollamaGenerate(Prompt prompt) {
        return CompletionRequest.of(prompt);
    }

    /** Ollama's chat endpoint: the model's chat template wraps the prompt. */
    @Benchmark
    @Endpoint(api = Api.OLLAMA_CHAT)
    @OpenLoop(rate = 4)
    @TokenShape(input = 256, output = 64)
    public ChatRequest ollamaChat(Prompt prompt) {
        return ChatRequest.of(prompt);
    }
}
