package dev.llmharness.benchmarks;

import dev.llmharness.api.Benchmark;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.ClosedLoop;
import dev.llmharness.api.Measurement;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.TokenShape;
import dev.llmharness.api.Warmup;

/**
 * Closed-loop load: N workers, each sending its next request when its previous one ends, as a
 * fixed pool of users or a batch job does. The request rate follows the server's speed, so a
 * slower server shows up as lower throughput. Prompts of 128 tokens, exactly 64 output tokens.
 */
@Warmup(duration = "2s")
@Measurement(duration = "12s")
@TokenShape(input = 128, output = 64)
public class ClosedLoopBenchmarks {

    /**
     * Back-to-back requests from 1 and from 8 workers (one trial each). The 8-worker trial is part
     * of the default {@code -Pbench} gate, where its output tokens/s is the gated throughput: the
     * window is 12 s because {@code llmh compare} needs at least 10 s of per-second timeline to
     * judge throughput.
     */
    @Benchmark
    @ClosedLoop(concurrency = {1, 8})
    public ChatRequest workers(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /**
     * 8 workers that each pause 500 ms after a response before sending again, as people reading an
     * answer do: fewer requests per second than without think time, at the same concurrency.
     */
    @Benchmark
    @ClosedLoop(concurrency = 8, thinkTime = "500ms")
    public ChatRequest thinkTime(Prompt prompt) {
        return ChatRequest.of(prompt);
    }
}
