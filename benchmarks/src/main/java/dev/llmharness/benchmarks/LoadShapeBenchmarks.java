package dev.llmharness.benchmarks;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.Benchmark;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.ClosedLoop;
import dev.llmharness.api.OpenLoop;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.Ramp;
import dev.llmharness.api.Soak;
import dev.llmharness.api.Spike;
import dev.llmharness.api.Stage;
import dev.llmharness.api.Stages;
import dev.llmharness.api.Step;
import dev.llmharness.api.TokenShape;
import dev.llmharness.api.TraceReplay;
import dev.llmharness.api.Warmup;
import dev.llmharness.api.WorkerStages;
import dev.llmharness.api.Workers;

/**
 * Every load shape of docs/load.md, one benchmark each, small enough to run against the simulator
 * in a minute or two: {@code llmh run --include 'LoadShapeBenchmarks'}. A shape ends by itself and
 * is measured to its end, so no {@code @Measurement} is needed; the warmup (none here) would take
 * the shape's first part.
 */
@Warmup(duration = "0s")
@TokenShape(input = 128, output = 32)
public class LoadShapeBenchmarks {

    /** From 1 to 20 requests/s over 20 s. */
    @Benchmark
    @Ramp(from = 1, to = 20, duration = "20s")
    public ChatRequest ramp(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /** Up to 10 requests/s in 5 s, hold 10 s, down to 0 in 5 s (k6's ramping arrival rate). */
    @Benchmark
    @Stages({@Stage(duration = "5s", rate = 10), @Stage(duration = "10s", rate = 10), @Stage(duration = "5s", rate = 0)
    })
    public ChatRequest stages(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /** 5, 10, 15 and 20 requests/s, 10 s each, joined by 2 s ramps. */
    @Benchmark
    @Step(start = 5, increment = 5, levels = 4, levelDuration = "10s", rampDuration = "2s")
    public ChatRequest step(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /** 5 requests/s, a jump to 50 for 10 s, back to 5: how fast does latency recover? */
    @Benchmark
    @Spike(base = 5, peak = 50, before = "10s", hold = "10s", after = "20s")
    public ChatRequest spike(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /** 10 requests/s for 2 minutes (a real soak runs for hours: {@code duration = "4h"}). */
    @Benchmark
    @Soak(rate = 10, duration = "2m")
    public ChatRequest soak(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /** 20 requests/s with bursty arrivals: gamma gaps of shape 0.25 (vLLM's --burstiness). */
    @Benchmark
    @OpenLoop(rate = 20, arrival = Arrival.POISSON, burstiness = 0.25)
    public ChatRequest bursty(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /** The arrival times of a Mooncake-format trace, replayed twice as fast. */
    @Benchmark
    @TraceReplay(path = "classpath:traces/mooncake-sample.jsonl", speedup = 2)
    public ChatRequest mooncakeTrace(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /** The arrival times of an Azure-format trace, in real time. */
    @Benchmark
    @TraceReplay(path = "classpath:traces/azure-sample.csv")
    public ChatRequest azureTrace(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /** 16 workers started evenly over 10 s, then held until the window ends. */
    @Benchmark
    @ClosedLoop(concurrency = 16, rampUp = "10s")
    public ChatRequest rampedWorkers(Prompt prompt) {
        return ChatRequest.of(prompt);
    }

    /** 1 worker, then 4, then 16, 10 s each, then the end (k6's ramping VUs). */
    @Benchmark
    @WorkerStages(
            start = 1,
            value = {
                @Workers(duration = "10s", target = 1),
                @Workers(duration = "0s", target = 4),
                @Workers(duration = "10s", target = 4),
                @Workers(duration = "0s", target = 16),
                @Workers(duration = "10s", target = 16)
            })
    public ChatRequest workerStages(Prompt prompt) {
        return ChatRequest.of(prompt);
    }
}
