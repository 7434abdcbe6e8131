package ${package};

import dev.llmharness.api.Arrival;
import dev.llmharness.api.Benchmark;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.Measurement;
import dev.llmharness.api.OpenLoop;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.Slo;
import dev.llmharness.api.TokenShape;
import dev.llmharness.api.Warmup;

/**
 * An example benchmark: chat requests arriving at random (Poisson) at 4 requests/s, with prompts
 * of 256 tokens and 128 generated tokens, and the latency objectives the build enforces.
 *
 * <p>{@code mvn -B verify -Pbench} runs it against the embedded simulator; {@code
 * -Dllmh.url=http://127.0.0.1:8000 -Dllmh.model=...} against your server.
 */
@Warmup(duration = "2s")
@Measurement(duration = "10s")
@Slo(ttft = "p99 <= 2s", itl = "p99 <= 200ms", maxErrorRate = 0.01)
public class ChatBenchmarks {

    @Benchmark
    @OpenLoop(arrival = Arrival.POISSON, rate = 4)
    @TokenShape(input = 256, output = 128)
    public ChatRequest chat(Prompt prompt) {
        return ChatRequest.of(prompt);
    }
}
