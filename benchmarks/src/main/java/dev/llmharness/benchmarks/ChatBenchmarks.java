package dev.llmharness.benchmarks;

import dev.llmharness.api.Api;
import dev.llmharness.api.Arrival;
import dev.llmharness.api.Benchmark;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.ClosedLoop;
import dev.llmharness.api.Endpoint;
import dev.llmharness.api.Measurement;
import dev.llmharness.api.OpenLoop;
import dev.llmharness.api.Param;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.Slo;
import dev.llmharness.api.TokenShape;
import dev.llmharness.api.Warmup;

/**
 * Chat serving under open-loop and closed-loop load, written as a user writes a benchmark. The URL
 * and model come from {@code -Dllmh.url} / {@code -Dllmh.model}; without them the runtime uses the
 * embedded simulator.
 */
@Endpoint(api = Api.OPENAI_CHAT)
@Warmup(duration = "10s")
@Measurement(duration = "60s")
@Slo(ttft = "p99 <= 2s", tpot = "p99 <= 100ms", maxErrorRate = 0.01)
public class ChatBenchmarks {

    /** Sampling temperature sent with every request. */
    @Param({"0.0", "0.7"})
    double temperature;

    /** One trial per rate (2, 4 and 8 requests/s) and temperature: synthetic 256-token prompts. */
    @Benchmark
    @OpenLoop(
            arrival = Arrival.POISSON,
            rate = {2, 4, 8})
    @TokenShape(input = 256, output = 128)
    public ChatRequest chat(Prompt prompt) {
        return ChatRequest.of(prompt).temperature(temperature);
    }

    /** One trial per worker count and temperature, with retrieval-sized prompts. */
    @Benchmark
    @ClosedLoop(concurrency = {1, 16, 64})
    @TokenShape(preset = ShapePreset.RAG)
    public ChatRequest rag(Prompt prompt) {
        return ChatRequest.of(prompt).system("Answer from the context.").temperature(temperature);
    }
}
