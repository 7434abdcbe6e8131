package dev.llmharness.processor;

import static com.google.testing.compile.Compiler.javac;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Every bounded attribute of the annotations, at a value just inside its range and one just
 * outside it, each bound from {@code Limits}: the values inside compile, all together, without a
 * warning under {@code -Werror}; each value outside is exactly one error on its own line whose
 * message names the bound and what to write instead. One benchmark method per row and one
 * compilation per side (real javac with the processor), so that the table grows without slowing
 * the build.
 */
class AttributeBoundsTest {
    /**
     * @param what the attribute and the side of its range, as the failure names the row
     * @param inside annotations (after {@code @Benchmark}) with a value just inside the range
     * @param outside the same with a value just outside
     * @param message a fragment of the one error on the outside row's line
     */
    record Row(String what, String inside, String outside, String message) {}

    private static final String MAX_RATE = "must be at most 1000000 requests/s (Limits.MAX_RATE), got ";
    private static final String MAX_WORKERS = "must be at most 100000 (Limits.MAX_CONCURRENCY), got 100001";
    private static final String MAX_DURATION =
            "must be at most 168h (Limits.MAX_DURATION), got 168h1s: check the unit (m is minutes, h hours)";

    static List<Row> rows() {
        List<Row> r = new ArrayList<>();
        // ---- @OpenLoop
        r.add(new Row(
                "@OpenLoop(rate) at most MAX_RATE",
                "@OpenLoop(rate = 1000000)",
                "@OpenLoop(rate = 1000000.5)",
                "@OpenLoop(rate) " + MAX_RATE + "1000000.5: one harness sends far fewer; for more load, split the"
                        + " rate over several harness JVMs and join their results with llmh merge"));
        r.add(new Row(
                "@OpenLoop(rate) above 0",
                "@OpenLoop(rate = 0.2)",
                "@OpenLoop(rate = 0)",
                "@OpenLoop(rate) must be finite and > 0 requests per second, got 0.0; e.g. rate = 0.5"));
        r.add(new Row(
                "@OpenLoop(rate) not NaN",
                "@OpenLoop(rate = 1)",
                "@OpenLoop(rate = Double.NaN)",
                "@OpenLoop(rate) must be finite and > 0 requests per second, got NaN"));
        r.add(new Row(
                "@OpenLoop(rate) expects MIN_EXPECTED_REQUESTS in the window",
                "@OpenLoop(rate = 0.2)",
                "@OpenLoop(rate = 0.1)",
                "expects 3 requests, fewer than 5 (Limits.MIN_EXPECTED_REQUESTS)"));
        r.add(new Row(
                "@OpenLoop(maxInFlight) at most MAX_CONCURRENCY",
                "@OpenLoop(rate = 1, maxInFlight = 100000)",
                "@OpenLoop(rate = 1, maxInFlight = 100001)",
                "@OpenLoop(maxInFlight) " + MAX_WORKERS + ": each worker holds a connection, and one harness opens"
                        + " fewer than 65,536 to a server; check the digits, or use 0 for no cap"));
        r.add(new Row(
                "@OpenLoop(maxInFlight) at least 0",
                "@OpenLoop(rate = 1, maxInFlight = 0)",
                "@OpenLoop(rate = 1, maxInFlight = -1)",
                "@OpenLoop(maxInFlight) must be >= 0, got -1; use 0 for no cap on requests in flight"));
        r.add(new Row(
                "@OpenLoop(burstiness) at least MIN_BURSTINESS",
                "@OpenLoop(rate = 1, burstiness = 0.01)",
                "@OpenLoop(rate = 1, burstiness = 0.0099)",
                "@OpenLoop(burstiness) must be in [0.01, 1000] (1 = Poisson, < 1 burstier, > 1 more even), got"
                        + " 0.0099"));
        r.add(new Row(
                "@OpenLoop(burstiness) at most MAX_BURSTINESS",
                "@OpenLoop(rate = 1, burstiness = 1000)",
                "@OpenLoop(rate = 1, burstiness = 1000.5)",
                "@OpenLoop(burstiness) must be in [0.01, 1000]"));
        // ---- @ClosedLoop
        r.add(new Row(
                "@ClosedLoop(concurrency) at most MAX_CONCURRENCY",
                "@ClosedLoop(concurrency = 100000)",
                "@ClosedLoop(concurrency = 100001)",
                "@ClosedLoop(concurrency) " + MAX_WORKERS + ": each worker holds a connection"));
        r.add(new Row(
                "@ClosedLoop(concurrency) of ten million workers",
                "@ClosedLoop(concurrency = 10_000)",
                "@ClosedLoop(concurrency = 10_000_000)",
                "@ClosedLoop(concurrency) must be at most 100000 (Limits.MAX_CONCURRENCY), got 10000000"));
        r.add(new Row(
                "@ClosedLoop(concurrency) at least 1",
                "@ClosedLoop(concurrency = 1)",
                "@ClosedLoop(concurrency = 0)",
                "@ClosedLoop(concurrency) must be >= 1 worker, got 0"));
        r.add(new Row(
                "@ClosedLoop(thinkTime) at most MAX_DURATION",
                "@ClosedLoop(concurrency = 1, thinkTime = \"168h\")",
                "@ClosedLoop(concurrency = 1, thinkTime = \"168h1s\")",
                "@ClosedLoop(thinkTime) " + MAX_DURATION));
        r.add(new Row(
                "@ClosedLoop(rampUp) at most MAX_DURATION",
                "@ClosedLoop(concurrency = 2, rampUp = \"168h\") @Measurement(duration = \"168h\")",
                "@ClosedLoop(concurrency = 2, rampUp = \"168h1s\") @Measurement(duration = \"168h\")",
                "@ClosedLoop(rampUp) " + MAX_DURATION));
        r.add(new Row(
                "@ClosedLoop(rampUp) shorter than the warmup and the window",
                "@ClosedLoop(concurrency = 4, rampUp = \"34s\")",
                "@ClosedLoop(concurrency = 4, rampUp = \"35s\")",
                "@ClosedLoop(rampUp) \"35s\" is as long as the warmup and the window together (35s), so the last"
                        + " workers would never start: give a rampUp well within 35s, or lengthen"
                        + " @Measurement(duration)"));
        // ---- @Ramp
        r.add(new Row(
                "@Ramp(from) at most MAX_RATE",
                "@Ramp(from = 1000000, to = 0, duration = \"10s\")",
                "@Ramp(from = 1000001, to = 0, duration = \"10s\")",
                "@Ramp(from) " + MAX_RATE + "1000001.0"));
        r.add(new Row(
                "@Ramp(from) at least 0",
                "@Ramp(from = 0, to = 10, duration = \"10s\")",
                "@Ramp(from = -1, to = 10, duration = \"10s\")",
                "@Ramp(from) must be finite and >= 0 requests per second, got -1.0; e.g. from = 10, or 0 for no"
                        + " load"));
        r.add(new Row(
                "@Ramp(to) at most MAX_RATE",
                "@Ramp(to = 1000000, duration = \"10s\")",
                "@Ramp(to = 1000001, duration = \"10s\")",
                "@Ramp(to) " + MAX_RATE + "1000001.0"));
        r.add(new Row(
                "@Ramp(to) other than from",
                "@Ramp(from = 10, to = 11, duration = \"1m\")",
                "@Ramp(from = 10, to = 10, duration = \"1m\")",
                "@Ramp(from) and @Ramp(to) are both 10 requests/s, so the rate never changes: give to the rate the"
                        + " ramp should reach, or for a constant rate write @Soak(rate = 10, duration = \"1m\") or"
                        + " @OpenLoop(rate = 10)"));
        r.add(new Row(
                "@Ramp(duration) at most MAX_DURATION",
                "@Ramp(to = 1, duration = \"168h\")",
                "@Ramp(to = 1, duration = \"168h1s\")",
                "@Ramp(duration) " + MAX_DURATION));
        r.add(new Row(
                "@Ramp(maxInFlight) at most MAX_CONCURRENCY",
                "@Ramp(to = 10, duration = \"1m\", maxInFlight = 100000)",
                "@Ramp(to = 10, duration = \"1m\", maxInFlight = 100001)",
                "@Ramp(maxInFlight) " + MAX_WORKERS));
        r.add(new Row(
                "@Ramp(burstiness) at most MAX_BURSTINESS",
                "@Ramp(to = 10, duration = \"1m\", burstiness = 1000)",
                "@Ramp(to = 10, duration = \"1m\", burstiness = 1001)",
                "@Ramp(burstiness) must be in [0.01, 1000]"));
        // ---- @Stages, @Stage
        r.add(new Row(
                "@Stages(startRate) at most MAX_RATE",
                "@Stages(startRate = 1000000, value = @Stage(duration = \"10s\", rate = 0))",
                "@Stages(startRate = 1000001, value = @Stage(duration = \"10s\", rate = 0))",
                "@Stages(startRate) " + MAX_RATE + "1000001.0"));
        r.add(new Row(
                "@Stage(rate) at most MAX_RATE",
                "@Stages(@Stage(duration = \"10s\", rate = 1000000))",
                "@Stages(@Stage(duration = \"10s\", rate = 1000001))",
                "@Stage(rate) " + MAX_RATE + "1000001.0: one harness sends far fewer"));
        r.add(new Row(
                "@Stage(duration) at most MAX_DURATION",
                "@Stages(@Stage(duration = \"168h\", rate = 1))",
                "@Stages(@Stage(duration = \"168h1s\", rate = 1))",
                "@Stage(duration) " + MAX_DURATION));
        r.add(new Row(
                "@Stages together longer than 0s",
                "@Stages({@Stage(duration = \"0s\", rate = 10), @Stage(duration = \"10s\", rate = 10)})",
                "@Stages({@Stage(duration = \"0s\", rate = 10), @Stage(duration = \"0s\", rate = 20)})",
                "@Stages: every stage lasts 0s, so the shape has no length and nothing is measured: give the"
                        + " stages durations, e.g. @Stage(duration = \"30s\", rate = 10)"));
        r.add(new Row(
                "@Stages not all at startRate",
                "@Stages(startRate = 10, value = @Stage(duration = \"1m\", rate = 11))",
                "@Stages(startRate = 10, value = @Stage(duration = \"1m\", rate = 10))",
                "@Stages holds 10 requests/s throughout (startRate and every stage's rate), so the rate never"
                        + " changes: give a stage another rate, or for a constant rate write @Soak(rate = 10,"
                        + " duration = \"1m\")"));
        // ---- @Step
        r.add(new Row(
                "@Step(levels) at least 2",
                "@Step(start = 10, increment = 10, levels = 2, levelDuration = \"10s\")",
                "@Step(start = 10, increment = 10, levels = 1, levelDuration = \"10s\")",
                "@Step(levels = 1) holds one rate, so nothing steps: give levels >= 2, or for a constant rate write"
                        + " @Soak(rate = 10, duration = \"10s\")"));
        r.add(new Row(
                "@Step(levels) at most MAX_STEP_LEVELS",
                "@Step(start = 1, increment = 1, levels = 100, levelDuration = \"10s\", rampDuration = \"1s\")",
                "@Step(start = 1, increment = 1, levels = 101, levelDuration = \"10s\", rampDuration = \"1s\")",
                "@Step(levels) must be at most 100 (Limits.MAX_STEP_LEVELS), got 101: check the digits, or raise"
                        + " increment for fewer, larger steps"));
        r.add(new Row(
                "@Step(increment) not 0",
                "@Step(start = 10, increment = -5, levels = 2, levelDuration = \"10s\")",
                "@Step(start = 10, increment = 0, levels = 2, levelDuration = \"10s\", rampDuration = \"5s\")",
                "@Step(increment) is 0, so every level holds 10 requests/s and nothing steps: give the rate added"
                        + " per level, e.g. increment = 10, or for a constant rate write @Soak(rate = 10, duration ="
                        + " \"25s\")"));
        r.add(new Row(
                "@Step(increment) finite",
                "@Step(start = 10, increment = 0.5, levels = 2, levelDuration = \"10s\")",
                "@Step(start = 10, increment = Double.NaN, levels = 2, levelDuration = \"10s\")",
                "@Step(increment) must be a finite number of requests per second, got NaN"));
        r.add(new Row(
                "@Step(start) at least 0",
                "@Step(start = 0, increment = 10, levels = 2, levelDuration = \"10s\")",
                "@Step(start = -1, increment = 10, levels = 2, levelDuration = \"10s\")",
                "@Step(start) must be finite and >= 0 requests per second, got -1.0"));
        r.add(new Row(
                "@Step(start) finite",
                "@Step(start = 0.5, increment = 10, levels = 2, levelDuration = \"10s\")",
                "@Step(start = Double.NaN, increment = 10, levels = 2, levelDuration = \"10s\")",
                "@Step(start) must be finite and >= 0 requests per second, got NaN"));
        r.add(new Row(
                "@Step(levelDuration) longer than 0s",
                "@Step(start = 10, increment = 10, levels = 2, levelDuration = \"3s\")",
                "@Step(start = 10, increment = 10, levels = 2, levelDuration = \"0s\")",
                "@Step(levelDuration) must be longer than 0s, got \"0s\": each level holds its rate that long, e.g."
                        + " levelDuration = \"1m\""));
        r.add(new Row(
                "@Step(rampDuration) at most MAX_DURATION",
                "@Step(start = 10, increment = 10, levels = 2, levelDuration = \"10s\", rampDuration = \"168h\")",
                "@Step(start = 10, increment = 10, levels = 2, levelDuration = \"10s\", rampDuration = \"168h1s\")",
                "@Step(rampDuration) " + MAX_DURATION));
        // ---- @Spike
        r.add(new Row(
                "@Spike(peak) above base",
                "@Spike(base = 10, peak = 10.5, before = \"10s\", hold = \"10s\", after = \"10s\")",
                "@Spike(base = 10, peak = 10, before = \"10s\", hold = \"10s\", after = \"10s\")",
                "@Spike(peak) 10 requests/s equals base, so nothing spikes: give a peak above 10, e.g. peak = 100,"
                        + " or for a constant rate write @Soak(rate = 10, duration = ...)"));
        r.add(new Row(
                "@Spike(peak) at most MAX_RATE",
                "@Spike(base = 10, peak = 1000000, before = \"10s\", hold = \"10s\", after = \"10s\")",
                "@Spike(base = 10, peak = 1000001, before = \"10s\", hold = \"10s\", after = \"10s\")",
                "@Spike(peak) " + MAX_RATE + "1000001.0"));
        r.add(new Row(
                "@Spike(base) at least 0",
                "@Spike(base = 0, peak = 10, before = \"10s\", hold = \"10s\", after = \"10s\")",
                "@Spike(base = -1, peak = 10, before = \"10s\", hold = \"10s\", after = \"10s\")",
                "@Spike(base) must be finite and >= 0 requests per second, got -1.0"));
        for (String attribute : List.of("before", "rise", "hold", "fall", "after")) {
            String others = "base = 10, peak = 20"
                    + (attribute.equals("before") ? "" : ", before = \"10s\"")
                    + (attribute.equals("hold") ? "" : ", hold = \"10s\"")
                    + (attribute.equals("after") ? "" : ", after = \"10s\"");
            r.add(new Row(
                    "@Spike(" + attribute + ") at most MAX_DURATION",
                    "@Spike(" + others + ", " + attribute + " = \"168h\")",
                    "@Spike(" + others + ", " + attribute + " = \"168h1s\")",
                    "@Spike(" + attribute + ") " + MAX_DURATION));
        }
        // ---- @Soak
        r.add(new Row(
                "@Soak(rate) at most MAX_RATE",
                "@Soak(rate = 1000000, duration = \"1m\")",
                "@Soak(rate = 1000001, duration = \"1m\")",
                "@Soak(rate) " + MAX_RATE + "1000001.0"));
        r.add(new Row(
                "@Soak(rate) above 0",
                "@Soak(rate = 1, duration = \"1m\")",
                "@Soak(rate = 0, duration = \"1m\")",
                "@Soak(rate) must be finite and > 0 requests per second, got 0.0"));
        r.add(new Row(
                "@Soak(duration) at most MAX_DURATION",
                "@Soak(rate = 1, duration = \"168h\")",
                "@Soak(rate = 1, duration = \"168h1s\")",
                "@Soak(duration) " + MAX_DURATION));
        r.add(new Row(
                "@Soak(duration) longer than its warmup",
                "@Soak(rate = 10, duration = \"6s\")",
                "@Soak(rate = 10, duration = \"5s\")",
                "the warmup (5s) is as long as the whole shape (5s), so nothing would be measured: add"
                        + " @Warmup(duration = \"0s\") to measure the whole shape, or a shorter warmup"));
        // ---- @TraceReplay
        r.add(new Row(
                "@TraceReplay(maxInFlight) at most MAX_CONCURRENCY",
                "@TraceReplay(path = \"t.csv\", maxInFlight = 100000)",
                "@TraceReplay(path = \"t.csv\", maxInFlight = 100001)",
                "@TraceReplay(maxInFlight) " + MAX_WORKERS));
        r.add(new Row(
                "@TraceReplay(speedup) finite",
                "@TraceReplay(path = \"t.csv\", speedup = 0.5)",
                "@TraceReplay(path = \"t.csv\", speedup = Double.NaN)",
                "@TraceReplay(speedup) must be in [0.001, 1000] (Limits.MIN_SPEEDUP, MAX_SPEEDUP; 2 replays twice as"
                        + " fast), got NaN"));
        r.add(new Row(
                "@TraceReplay(speedup) at least MIN_SPEEDUP",
                "@TraceReplay(path = \"t.csv\", speedup = 0.001)",
                "@TraceReplay(path = \"t.csv\", speedup = 0.0009)",
                "@TraceReplay(speedup) must be in [0.001, 1000] (Limits.MIN_SPEEDUP, MAX_SPEEDUP; 2 replays twice as"
                        + " fast), got 9.0E-4; e.g. speedup = 4 replays four times as fast, speedup = 0.5 at half"
                        + " speed"));
        r.add(new Row(
                "@TraceReplay(speedup) at most MAX_SPEEDUP",
                "@TraceReplay(path = \"t.csv\", speedup = 1000)",
                "@TraceReplay(path = \"t.csv\", speedup = 1000.5)",
                "@TraceReplay(speedup) must be in [0.001, 1000] (Limits.MIN_SPEEDUP, MAX_SPEEDUP; 2 replays twice as"
                        + " fast), got 1000.5"));
        // ---- @WorkerStages, @Workers
        r.add(new Row(
                "@WorkerStages(start) at most MAX_CONCURRENCY",
                "@WorkerStages(start = 100000, value = @Workers(duration = \"10s\", target = 1))",
                "@WorkerStages(start = 100001, value = @Workers(duration = \"10s\", target = 1))",
                "@WorkerStages(start) " + MAX_WORKERS));
        r.add(new Row(
                "@Workers(target) at most MAX_CONCURRENCY",
                "@WorkerStages(@Workers(duration = \"10s\", target = 100000))",
                "@WorkerStages(@Workers(duration = \"10s\", target = 100001))",
                "@Workers(target) " + MAX_WORKERS));
        r.add(new Row(
                "@Workers(duration) at most MAX_DURATION",
                "@WorkerStages(@Workers(duration = \"168h\", target = 4))",
                "@WorkerStages(@Workers(duration = \"168h1s\", target = 4))",
                "@Workers(duration) " + MAX_DURATION));
        r.add(new Row(
                "@WorkerStages(thinkTime) at most MAX_DURATION",
                "@WorkerStages(thinkTime = \"168h\", value = @Workers(duration = \"10s\", target = 4))",
                "@WorkerStages(thinkTime = \"168h1s\", value = @Workers(duration = \"10s\", target = 4))",
                "@WorkerStages(thinkTime) " + MAX_DURATION));
        // ---- @Warmup, @Measurement
        r.add(new Row(
                "@Warmup(duration) at most MAX_DURATION",
                "@OpenLoop(rate = 1) @Warmup(duration = \"168h\")",
                "@OpenLoop(rate = 1) @Warmup(duration = \"168h1s\")",
                "@Warmup(duration) " + MAX_DURATION));
        r.add(new Row(
                "@Warmup(requests) at least 0",
                "@OpenLoop(rate = 1) @Warmup(requests = 0)",
                "@OpenLoop(rate = 1) @Warmup(requests = -1)",
                "@Warmup(requests) must be >= 0, got -1; use 0 to bound the phase by its duration"));
        r.add(new Row(
                "@Measurement(duration) at most MAX_DURATION",
                "@OpenLoop(rate = 1) @Measurement(duration = \"168h\")",
                "@OpenLoop(rate = 1) @Measurement(duration = \"168h1s\")",
                "@Measurement(duration) " + MAX_DURATION));
        r.add(new Row(
                "@Measurement(duration) longer than 0s",
                "@OpenLoop(rate = 2000) @Measurement(duration = \"5ms\")",
                "@OpenLoop(rate = 2000) @Measurement(duration = \"0s\")",
                "@Measurement(duration) must be > 0; nothing would be measured in \"0s\""));
        r.add(new Row(
                "@Measurement(requests) at least MIN_EXPECTED_REQUESTS",
                "@OpenLoop(rate = 1) @Measurement(requests = 5)",
                "@OpenLoop(rate = 1) @Measurement(requests = 4)",
                "@Measurement(requests) 4 is fewer than 5 requests (Limits.MIN_EXPECTED_REQUESTS), too few for any"
                        + " latency or throughput figure: count at least 5"));
        r.add(new Row(
                "@Measurement(requests) sent within MAX_DURATION",
                "@OpenLoop(rate = 1) @Measurement(requests = 604800)",
                "@OpenLoop(rate = 1) @Measurement(requests = 604801)",
                "@Measurement(requests) 604801 at 1 requests/s would take longer than 168h (Limits.MAX_DURATION):"
                        + " count at most 604800 requests at that rate, or bound the window by duration"));
        r.add(new Row(
                "@Measurement(requests) at most MAX_REQUESTS",
                "@ClosedLoop(concurrency = 1) @Measurement(requests = 604800000000L)",
                "@ClosedLoop(concurrency = 1) @Measurement(requests = 604800000001L)",
                "@Measurement(requests) must be at most 604800000000 requests (Limits.MAX_REQUESTS: what MAX_RATE"
                        + " sends in MAX_DURATION), got 604800000001: check the digits, or bound the phase by its"
                        + " duration"));
        r.add(new Row(
                "@Warmup(requests) at most MAX_REQUESTS",
                "@ClosedLoop(concurrency = 1) @Warmup(requests = 604800000000L)",
                "@ClosedLoop(concurrency = 1) @Warmup(requests = 604800000001L)",
                "@Warmup(requests) must be at most 604800000000 requests (Limits.MAX_REQUESTS"));
        r.add(new Row(
                "@Measurement(drainTimeout) at most MAX_DURATION",
                "@OpenLoop(rate = 1) @Measurement(drainTimeout = \"168h\")",
                "@OpenLoop(rate = 1) @Measurement(drainTimeout = \"168h1s\")",
                "@Measurement(drainTimeout) " + MAX_DURATION));
        r.add(new Row(
                "@Measurement(drainTimeout) longer than 0s",
                "@OpenLoop(rate = 1) @Measurement(drainTimeout = \"1ms\")",
                "@OpenLoop(rate = 1) @Measurement(drainTimeout = \"0s\")",
                "@Measurement(drainTimeout) must be > 0, got \"0s\""));
        // ---- @TokenShape, @Dataset
        r.add(new Row(
                "@TokenShape(input) at most MAX_TOKENS",
                "@OpenLoop(rate = 1) @TokenShape(input = 1048576, output = 1)",
                "@OpenLoop(rate = 1) @TokenShape(input = 1048577, output = 1)",
                "@TokenShape(input) 1048577 tokens is beyond the runtime's limit of 1048576 tokens"
                        + " (Limits.MAX_TOKENS): give at most 1048576"));
        r.add(new Row(
                "@TokenShape(output) at least 1",
                "@OpenLoop(rate = 1) @TokenShape(input = 10, output = 1)",
                "@OpenLoop(rate = 1) @TokenShape(input = 10, output = 0)",
                "@TokenShape(output) must be >= 1 token, got 0"));
        r.add(new Row(
                "@TokenShape(sharedPrefix) below the shortest prompt",
                "@OpenLoop(rate = 1) @TokenShape(input = 100, output = 10, sharedPrefix = 99)",
                "@OpenLoop(rate = 1) @TokenShape(input = 100, output = 10, sharedPrefix = 100)",
                "@TokenShape(sharedPrefix) (100 tokens) must be below the smallest prompt length (100 tokens)"));
        r.add(new Row(
                "@TokenShape(inputStddev) finite",
                "@OpenLoop(rate = 1) @TokenShape(input = 100, inputDistribution = Distribution.NORMAL, inputStddev ="
                        + " 0.5, output = 10)",
                "@OpenLoop(rate = 1) @TokenShape(input = 100, inputDistribution = Distribution.NORMAL, inputStddev ="
                        + " Double.NaN, output = 10)",
                "@TokenShape(inputStddev) must be finite and >= 0 tokens, got NaN"));
        String dataset = "@OpenLoop(rate = 1) @Dataset(format = DatasetFormat.SHAREGPT, path = \"d.json\", ";
        r.add(new Row(
                "@Dataset(outputTokens) at most MAX_TOKENS",
                dataset + "outputTokens = 1048576)",
                dataset + "outputTokens = 1048577)",
                "@Dataset(outputTokens) 1048577 is beyond the runtime's limit of 1048576 tokens"));
        r.add(new Row(
                "@Dataset(outputTokens) at most maxOutputTokens",
                dataset + "outputTokens = 256, maxOutputTokens = 256)",
                dataset + "outputTokens = 257, maxOutputTokens = 256)",
                "@Dataset(outputTokens) 257 is above maxOutputTokens 256, which caps it, so requests would ask for"
                        + " 256: give outputTokens at most 256, or raise maxOutputTokens"));
        r.add(new Row(
                "@Dataset(minInputTokens) at least 1",
                dataset + "minInputTokens = 1)",
                dataset + "minInputTokens = 0)",
                "@Dataset(minInputTokens) must be >= 1, got 0"));
        r.add(new Row(
                "@Dataset(limit) at least 0",
                dataset + "limit = 0)",
                dataset + "limit = -1)",
                "@Dataset(limit) must be >= 0, got -1; use 0 to read every record"));
        // ---- @Slo
        r.add(new Row(
                "@Slo percentile below 100",
                "@OpenLoop(rate = 1) @Slo(ttft = \"p99.999 <= 1s\")",
                "@OpenLoop(rate = 1) @Slo(ttft = \"p100 <= 1s\")",
                "the percentile must be in (0, 100), e.g. p50, p99 or p99.9"));
        r.add(new Row(
                "@Slo threshold above 0",
                "@OpenLoop(rate = 1) @Slo(e2e = \"p99 <= 1ns\")",
                "@OpenLoop(rate = 1) @Slo(e2e = \"p99 <= 0s\")",
                "@Slo(e2e): invalid SLO bound \"p99 <= 0s\": the limit must be > 0"));
        r.add(new Row(
                "@Slo(maxErrorRate) at most 1",
                "@OpenLoop(rate = 1) @Slo(maxErrorRate = 1)",
                "@OpenLoop(rate = 1) @Slo(maxErrorRate = 1.5)",
                "@Slo(maxErrorRate) must be in [0, 1] (a fraction, 0.01 is 1%), or negative for no bound; got 1.5"));
        r.add(new Row(
                "@Slo(maxErrorRate) not NaN",
                "@OpenLoop(rate = 1) @Slo(maxErrorRate = 0)",
                "@OpenLoop(rate = 1) @Slo(maxErrorRate = Double.NaN)",
                "@Slo(maxErrorRate) must be in [0, 1]"));
        r.add(new Row(
                "@Slo(windows) at most 1",
                "@OpenLoop(rate = 1) @Slo(maxErrorRate = 0.01, windows = 1)",
                "@OpenLoop(rate = 1) @Slo(maxErrorRate = 0.01, windows = 1.01)",
                "@Slo(windows) is the share of windows that must meet the SLO, in (0, 1]"));
        r.add(new Row(
                "@Slo(minThroughput) at most 1",
                "@OpenLoop(rate = 1) @Slo(minThroughput = 1)",
                "@OpenLoop(rate = 1) @Slo(minThroughput = 1.01)",
                "@Slo(minThroughput) is the share of the offered requests each window must complete, in (0, 1] (0.9"
                        + " is 90%), or negative for no such objective; got 1.01"));
        r.add(new Row(
                "@Slo(minThroughput) above 0",
                "@OpenLoop(rate = 1) @Slo(minThroughput = 0.01, window = \"30s\")",
                "@OpenLoop(rate = 1) @Slo(minThroughput = 0)",
                "@Slo(minThroughput) is the share of the offered requests each window must complete, in (0, 1]"));
        r.add(new Row(
                "@Slo(window) whole seconds",
                "@OpenLoop(rate = 1) @Slo(maxErrorRate = 0.01, windows = 0.9, window = \"1s\")",
                "@OpenLoop(rate = 1) @Slo(maxErrorRate = 0.01, windows = 0.9, window = \"1500ms\")",
                "@Slo(window) must be whole seconds, at least 1s (the timeline is kept per second); got"
                        + " \"1500ms\": write \"2s\""));
        r.add(new Row(
                "@Slo(window) within the measurement window",
                "@OpenLoop(rate = 1) @Slo(maxErrorRate = 0.01, windows = 0.9, window = \"30s\")",
                "@OpenLoop(rate = 1) @Slo(maxErrorRate = 0.01, windows = 0.9, window = \"31s\")",
                "@Slo(window) \"31s\" is longer than the 30s the trial measures (its measurement window), so no"
                        + " whole window fits: give window = \"30s\" or shorter, or lengthen @Measurement(duration)"));
        r.add(new Row(
                "@Slo(window) within a shape's length after the warmup",
                "@Soak(rate = 1, duration = \"20s\") @Slo(maxErrorRate = 0.01, windows = 0.9, window = \"15s\")",
                "@Soak(rate = 1, duration = \"20s\") @Slo(maxErrorRate = 0.01, windows = 0.9, window = \"16s\")",
                "@Slo(window) \"16s\" is longer than the 15s the trial measures (its load's length after the"
                        + " warmup), so no whole window fits: give window = \"15s\" or shorter, or lengthen the load or"
                        + " shorten the warmup"));
        r.add(new Row(
                "@Slo latency limit at most MAX_DURATION",
                "@OpenLoop(rate = 1) @Slo(ttft = \"p99 <= 168h\")",
                "@OpenLoop(rate = 1) @Slo(ttft = \"p99 <= 168h1s\")",
                "@Slo(ttft): invalid SLO bound \"p99 <= 168h1s\": the limit must be at most 168h"
                        + " (Limits.MAX_DURATION), got 168h1s: no request is measured that long; check the unit (ms, s,"
                        + " m, h)"));
        // ---- @AnalysisLimits
        r.add(new Row(
                "@AnalysisLimits latency limit at most MAX_DURATION",
                "@OpenLoop(rate = 1) @AnalysisLimits(e2eP90 = \"10s,168h\")",
                "@OpenLoop(rate = 1) @AnalysisLimits(e2eP90 = \"10s,168h1s\")",
                "@AnalysisLimits(e2eP90) \"10s,168h1s\": a latency limit must be at most 168h (Limits.MAX_DURATION);"
                        + " check the unit (ms, s, m, h), e.g. \"10s,30s\""));
        // ---- @Endpoint
        r.add(new Row(
                "@Endpoint(url) port at most 65535",
                "@OpenLoop(rate = 1) @Endpoint(url = \"http://127.0.0.1:65535\")",
                "@OpenLoop(rate = 1) @Endpoint(url = \"http://127.0.0.1:65536\")",
                "@Endpoint(url) \"http://127.0.0.1:65536\": the port 65536 is outside 1 to 65535; write the server's"
                        + " base URL, e.g. http://127.0.0.1:8000, or leave it empty to set -Dllmh.url at run time"));
        r.add(new Row(
                "@Endpoint(url) port at least 1",
                "@OpenLoop(rate = 1) @Endpoint(url = \"http://127.0.0.1:1\")",
                "@OpenLoop(rate = 1) @Endpoint(url = \"http://127.0.0.1:0\")",
                "@Endpoint(url) \"http://127.0.0.1:0\": the port 0 is outside 1 to 65535"));
        r.add(new Row(
                "@Endpoint(url) with a host",
                "@OpenLoop(rate = 1) @Endpoint(url = \"http://h:8000\")",
                "@OpenLoop(rate = 1) @Endpoint(url = \"http://:8000\")",
                "@Endpoint(url) \"http://:8000\": it has no host"));
        r.add(new Row(
                "@Endpoint(url) without blanks",
                "@OpenLoop(rate = 1) @Endpoint(url = \"http://127.0.0.1:8001\")",
                "@OpenLoop(rate = 1) @Endpoint(url = \"http://127.0.0.1 :8000\")",
                "@Endpoint(url) \"http://127.0.0.1 :8000\": a URL has no blanks"));
        r.add(new Row(
                "@Endpoint(url) http or https",
                "@OpenLoop(rate = 1) @Endpoint(url = \"https://127.0.0.1\")",
                "@OpenLoop(rate = 1) @Endpoint(url = \"ftp://127.0.0.1\")",
                "@Endpoint(url) \"ftp://127.0.0.1\": the scheme ftp:// is not supported: use http:// or https://"));
        r.add(new Row(
                "@Endpoint(url) a URL",
                "@OpenLoop(rate = 1) @Endpoint(url = \"http://[::1]:8000\")",
                "@OpenLoop(rate = 1) @Endpoint(url = \"http://[::1:8000\")",
                "@Endpoint(url) \"http://[::1:8000\": it is not a URL"));
        r.add(new Row(
                "@Endpoint(url) without the API path",
                "@OpenLoop(rate = 1) @Endpoint(url = \"http://127.0.0.1:8000\")",
                "@OpenLoop(rate = 1) @Endpoint(url = \"http://127.0.0.1:8000/v1/chat/completions\")",
                "@Endpoint(url) \"http://127.0.0.1:8000/v1/chat/completions\" ends with the API path"
                        + " /v1/chat/completions, which the harness appends itself (it follows @Endpoint(api)): write"
                        + " the base URL \"http://127.0.0.1:8000\""));
        r.add(new Row(
                "@Endpoint(url) without a query",
                "@OpenLoop(rate = 1) @Endpoint(url = \"https://example.com/proxy\")",
                "@OpenLoop(rate = 1) @Endpoint(url = \"https://example.com/proxy?model=x\")",
                "has a query or fragment, which a base URL cannot keep (the API path is appended to it): remove"
                        + " everything from ? or #"));
        r.add(new Row(
                "@Endpoint(model) without spaces around it",
                "@OpenLoop(rate = 1) @Endpoint(model = \"qwen2.5-0.5b\")",
                "@OpenLoop(rate = 1) @Endpoint(model = \"qwen2.5-0.5b \")",
                "@Endpoint(model) \"qwen2.5-0.5b \" has spaces around it, which the server would take as part of"
                        + " the model's name: write \"qwen2.5-0.5b\""));
        r.add(new Row(
                "@Endpoint(apiKeyEnv) a variable, not a reference to it",
                "@OpenLoop(rate = 1) @Endpoint(apiKeyEnv = \"OPENAI_API_KEY\")",
                "@OpenLoop(rate = 1) @Endpoint(apiKeyEnv = \"${OPENAI_API_KEY}\")",
                "@Endpoint(apiKeyEnv) \"${OPENAI_API_KEY}\" is a shell reference to the variable, not its name:"
                        + " write apiKeyEnv = \"OPENAI_API_KEY\""));
        r.add(new Row(
                "@Endpoint(apiKeyEnv) a variable, not the key",
                "@OpenLoop(rate = 1) @Endpoint(apiKeyEnv = \"_KEY2\")",
                "@OpenLoop(rate = 1) @Endpoint(apiKeyEnv = \"sk-proj-abc123\")",
                "@Endpoint(apiKeyEnv) is not an environment variable name (letters, digits and _, not starting with"
                        + " a digit): name the variable that holds the API key"));
        return r;
    }

    /** A class with one benchmark method per annotation text, method {@code i} on line {@code FIRST + i}. */
    private static JavaFileObject bench(List<String> annotations) {
        List<String> lines = new ArrayList<>(
                List.of("package com.example;", "import dev.llmharness.api.*;", "public class Bench {"));
        for (int i = 0; i < annotations.size(); i++) {
            lines.add("  @Benchmark " + annotations.get(i) + " public ChatRequest m" + i
                    + "(Prompt p) { return ChatRequest.of(p); }");
        }
        lines.add("}");
        return Compiled.source("com.example.Bench", lines.toArray(new String[0]));
    }

    /** The line of method {@code i} in {@link #bench}. */
    private static final int FIRST = 4;

    private static List<String> messages(List<Diagnostic<? extends JavaFileObject>> diagnostics, long line) {
        return diagnostics.stream()
                .filter(d -> d.getLineNumber() == line)
                .map(d -> d.getMessage(Locale.ROOT))
                .toList();
    }

    @Test
    void everyValueJustInsideItsRangeCompilesWithoutAWarning() {
        Compilation compilation =
                Compiled.compile(bench(rows().stream().map(Row::inside).toList()));

        assertThat(compilation.diagnostics().stream()
                        .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
                        .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                        .toList())
                .as("the values just inside their ranges")
                .isEmpty();
        assertThat(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
    }

    @Test
    void everyValueJustOutsideItsRangeIsOneErrorOnItsLineNamingTheFix() {
        List<Row> rows = rows();
        Compilation compilation = javac().withProcessors(new BenchmarkProcessor())
                .withOptions("-Xlint:all")
                .compile(bench(rows.stream().map(Row::outside).toList()));

        List<Diagnostic<? extends JavaFileObject>> errors = List.copyOf(compilation.errors());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            assertThat(messages(errors, FIRST + i))
                    .as("%s: %s", row.what(), row.outside())
                    .hasSize(1)
                    .allSatisfy(m -> assertThat(m).contains(row.message()));
        }
        assertThat(errors).as("no error off the rows' lines").hasSize(rows.size());
    }

    /**
     * {@code @Fork}, a class-level attribute, at its bounds: 1 and {@link
     * dev.llmharness.api.Limits#MAX_FORKS} compile without a warning, 0 and one more than the
     * bound are one error each naming the bound.
     */
    @Test
    void forkJustInsideItsRangeCompilesAndJustOutsideIsOneError() {
        for (String inside : List.of("@Fork(1)", "@Fork(100)")) {
            Compilation c = Compiled.compile(forked(inside));
            assertThat(c.diagnostics().stream()
                            .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
                            .map(d -> d.getMessage(Locale.ROOT))
                            .toList())
                    .as(inside)
                    .isEmpty();
            assertThat(c.status()).as(inside).isEqualTo(Compilation.Status.SUCCESS);
        }
        List<List<String>> outside = List.of(
                List.of(
                        "@Fork(101)",
                        "@Fork must be at most 100 runs a side (Limits.MAX_FORKS), got 101: each run"
                                + " repeats every selected trial on both sides; e.g. @Fork(5)"),
                List.of("@Fork(0)", "@Fork is the number of runs a side, >= 1, got 0; e.g. @Fork(3)"));
        for (List<String> o : outside) {
            Compilation c = javac().withProcessors(new BenchmarkProcessor())
                    .withOptions("-Xlint:all")
                    .compile(forked(o.get(0)));
            assertThat(c.errors()).as(o.get(0)).hasSize(1);
            assertThat(c.errors().get(0).getMessage(Locale.ROOT)).as(o.get(0)).contains(o.get(1));
        }
    }

    /**
     * {@code @Cost}'s counts, class-level attributes, at their bounds: 1 and {@link
     * dev.llmharness.api.Limits#MAX_GPUS} GPUs, 1 and {@link dev.llmharness.api.Limits#MAX_REPLICAS}
     * replicas compile without a warning; 0 and one more than the bound are one error each, naming
     * the bound.
     */
    @Test
    void costCountsJustInsideTheirRangesCompileAndJustOutsideAreOneErrorEach() {
        for (String inside : List.of(
                "@Cost(instancePricePerHour = 1, gpusPerInstance = 1024, gpusUsed = 1024, replicas = 100000)",
                "@Cost(instancePricePerHour = 1, gpusPerInstance = 1, gpusUsed = 1, replicas = 1)")) {
            Compilation c = Compiled.compile(forked(inside));
            assertThat(c.diagnostics().stream()
                            .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
                            .map(d -> d.getMessage(Locale.ROOT))
                            .toList())
                    .as(inside)
                    .isEmpty();
            assertThat(c.status()).as(inside).isEqualTo(Compilation.Status.SUCCESS);
        }
        List<List<String>> outside = List.of(
                List.of(
                        "@Cost(instancePricePerHour = 1, gpusPerInstance = 1025)",
                        "@Cost(gpusPerInstance) must be at most 1024 (Limits.MAX_GPUS), got 1025: check the digits"),
                List.of(
                        "@Cost(instancePricePerHour = 1, gpusUsed = 1025)",
                        "@Cost(gpusUsed) must be at most 1024 (Limits.MAX_GPUS), got 1025"),
                List.of(
                        "@Cost(instancePricePerHour = 1, replicas = 100001)",
                        "@Cost(replicas) must be at most 100000 (Limits.MAX_REPLICAS), got 100001"),
                List.of(
                        "@Cost(instancePricePerHour = 1, gpusUsed = 0)",
                        "@Cost(gpusUsed) counts the GPUs one replica uses: it must be >= 1, got 0"));
        for (List<String> o : outside) {
            Compilation c = javac().withProcessors(new BenchmarkProcessor())
                    .withOptions("-Xlint:all")
                    .compile(forked(o.get(0)));
            assertThat(c.errors()).as(o.get(0)).hasSize(1);
            assertThat(c.errors().get(0).getMessage(Locale.ROOT)).as(o.get(0)).contains(o.get(1));
        }
    }

    /** A benchmark class with one method and {@code annotation} on the class ({@code @Fork}, {@code @Cost}). */
    private static JavaFileObject forked(String fork) {
        return Compiled.source(
                "com.example.Bench",
                "package com.example;",
                "import dev.llmharness.api.*;",
                fork,
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1) public ChatRequest m(Prompt p) { return ChatRequest.of(p); }",
                "}");
    }

    @Test
    void aShapeOrLengthThatStillRunsButDoesNotVaryIsAWarningWithTheFix() {
        List<Row> rows = List.of(
                new Row(
                        "a 0s stage to the rate already reached",
                        null,
                        "@Stages({@Stage(duration = \"10s\", rate = 10), @Stage(duration = \"0s\", rate = 10),"
                                + " @Stage(duration = \"10s\", rate = 20)})",
                        "@Stage(duration = \"0s\", rate = 10) jumps to the rate the shape is already at, so it does"
                                + " nothing: remove it, or give it a duration to hold that rate"),
                new Row(
                        "NORMAL lengths without a deviation",
                        null,
                        "@OpenLoop(rate = 1) @TokenShape(input = 100, inputDistribution = Distribution.NORMAL,"
                                + " output = 10)",
                        "@TokenShape(inputDistribution = NORMAL) with inputStddev 0 gives every request the mean:"
                                + " set inputStddev in tokens, e.g. inputStddev = 20, or use FIXED"),
                new Row(
                        "UNIFORM lengths over one value",
                        null,
                        "@OpenLoop(rate = 1) @TokenShape(input = 10, outputDistribution = Distribution.UNIFORM,"
                                + " outputMin = 64, outputMax = 64)",
                        "@TokenShape(outputMin) and outputMax are both 64, so every request has 64 tokens: write"
                                + " output = 64 (FIXED), or widen the range"));
        Compilation compilation = javac().withProcessors(new BenchmarkProcessor())
                .withOptions("-Xlint:all")
                .compile(bench(rows.stream().map(Row::outside).toList()));

        assertThat(compilation.status()).as("a warning still compiles").isEqualTo(Compilation.Status.SUCCESS);
        List<Diagnostic<? extends JavaFileObject>> warnings = List.copyOf(compilation.warnings());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            assertThat(messages(warnings, FIRST + i))
                    .as(row.what())
                    .hasSize(1)
                    .allSatisfy(m -> assertThat(m).contains(row.message()));
        }
        assertThat(warnings).hasSize(rows.size());
    }
}
