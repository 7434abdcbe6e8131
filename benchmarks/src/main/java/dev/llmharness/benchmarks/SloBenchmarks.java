package dev.llmharness.benchmarks;

import dev.llmharness.api.Benchmark;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.Measurement;
import dev.llmharness.api.OpenLoop;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.Slo;
import dev.llmharness.api.TokenShape;
import dev.llmharness.api.Warmup;

/**
 * Service-level objectives ({@code @Slo}): each trial is checked against them after its window,
 * the console prints {@code PASS}/{@code FAIL} per objective, the result file records them, and
 * {@code llmh run} exits with 1 when one fails (so does the {@code -Pbench} build). The bounds hold
 * with room to spare against the default simulator (at this load TTFT p50 about 53 ms, ITL p99
 * about 52 ms, E2E p99 about 3.4 s); against a real server, set them from your product's
 * requirements. Part of the default {@code -Pbench} run.
 */
@Warmup(duration = "4s")
@Measurement(duration = "18s")
@Slo(
        ttft = {"p50 <= 250ms", "p99 <= 1s"},
        itl = "p99 <= 150ms",
        e2e = "p99 <= 5s",
        maxErrorRate = 0.01)
public class SloBenchmarks {

    /**
     * The CHAT shape (256 input, 128 output tokens), Poisson arrivals. The default simulator's
     * batch, and with it every ITL and E2E, grows with the rate: its rate leaves E2E within the
     * objective (docs/simulator.md has the latency model).
     */
    @Benchmark
    @OpenLoop(rate = 12)
    @TokenShape(input = 256, output = 128)
    public ChatRequest chat(Prompt prompt) {
        return ChatRequest.of(prompt);
    }
}
