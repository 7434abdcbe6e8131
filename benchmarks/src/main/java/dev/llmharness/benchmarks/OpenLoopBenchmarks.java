package dev.llmharness.benchmarks;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.Benchmark;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.Measurement;
import dev.llmharness.api.OpenLoop;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.TokenShape;
import dev.llmharness.api.Warmup;

/**
 * Open-loop load: requests start at scheduled instants whatever the server does, so a slow server
 * shows up as growing latency rather than as fewer requests (no coordinated omission). Shows both
 * arrival processes, with and without an in-flight cap. Every trial sends 128-token prompts and asks
 * for exactly 32 output tokens, so that its requests are short and a 12-second window holds
 * hundreds of them.
 */
@Warmup(duration = "2s")
@Measurement(duration = "12s")
@TokenShape(input = 128, output = 32)
public class OpenLoopBenchmarks {

    /**
     * Poisson arrivals (exponential gaps drawn from the trial seed), the usual model of independent
     * users: one trial at 10 and one at 40 requests/s. The 40 requests/s trial is part of the
     * default {@code -Pbench} gate: its 480 requests are enough for a p99 verdict in {@code llmh
     * compare} (which needs at least 370).
     */
    @Benchmark
    @OpenLoop(
            arrival = Arrival.POISSON,
            rate = {10, 40})
    public ChatRequest poisson(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /** Evenly spaced arrivals, 10 requests/s: a request every 100 ms exactly. */
    @Benchmark
    @OpenLoop(arrival = Arrival.CONSTANT, rate = 10)
    public ChatRequest constant(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /**
     * Poisson arrivals with at most 12 requests in flight, as a client with a connection pool has:
     * when the cap is reached the next request waits, and the wait counts in its TTFT and dispatch
     * lag (the result's {@code delayedStarts} says how many waited).
     */
    @Benchmark
    @OpenLoop(arrival = Arrival.POISSON, rate = 20, maxInFlight = 12)
    public ChatRequest poissonCapped(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /** Evenly spaced arrivals with an in-flight cap of 12. */
    @Benchmark
    @OpenLoop(arrival = Arrival.CONSTANT, rate = 20, maxInFlight = 12)
    public ChatRequest constantCapped(Prompt prompt) {
        return ChatRequest.of(prompt);
    }
}
