package it.bench;

import dev.llmharness.api.Benchmark;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.Measurement;
import dev.llmharness.api.OpenLoop;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.Slo;
import dev.llmharness.api.TokenShape;
import dev.llmharness.api.Warmup;

/** A few seconds of load against the embedded simulator. */
@Warmup(duration = "1s")
@Measurement(duration = "3s")
@Slo(ttft = "p99 <= 1ms", maxErrorRate = 0.01)
public class TinyBenchmarks {
    @Benchmark
    @OpenLoop(rate = 10)
    @TokenShape(input = 32, output = 16)
    public ChatRequest chat(Prompt prompt) {
        return ChatRequest.of(prompt);
    }
}
