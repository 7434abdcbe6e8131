package dev.llmharness.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One tiny benchmark class per validation rule, each failing with its message on the line at
 * fault (the way JMH's compile tests do). Every class is in {@code com.example.Bench} unless the
 * rule is about the package.
 */
class ValidationTest {
    private static final String CHAT = "public ChatRequest chat(Prompt p) { return ChatRequest.of(p); }";
    private static final String BENCH = "@Benchmark @OpenLoop(rate = 1) " + CHAT;

    /**
     * @param rule what the case shows, as a sentence
     * @param lines the class, after the package and import lines
     * @param message a fragment of the expected error
     * @param line a fragment of the (one) line the error must be on
     */
    record Case(String rule, List<String> lines, String message, String line) {
        @Override
        public String toString() {
            return rule;
        }
    }

    private static Case rule(String rule, String message, String line, String... lines) {
        return new Case(rule, List.of(lines), message, line);
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // ---- the class
        c.add(rule(
                "a benchmark class must be public",
                "benchmark class com.example.Bench must be public: add the public modifier",
                "class Bench {",
                "class Bench {",
                BENCH,
                "}"));
        c.add(rule(
                "a nested benchmark class must be static",
                "benchmark class com.example.Bench.Inner is an inner class: make it a static nested class",
                "public class Inner",
                "public class Bench {",
                "  public class Inner {",
                BENCH,
                "  }",
                "}"));
        c.add(rule(
                "a benchmark class must not be abstract",
                "benchmark class com.example.Bench must not be abstract: its suite creates it with new Bench(), and"
                        + " @Benchmark methods are not inherited, so a subclass does not run them; remove abstract, or"
                        + " declare the @Benchmark methods (with their annotations) in each concrete subclass",
                "abstract class",
                "public abstract class Bench {",
                BENCH,
                "}"));
        c.add(rule(
                "a benchmark class needs a public no-argument constructor",
                "benchmark class com.example.Bench needs a public no-argument constructor: add public Bench() {}",
                "public class Bench",
                "public class Bench {",
                "  public Bench(int size) {}",
                BENCH,
                "}"));
        c.add(rule(
                "a private no-argument constructor is not enough",
                "needs a public no-argument constructor",
                "public class Bench",
                "public class Bench {",
                "  private Bench() {}",
                BENCH,
                "}"));
        c.add(rule(
                "a benchmark class must not be generic",
                "benchmark class com.example.Bench must not be generic",
                "public class Bench<T>",
                "public class Bench<T> {",
                BENCH,
                "}"));
        c.add(rule(
                "a benchmark method in an interface is an error",
                "@Benchmark method chat is declared in the interface Bench; benchmarks are methods of a public class",
                "ChatRequest chat(",
                "public interface Bench {",
                "  @Benchmark ChatRequest chat(Prompt p);",
                "}"));
        c.add(rule(
                "a benchmark method in an enum is an error",
                "@Benchmark method chat is declared in the enum Bench",
                "public ChatRequest chat(",
                "public enum Bench {",
                "  ONE;",
                "  @Benchmark " + CHAT,
                "}"));
        c.add(rule(
                "a benchmark method in a record is an error",
                "@Benchmark method chat is declared in the record Bench",
                "public ChatRequest chat(",
                "public record Bench(int size) {",
                "  @Benchmark " + CHAT,
                "}"));
        c.add(rule(
                "a load annotation on a class without benchmark methods is an error",
                "@OpenLoop on Bench has no effect: Bench declares no @Benchmark method; add one or remove @OpenLoop",
                "@OpenLoop",
                "@OpenLoop(rate = 1)",
                "public class Bench {",
                "}"));
        c.add(rule(
                "a token shape on a class without benchmark methods is an error",
                "@TokenShape on Bench has no effect",
                "@TokenShape",
                "@TokenShape(preset = ShapePreset.RAG)",
                "public class Bench {",
                "}"));
        c.add(rule(
                "a parameter in a class without benchmark methods is an error",
                "@Param on Bench.size has no effect: Bench declares no @Benchmark method",
                "@Param",
                "public class Bench {",
                "  @Param({\"1\"}) int size;",
                "}"));
        c.add(rule(
                "a configuration annotation on a method that is not a benchmark is an error",
                "@Warmup on helper has no effect: helper is not a @Benchmark method; add @Benchmark or remove @Warmup",
                "@Warmup",
                "public class Bench {",
                BENCH,
                "  @Warmup(duration = \"1s\") public void helper() {}",
                "}"));
        // ---- the method
        c.add(rule(
                "a benchmark method must be public",
                "@Benchmark method chat must be public",
                "ChatRequest chat(",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  ChatRequest chat(Prompt p) { return ChatRequest.of(p); }",
                "}"));
        c.add(rule(
                "a private benchmark method is an error",
                "@Benchmark method chat must be public",
                "private ChatRequest chat(",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  private ChatRequest chat(Prompt p) { return ChatRequest.of(p); }",
                "}"));
        c.add(rule(
                "a benchmark method must not be static",
                "@Benchmark method chat must not be static: remove static",
                "static ChatRequest chat(",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  public static ChatRequest chat(Prompt p) { return ChatRequest.of(p); }",
                "}"));
        c.add(rule(
                "a benchmark method must not be overloaded",
                "@Benchmark method chat is overloaded in Bench; benchmarks are named <class>.<method>",
                "public ChatRequest chat(Prompt p)",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  public ChatRequest chat(Prompt p) { return ChatRequest.of(p); }",
                "  public ChatRequest chat() { return ChatRequest.of(\"x\", 1); }",
                "}"));
        c.add(rule(
                "a benchmark method takes at most one parameter",
                "@Benchmark method chat must take no parameter or one dev.llmharness.api.Prompt",
                "chat(Prompt p, int n)",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  public ChatRequest chat(Prompt p, int n) { return ChatRequest.of(p); }",
                "}"));
        c.add(rule(
                "a benchmark method's parameter must be a Prompt",
                "@Benchmark method chat must take no parameter or one dev.llmharness.api.Prompt",
                "chat(String text)",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  public ChatRequest chat(String text) { return ChatRequest.of(text, 1); }",
                "}"));
        c.add(rule(
                "a benchmark method must return a request",
                "@Benchmark method chat returns java.lang.String; return ChatRequest, CompletionRequest or LlmRequest",
                "public String chat(",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  public String chat(Prompt p) { return p.text(); }",
                "}"));
        c.add(rule(
                "a void benchmark method is an error",
                "@Benchmark method chat returns void",
                "public void chat(",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  public void chat(Prompt p) {}",
                "}"));
        c.add(rule(
                "a benchmark method must not declare checked exceptions",
                "@Benchmark method chat declares the checked exception java.io.IOException",
                "throws java.io.IOException",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  public ChatRequest chat(Prompt p) throws java.io.IOException { return ChatRequest.of(p); }",
                "}"));
        c.add(rule(
                "a benchmark method must not be generic",
                "@Benchmark method chat must not be generic",
                "public <T> ChatRequest chat(",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  public <T> ChatRequest chat(Prompt p) { return ChatRequest.of(p); }",
                "}"));
        c.add(rule(
                "a non-streamed endpoint has no TTFT to bound",
                "@Slo bounds TTFT of chat, whose @Endpoint(stream = false) sends non-streamed requests, which have"
                        + " no first token or token gaps: bound e2e only, or stream",
                "@Slo(ttft",
                "@Endpoint(stream = false)",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  @Slo(ttft = \"p99 <= 2s\")",
                "  public ChatRequest chat(Prompt p) { return ChatRequest.of(p); }",
                "}"));
        c.add(rule(
                "a chat request cannot go to the completions API",
                "@Benchmark method chat returns ChatRequest but its @Endpoint(api) is OPENAI_COMPLETIONS, which"
                        + " takes a prompt: return CompletionRequest, or use api = Api.OPENAI_CHAT or another API"
                        + " that takes messages (OLLAMA_CHAT)",
                "public ChatRequest chat(",
                "@Endpoint(api = Api.OPENAI_COMPLETIONS)",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  public ChatRequest chat(Prompt p) { return ChatRequest.of(p); }",
                "}"));
        c.add(rule(
                "a completion request cannot go to the default chat API",
                "returns CompletionRequest but its @Endpoint(api) is OPENAI_CHAT (the default when no @Endpoint"
                        + " applies), which takes messages: add @Endpoint(api = Api.OPENAI_COMPLETIONS) or another"
                        + " API that takes a prompt (LLAMACPP_COMPLETION, TGI_GENERATE, OLLAMA_GENERATE), or return"
                        + " ChatRequest",
                "public CompletionRequest complete(",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  public CompletionRequest complete(Prompt p) { return CompletionRequest.of(p); }",
                "}"));
        c.add(rule(
                "a benchmark needs a load model",
                "no load model applies to @Benchmark method chat: add @OpenLoop(rate = ...) or"
                        + " @ClosedLoop(concurrency = ...) to the method or to Bench",
                "public ChatRequest chat(",
                "public class Bench {",
                "  @Benchmark",
                "  public ChatRequest chat(Prompt p) { return ChatRequest.of(p); }",
                "}"));
        c.add(rule(
                "open and closed loop on one method is an error",
                "@OpenLoop and @ClosedLoop are both on chat; a benchmark has exactly one load model",
                "@ClosedLoop",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  @ClosedLoop(concurrency = 1)",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "open and closed loop on one class is an error",
                "@OpenLoop and @ClosedLoop are both on Bench",
                "@ClosedLoop",
                "@OpenLoop(rate = 1)",
                "@ClosedLoop(concurrency = 1)",
                "public class Bench {",
                "  @Benchmark " + CHAT,
                "}"));
        // ---- Automatic Analysis limits
        c.add(rule(
                "analysis limits whose warn exceeds their fail are an error",
                "@AnalysisLimits(ttftP90) \"2s,1s\": the warn limit must be >= 0 and at most the fail limit, e.g."
                        + " \"1s,5s\"",
                "@AnalysisLimits",
                "@OpenLoop(rate = 1)",
                "public class Bench {",
                "  @Benchmark @AnalysisLimits(ttftP90 = \"2s,1s\")",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "an analysis limit needs two values",
                "@AnalysisLimits(errorRate) \"0.01\": write the warn and the fail limit separated by a comma, e.g."
                        + " \"0.01,0.05\"",
                "@AnalysisLimits",
                "@OpenLoop(rate = 1)",
                "public class Bench {",
                "  @Benchmark @AnalysisLimits(errorRate = \"0.01\")",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "an error-rate limit is a fraction",
                "@AnalysisLimits(errorRate) \"1,5\": error rates are fractions in [0, 1] (0.01 is 1 %), e.g."
                        + " \"0.01,0.05\"",
                "@AnalysisLimits",
                "@OpenLoop(rate = 1)",
                "public class Bench {",
                "  @Benchmark @AnalysisLimits(errorRate = \"1,5\")",
                "  " + CHAT,
                "}"));
        // ---- load shapes: each bad shape is a compile error with the fix
        c.add(rule(
                "a shape no longer than its warmup measures nothing",
                "@Spike on chat: the warmup (5s) is as long as the whole shape (5s), so nothing would be measured:"
                        + " add @Warmup(duration = \"0s\") to measure the whole shape, or a shorter warmup",
                "@Spike",
                "public class Bench {",
                "  @Benchmark @Spike(base = 1, peak = 5, before = \"1s\", hold = \"2s\", after = \"2s\")",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a shape expecting too few requests after its warmup is an error",
                "@Ramp on chat expects 0.75 requests after the 5s warmup, fewer than 5"
                        + " (Limits.MIN_EXPECTED_REQUESTS), too few for any latency or throughput figure: raise its"
                        + " rates or lengthen it, or shorten the warmup (@Warmup(duration = \"0s\"))",
                "@Ramp",
                "public class Bench {",
                "  @Benchmark @Ramp(to = 0.2, duration = \"10s\")",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a short shape without a warmup is checked on its whole length",
                "@Soak on chat expects 2 requests, fewer than 5 (Limits.MIN_EXPECTED_REQUESTS), too few for any"
                        + " latency or throughput figure: raise its rates or lengthen it",
                "@Soak",
                "@Warmup(duration = \"0s\")",
                "public class Bench {",
                "  @Benchmark @Soak(rate = 1, duration = \"2s\")",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a rate shape and an open loop on one method is an error",
                "@OpenLoop and @Ramp are both on chat; a benchmark has exactly one load model",
                "@Ramp",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  @Ramp(to = 5, duration = \"10s\")",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a ramp from 0 to 0 sends nothing, an error on to",
                "@Ramp(from) and @Ramp(to) are both 0 requests/s, so nothing would be sent: give to the rate the"
                        + " ramp should reach, e.g. to = 50",
                "to = 0",
                "public class Bench {",
                "  @Benchmark @Ramp(from = 0, duration = \"10s\",",
                "      to = 0)",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a ramp needs a duration longer than 0s, an error on duration",
                "@Ramp(duration) must be longer than 0s, got \"0s\": the ramp takes that long from one rate to the other, e.g."
                        + " duration = \"2m\"",
                "duration",
                "public class Bench {",
                "  @Benchmark @Ramp(to = 5,",
                "      duration = \"0s\")",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a ramp's duration must parse",
                "@Ramp(duration): ",
                "ten seconds",
                "public class Bench {",
                "  @Benchmark @Ramp(to = 5, duration = \"ten seconds\")",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a stage with a negative rate is an error",
                "@Stage(rate) must be finite and >= 0 requests per second, got -3.0; e.g. rate = 10, or 0 for no load",
                "@Stages",
                "public class Bench {",
                "  @Benchmark @Stages({@Stage(duration = \"5s\", rate = 5), @Stage(duration = \"5s\", rate = -3)})",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "stages must not be empty",
                "@Stages is empty; give at least one stage",
                "@Stages",
                "public class Bench {",
                "  @Benchmark @Stages({})",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a step test whose levels go below 0 is an error on increment",
                "@Step(increment) -10 takes level 3 to -10 requests/s, below 0: give levels = 2 or fewer, or a smaller"
                        + " step down, e.g. increment = -5",
                "increment",
                "public class Bench {",
                "  @Benchmark @Step(start = 10, levels = 3, levelDuration = \"5s\",",
                "      increment = -10)",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a step test needs at least two levels",
                "@Step(levels) must be at least 2, got 0: a step test climbs from one level to the next; e.g. levels = 5",
                "@Step",
                "public class Bench {",
                "  @Benchmark @Step(start = 10, increment = 10, levels = 0, levelDuration = \"5s\")",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a spike whose peak is below its base is an error",
                "@Spike(peak) 5 requests/s is below base (10): a spike rises above its base rate; were they swapped?"
                        + " write base = 5, peak = 10",
                "@Spike",
                "public class Bench {",
                "  @Benchmark @Spike(base = 10, peak = 5, before = \"5s\", hold = \"5s\", after = \"5s\")",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a spike needs a hold, an error on hold",
                "@Spike(hold) must be longer than 0s, got \"0s\": the peak holds its rate that long, e.g. hold ="
                        + " \"30s\"",
                "hold",
                "public class Bench {",
                "  @Benchmark @Spike(base = 10, peak = 50, before = \"5s\", after = \"5s\",",
                "      hold = \"0s\")",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a soak needs a positive rate",
                "@Soak(rate) must be finite and > 0 requests per second, got 0.0; e.g. rate = 0.5",
                "@Soak",
                "public class Bench {",
                "  @Benchmark @Soak(rate = 0, duration = \"1h\")",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "burstiness with constant arrivals is an error",
                "@Soak(burstiness) applies to POISSON arrivals only",
                "burstiness = 0.5",
                "public class Bench {",
                "  @Benchmark @Soak(rate = 5, duration = \"1h\", arrival = Arrival.CONSTANT,",
                "      burstiness = 0.5)",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a burstiness of 0 is an error",
                "@OpenLoop(burstiness) must be in [0.01, 1000] (1 = Poisson, < 1 burstier, > 1 more even), got 0.0",
                "burstiness = 0",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 5,",
                "      burstiness = 0)",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a trace must be .csv or .jsonl, an error on path",
                "@TraceReplay(path) \"traces/t.txt\" does not say its format: name the file .csv (an Azure LLM"
                        + " inference trace: TIMESTAMP,ContextTokens,GeneratedTokens) or .jsonl (a Mooncake trace:"
                        + " timestamp, input_length, output_length)",
                "t.txt",
                "public class Bench {",
                "  @Benchmark @TraceReplay(speedup = 2,",
                "      path = \"traces/t.txt\")",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a trace's speed-up must be positive",
                "@TraceReplay(speedup) must be in [0.001, 1000] (Limits.MIN_SPEEDUP, MAX_SPEEDUP; 2 replays twice as"
                        + " fast), got 0.0; e.g. speedup = 4",
                "@TraceReplay",
                "public class Bench {",
                "  @Benchmark @TraceReplay(path = \"t.csv\", speedup = 0)",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "worker stages that never run a worker are an error on the stages",
                "@WorkerStages runs no worker: every stage that lasts starts and ends at 0 workers, so nothing would"
                        + " be sent: give a stage a target above 0, e.g. @Workers(duration = \"1m\", target = 8)",
                "@Workers",
                "public class Bench {",
                "  @Benchmark @WorkerStages(thinkTime = \"1s\",",
                "      value = @Workers(duration = \"10s\", target = 0))",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a worker stage with a negative target is an error on target",
                "@Workers(target) must be >= 0 workers, got -1; e.g. target = 8, or 0 to stop every worker",
                "target",
                "public class Bench {",
                "  @Benchmark @WorkerStages(@Workers(duration = \"10s\",",
                "      target = -1))",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "stages of workers no longer than the warmup measure nothing",
                "@WorkerStages on chat: the warmup (5s) is as long as the whole shape (3s), so nothing would be"
                        + " measured: add @Warmup(duration = \"0s\") to measure the whole shape, or a shorter warmup,"
                        + " e.g. @Warmup(duration = \"1s\")",
                "@WorkerStages",
                "public class Bench {",
                "  @Benchmark @WorkerStages(@Workers(duration = \"3s\", target = 4))",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a per-window SLO longer than what stages of workers measure is an error on window",
                "@Slo(window) \"10s\" is longer than the 5s the trial measures (its load's length after the warmup),"
                        + " so no whole window fits: give window = \"5s\" or shorter, or lengthen the load or shorten"
                        + " the warmup",
                "window = \"10s\"",
                "public class Bench {",
                "  @Benchmark @WorkerStages(@Workers(duration = \"10s\", target = 4))",
                "  @Slo(ttft = \"p99 <= 2s\", windows = 0.9,",
                "      window = \"10s\")",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a negative ramp-up is an error",
                "@ClosedLoop(rampUp): ",
                "rampUp",
                "public class Bench {",
                "  @Benchmark @ClosedLoop(concurrency = 4,",
                "      rampUp = \"-5s\")",
                "  " + CHAT,
                "}"));
        // ---- @OpenLoop
        c.add(rule(
                "a zero rate is an error",
                "@OpenLoop(rate) must be finite and > 0 requests per second, got 0.0",
                "rate = 0",
                "public class Bench {",
                "  @Benchmark",
                "  @OpenLoop(rate = 0)",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a negative rate in a list is reported on that value",
                "@OpenLoop(rate) must be finite and > 0 requests per second, got -2.0",
                "-2",
                "public class Bench {",
                "  @Benchmark",
                "  @OpenLoop(rate = {1,",
                "      -2})",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "an infinite rate is an error",
                "@OpenLoop(rate) must be finite and > 0 requests per second, got Infinity",
                "POSITIVE_INFINITY",
                "public class Bench {",
                "  @Benchmark",
                "  @OpenLoop(rate = Double.POSITIVE_INFINITY)",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a rate beyond what any harness sends is an error naming the bound",
                "@OpenLoop(rate) must be at most 1000000 requests/s (Limits.MAX_RATE), got 1.0E9",
                "1e9",
                "public class Bench {",
                "  @Benchmark",
                "  @OpenLoop(rate = {4,",
                "      1e9})",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a shape's rate beyond what any harness sends is an error",
                "at most 1000000 requests/s (Limits.MAX_RATE), got 2.0E9",
                "@Spike",
                "public class Bench {",
                "  @Benchmark",
                "  @Spike(base = 5, peak = 2e9, before = \"10s\", hold = \"10s\", after = \"10s\")",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a fork count below one is an error on the value",
                "@Fork is the number of runs a side, >= 1, got 0; e.g. @Fork(3), or remove it for one run",
                "@Fork(0)",
                "@Fork(0)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "an empty rate list is an error",
                "@OpenLoop(rate) is empty; give at least one rate in requests per second",
                "rate = {}",
                "public class Bench {",
                "  @Benchmark",
                "  @OpenLoop(rate = {})",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a repeated rate is an error",
                "@OpenLoop(rate) lists 2 twice; each value makes one trial, so remove the duplicate",
                "2.0}",
                "public class Bench {",
                "  @Benchmark",
                "  @OpenLoop(rate = {2,",
                "      2.0})",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a negative in-flight cap is an error",
                "@OpenLoop(maxInFlight) must be >= 0, got -1; use 0 for no cap",
                "maxInFlight",
                "public class Bench {",
                "  @Benchmark",
                "  @OpenLoop(rate = 1, maxInFlight = -1)",
                "  " + CHAT,
                "}"));
        // ---- @ClosedLoop
        c.add(rule(
                "zero workers is an error",
                "@ClosedLoop(concurrency) must be >= 1 worker, got 0",
                "concurrency = 0",
                "public class Bench {",
                "  @Benchmark",
                "  @ClosedLoop(concurrency = 0)",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "an empty concurrency list is an error",
                "@ClosedLoop(concurrency) is empty",
                "concurrency = {}",
                "public class Bench {",
                "  @Benchmark",
                "  @ClosedLoop(concurrency = {})",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a repeated concurrency is an error",
                "@ClosedLoop(concurrency) lists 4 twice",
                "@ClosedLoop",
                "public class Bench {",
                "  @Benchmark",
                "  @ClosedLoop(concurrency = {4, 4})",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a think time without a unit is an error",
                "@ClosedLoop(thinkTime): invalid duration \"5\": a unit is missing",
                "thinkTime",
                "public class Bench {",
                "  @Benchmark",
                "  @ClosedLoop(concurrency = 1, thinkTime = \"5\")",
                "  " + CHAT,
                "}"));
        // ---- @Warmup, @Measurement
        c.add(rule(
                "an unparseable warmup duration is an error",
                "@Warmup(duration): invalid duration \"ten seconds\"",
                "ten seconds",
                "@Warmup(duration = \"ten seconds\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a negative warmup request count is an error",
                "@Warmup(requests) must be >= 0, got -5",
                "requests = -5",
                "@Warmup(requests = -5)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a warmup bounded by both time and requests is an error",
                "@Warmup sets both duration and requests; a phase is bounded by one of them",
                "requests = 10",
                "@Warmup(duration = \"1s\",",
                "    requests = 10)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a zero measurement window is an error",
                "@Measurement(duration) must be > 0",
                "@Measurement",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  @Measurement(duration = \"0s\")",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a measurement duration with an unknown unit is an error",
                "@Measurement(duration): invalid duration \"10secs\": 'secs' is not a unit (use ns, us, ms, s, m or h)",
                "@Measurement",
                "@Measurement(duration = \"10secs\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a measurement bounded by both time and requests is an error",
                "@Measurement sets both duration and requests",
                "@Measurement",
                "@Measurement(duration = \"10s\", requests = 100)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a negative measurement request count is an error",
                "@Measurement(requests) must be >= 0, got -1",
                "@Measurement",
                "@Measurement(requests = -1)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a zero drain timeout is an error",
                "@Measurement(drainTimeout) must be > 0, got \"0s\"",
                "drainTimeout",
                "@Measurement(drainTimeout = \"0s\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "an unparseable drain timeout is an error",
                "@Measurement(drainTimeout): invalid duration \"soon\"",
                "drainTimeout",
                "@Measurement(drainTimeout = \"soon\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        // ---- @TokenShape
        c.add(rule(
                "a preset excludes input lengths",
                "@TokenShape(preset = CHAT) fixes the token counts, so input cannot be set",
                "input = 10",
                "@TokenShape(preset = ShapePreset.CHAT,",
                "    input = 10)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a preset excludes a distribution",
                "@TokenShape(preset = RAG) fixes the token counts, so outputDistribution cannot be set",
                "outputDistribution",
                "@TokenShape(preset = ShapePreset.RAG,",
                "    outputDistribution = Distribution.UNIFORM)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "input lengths are required without a preset",
                "@TokenShape(input) is required without a preset: give input = {...} in tokens, or a preset",
                "@TokenShape",
                "@TokenShape(output = 10)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "output lengths are required without a preset",
                "@TokenShape(output) is required without a preset",
                "@TokenShape",
                "@TokenShape(input = 10)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a zero input length is an error",
                "@TokenShape(input) must be >= 1 token, got 0",
                "input = 0",
                "@TokenShape(input = 0, output = 10)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a negative output length is an error",
                "@TokenShape(output) must be >= 1 token, got -5",
                "-5",
                "@TokenShape(input = 10,",
                "    output = {5, -5})",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a repeated input length is an error",
                "@TokenShape(input) lists 10 twice",
                "@TokenShape",
                "@TokenShape(input = {10, 10}, output = 10)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a uniform distribution needs explicit bounds",
                "@TokenShape(inputDistribution = UNIFORM) needs explicit inputMin and inputMax",
                "@TokenShape",
                "@TokenShape(inputDistribution = Distribution.UNIFORM, output = 10)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a uniform distribution ignores listed lengths",
                "@TokenShape(inputDistribution = UNIFORM) ignores input; remove input",
                "input = 50",
                "@TokenShape(inputDistribution = Distribution.UNIFORM, inputMin = 10, inputMax = 100,",
                "    input = 50, output = 10)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a minimum above the maximum is an error",
                "@TokenShape(outputMax) (5) must be >= outputMin (10)",
                "outputMax",
                "@TokenShape(input = 10, outputDistribution = Distribution.UNIFORM, outputMin = 10,",
                "    outputMax = 5)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a zero minimum length is an error",
                "@TokenShape(inputMin) must be >= 1 token, got 0",
                "inputMin",
                "@TokenShape(inputDistribution = Distribution.UNIFORM, inputMin = 0, inputMax = 10,",
                "    output = 10)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a normal mean outside its bounds is an error",
                "@TokenShape(input) mean 500 lies outside [inputMin, inputMax] = [10, 100]",
                "input = 500",
                "@TokenShape(inputDistribution = Distribution.NORMAL, inputMin = 10, inputMax = 100,",
                "    inputStddev = 5, input = 500, output = 10)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a negative standard deviation is an error",
                "@TokenShape(outputStddev) must be finite and >= 0 tokens, got -1.0",
                "outputStddev",
                "@TokenShape(input = 10, outputDistribution = Distribution.NORMAL, output = 50,",
                "    outputStddev = -1)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a standard deviation needs a normal distribution",
                "@TokenShape(inputStddev) applies only to NORMAL",
                "inputStddev",
                "@TokenShape(input = 10, output = 10,",
                "    inputStddev = 3)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "bounds on a fixed length are an error",
                "@TokenShape(outputDistribution = FIXED) ignores outputMax; remove it, or choose UNIFORM or NORMAL",
                "outputMax",
                "@TokenShape(input = 10, output = 10,",
                "    outputMax = 30)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a shared prefix as long as a prompt is an error",
                "@TokenShape(sharedPrefix) (100 tokens) must be below the smallest prompt length (100 tokens)",
                "sharedPrefix",
                "@TokenShape(input = {100, 200}, output = 10,",
                "    sharedPrefix = 100)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a negative shared prefix is an error",
                "@TokenShape(sharedPrefix) must be >= 0 tokens, got -1",
                "sharedPrefix",
                "@TokenShape(input = 10, output = 10,",
                "    sharedPrefix = -1)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "an encoding jtokkit does not bundle is an error",
                "@TokenShape(encoding) \"gpt2\" is not an encoding bundled with jtokkit; use one of cl100k_base,"
                        + " o200k_base",
                "encoding",
                "@TokenShape(preset = ShapePreset.CHAT,",
                "    encoding = \"gpt2\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "an empirical distribution needs a dataset",
                "@TokenShape with an EMPIRICAL distribution needs a @Dataset to draw lengths from",
                "@TokenShape",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  @TokenShape(inputDistribution = Distribution.EMPIRICAL, output = 10)",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a token shape and a dataset together need an empirical distribution",
                "@TokenShape and @Dataset are both on Bench but no length distribution is EMPIRICAL",
                "@Dataset",
                "@TokenShape(preset = ShapePreset.CHAT)",
                "@Dataset(format = DatasetFormat.SHAREGPT, path = \"data.json\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "an empirical shape and its dataset must share the encoding",
                "@TokenShape(encoding = \"o200k_base\") differs from the @Dataset encoding \"cl100k_base\"",
                "@TokenShape",
                "@TokenShape(inputDistribution = Distribution.EMPIRICAL, output = 10, encoding = \"o200k_base\")",
                "@Dataset(format = DatasetFormat.SHAREGPT, path = \"data.json\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        // ---- @Dataset
        c.add(rule(
                "an empty dataset path is an error",
                "@Dataset(path) is empty; give a file path",
                "path",
                "@Dataset(format = DatasetFormat.SHAREGPT,",
                "    path = \"\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a JSONL dataset needs a prompt field",
                "@Dataset(format = JSONL) needs promptField: name the field holding the prompt",
                "@Dataset",
                "@Dataset(format = DatasetFormat.JSONL, path = \"data.jsonl\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a CSV dataset needs a prompt column",
                "@Dataset(format = CSV) needs promptField: name the column holding the prompt",
                "@Dataset",
                "@Dataset(format = DatasetFormat.CSV, path = \"data.csv\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a fixed-format dataset takes no prompt field",
                "@Dataset(promptField) applies only to JSONL and CSV; SHAREGPT has a fixed prompt field",
                "promptField",
                "@Dataset(format = DatasetFormat.SHAREGPT, path = \"data.json\",",
                "    promptField = \"text\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a fixed-format dataset takes no reference field",
                "@Dataset(referenceField) applies only to JSONL and CSV; DOLLY has a fixed reference field",
                "referenceField",
                "@Dataset(format = DatasetFormat.DOLLY, path = \"dolly.jsonl\",",
                "    referenceField = \"response\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "output lengths from references need a reference field",
                "@Dataset(outputFromReference = true) needs referenceField for JSONL",
                "outputFromReference",
                "@Dataset(format = DatasetFormat.JSONL, path = \"d.jsonl\", promptField = \"q\",",
                "    outputFromReference = true)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "output lengths from references exclude a fixed output length",
                "@Dataset(outputTokens) is ignored with outputFromReference = true; remove one of them",
                "outputTokens",
                "@Dataset(format = DatasetFormat.SHAREGPT, path = \"d.json\", outputFromReference = true,",
                "    outputTokens = 64)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a zero minimum prompt length filter is an error",
                "@Dataset(minInputTokens) must be >= 1, got 0",
                "minInputTokens",
                "@Dataset(format = DatasetFormat.SHAREGPT, path = \"d.json\",",
                "    minInputTokens = 0)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a prompt length filter with max below min is an error",
                "@Dataset(maxInputTokens) (10) must be >= minInputTokens (20)",
                "maxInputTokens",
                "@Dataset(format = DatasetFormat.SHAREGPT, path = \"d.json\", minInputTokens = 20,",
                "    maxInputTokens = 10)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a zero output length cap is an error",
                "@Dataset(maxOutputTokens) must be >= 1, got 0",
                "maxOutputTokens",
                "@Dataset(format = DatasetFormat.SHAREGPT, path = \"d.json\",",
                "    maxOutputTokens = 0)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a zero dataset output length is an error",
                "@Dataset(outputTokens) must be >= 1, got 0",
                "outputTokens",
                "@Dataset(format = DatasetFormat.SHAREGPT, path = \"d.json\",",
                "    outputTokens = 0)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a negative record limit is an error",
                "@Dataset(limit) must be >= 0, got -1; use 0 to read every record",
                "limit",
                "@Dataset(format = DatasetFormat.SHAREGPT, path = \"d.json\",",
                "    limit = -1)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a dataset encoding jtokkit does not bundle is an error",
                "@Dataset(encoding) \"llama3\" is not an encoding bundled with jtokkit",
                "encoding",
                "@Dataset(format = DatasetFormat.SHAREGPT, path = \"d.json\",",
                "    encoding = \"llama3\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        // ---- @Endpoint
        c.add(rule(
                "an endpoint URL without scheme is an error",
                "@Endpoint(url) \"localhost:8000\": it has no scheme: start it with http:// or https://; write the"
                        + " server's base URL, e.g. http://127.0.0.1:8000",
                "url",
                "@Endpoint(",
                "    url = \"localhost:8000\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "an empty API key variable name is an error",
                "@Endpoint(apiKeyEnv) is empty; name the environment variable holding the API key",
                "apiKeyEnv",
                "@Endpoint(",
                "    apiKeyEnv = \"\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        // ---- @Slo
        c.add(rule(
                "an SLO bound without percentile is an error",
                "@Slo(ttft): invalid SLO bound \"2s\": write \"p<percentile> <= <duration>\"",
                "\"2s\"",
                "@Slo(ttft = {\"p50 <= 1s\",",
                "    \"2s\"})",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "an SLO percentile of 100 is an error",
                "@Slo(tpot): invalid SLO bound \"p100 <= 50ms\": the percentile must be in (0, 100)",
                "p100",
                "@Slo(",
                "    tpot = \"p100 <= 50ms\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "an SLO limit with a bad duration is an error",
                "@Slo(e2e): invalid SLO bound \"p99 <= 2 parsecs\": invalid duration \"2 parsecs\"",
                "parsecs",
                "@Slo(",
                "    e2e = \"p99 <= 2 parsecs\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a zero SLO limit is an error",
                "@Slo(itl): invalid SLO bound \"p99 <= 0ms\": the limit must be > 0",
                "0ms",
                "@Slo(",
                "    itl = \"p99 <= 0ms\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "two bounds on one percentile are an error",
                "@Slo(ttft) bounds p99 twice; keep one bound per percentile",
                "3s",
                "@Slo(ttft = {\"p99 <= 2s\",",
                "    \"p99 <= 3s\"})",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "an error rate above one is an error",
                "@Slo(maxErrorRate) must be in [0, 1] (a fraction, 0.01 is 1%), or negative for no bound; got 1.5",
                "maxErrorRate",
                "@Slo(",
                "    maxErrorRate = 1.5)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a share of windows above one is an error",
                "@Slo(windows) is the share of windows that must meet the SLO, in (0, 1] (0.9 is 90%), or negative"
                        + " for no such objective; got 90.0",
                "windows",
                "@Slo(ttft = \"p99 <= 2s\",",
                "    windows = 90)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a per-window objective without another objective is an error",
                "@Slo(windows) judges each window by the other objectives, and this @Slo has none: add a latency"
                        + " bound such as ttft = \"p99 <= 2s\" or maxErrorRate = 0.01",
                "windows",
                "@Slo(",
                "    windows = 0.9)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a window that is not whole seconds is an error",
                "@Slo(window) must be whole seconds, at least 1s (the timeline is kept per second); got \"500ms\":"
                        + " write \"1s\"",
                "500ms",
                "@Slo(ttft = \"p99 <= 2s\", windows = 0.9,",
                "    window = \"500ms\")",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        // ---- @Param
        c.add(rule(
                "a private parameter field is an error",
                "@Param field size must not be private: remove private",
                "int size",
                "public class Bench {",
                "  @Param({\"1\"})",
                "  private int size;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a final parameter field is an error",
                "@Param field size must not be final: remove final",
                "int size",
                "public class Bench {",
                "  @Param({\"1\"})",
                "  final int size = 1;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a static parameter field is an error",
                "@Param field size must not be static: remove static",
                "int size",
                "public class Bench {",
                "  @Param({\"1\"})",
                "  static int size;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a parameter of an unsupported type is an error",
                "@Param field sizes has type java.util.List<java.lang.Integer>, which a value string cannot convert"
                        + " to: use String, a primitive, its box, or an enum",
                "sizes;",
                "public class Bench {",
                "  @Param({\"1\"})",
                "  java.util.List<Integer> sizes;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a parameter without values is an error",
                "@Param on size lists no value; give at least one",
                "@Param",
                "public class Bench {",
                "  @Param({}) int size;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a parameter value that is not an int is an error",
                "@Param value \"x\" is not a valid int (field size is int)",
                "\"x\"",
                "public class Bench {",
                "  @Param({\"1\",",
                "      \"x\"})",
                "  int size;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a parameter value out of the long range is an error",
                "@Param value \"99999999999999999999\" is not a valid long (field tokens is long)",
                "@Param",
                "public class Bench {",
                "  @Param({\"99999999999999999999\"}) long tokens;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a parameter value that is not a double is an error",
                "@Param value \"hot\" is not a valid Double (field temperature is Double)",
                "@Param",
                "public class Bench {",
                "  @Param({\"hot\"}) Double temperature;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a boolean parameter accepts only true and false",
                "@Param value \"yes\" is neither \"true\" nor \"false\" (field stream is boolean)",
                "@Param",
                "public class Bench {",
                "  @Param({\"true\", \"yes\"}) boolean stream;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a char parameter takes one character",
                "@Param value \"ab\" is not a single character (field separator is char)",
                "@Param",
                "public class Bench {",
                "  @Param({\"ab\"}) char separator;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "an enum parameter value must name a constant",
                "@Param value \"LARGE\" is not a constant of Size (field size); use one of [BIG, SMALL]",
                "@Param",
                "public class Bench {",
                "  public enum Size { SMALL, BIG }",
                "  @Param({\"SMALL\", \"LARGE\"}) Size size;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a parameter of a private enum type is an error",
                "@Param field size has the private enum type Size, which the generated suite cannot name",
                "Size size",
                "public class Bench {",
                "  private enum Size { SMALL }",
                "  @Param({\"SMALL\"}) Size size;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a parameter named like a load parameter is an error",
                "@Param field name rate is reserved for the trial parameter of the load or token shape",
                "String rate",
                "public class Bench {",
                "  @Param({\"a\"}) String rate;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a parameter named like a shape parameter is an error",
                "@Param field name output is reserved",
                "String output",
                "public class Bench {",
                "  @Param({\"a\"}) String output;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a repeated parameter value is an error",
                "@Param on model lists \"a\" twice; each value makes one trial, so remove the duplicate",
                "@Param",
                "public class Bench {",
                "  @Param({\"a\", \"a\"}) String model;",
                "  " + BENCH,
                "}"));
        // ---- annotations javac does not hand to processors, or that look like ours
        c.add(rule(
                "a benchmark method in an anonymous class is an error",
                "@Benchmark method chat is in an anonymous class, which the generated suite cannot create, so it would"
                        + " never run: move it into a public top-level or static nested class",
                "@Benchmark",
                "public class Bench {",
                "  public Object helper() {",
                "    return new Object() {",
                "      @Benchmark",
                "      @OpenLoop(rate = 1) public ChatRequest chat(Prompt p) { return ChatRequest.of(p); }",
                "    };",
                "  }",
                "}"));
        c.add(rule(
                "a benchmark method in a local class is an error",
                "@Benchmark method chat is in the local class Local, which the generated suite cannot create",
                "@Benchmark",
                "public class Bench {",
                "  public void helper() {",
                "    class Local {",
                "      @Benchmark",
                "      @OpenLoop(rate = 1) public ChatRequest chat(Prompt p) { return ChatRequest.of(p); }",
                "    }",
                "  }",
                "}"));
        c.add(rule(
                "a load annotation on a local class is an error",
                "@OpenLoop on class Local has no effect: it is in the local class Local, and benchmarks are read only"
                        + " from public top-level or static nested classes",
                "@OpenLoop",
                "public class Bench {",
                "  static { ",
                "    @OpenLoop(rate = 1)",
                "    class Local {}",
                "  }",
                "}"));
        c.add(rule(
                "a parameter in a class nested in an anonymous class is an error",
                "@Param on field size has no effect: it is in an anonymous class",
                "@Param",
                "public class Bench {",
                "  Object o = new Object() {",
                "    class Deeper {",
                "      @Param({\"1\"})",
                "      int size;",
                "    }",
                "  };",
                "}"));
        c.add(rule(
                "overriding a benchmark method without @Benchmark is an error",
                "chat overrides the @Benchmark method com.example.Bench.Base.chat without @Benchmark; benchmarks are"
                        + " not inherited, so Sub.chat never runs as one: annotate it @Benchmark with its load"
                        + " annotation (annotations are not inherited either), or remove the override",
                "temperature(0.5)",
                "public class Bench {",
                "  public abstract static class Base { " + BENCH + " }",
                "  public static class Sub extends Base {",
                "    @Override",
                "    public ChatRequest chat(Prompt p) { return ChatRequest.of(p).temperature(0.5); }",
                "  }",
                "}"));
        c.add(rule(
                "a parameter type named like the harness's Prompt is named with its package",
                "@Benchmark method chat takes a com.example.Bench.Prompt, not a dev.llmharness.api.Prompt: import"
                        + " dev.llmharness.api.Prompt (or write it qualified)",
                "public ChatRequest chat(",
                "public class Bench {",
                "  public static class Prompt {}",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  public ChatRequest chat(Prompt p) { return ChatRequest.of(\"x\", 1); }",
                "}"));
        c.add(rule(
                "a return type named like the harness's ChatRequest is named with its package",
                "@Benchmark method chat returns com.example.Bench.ChatRequest, not dev.llmharness.api.ChatRequest:"
                        + " import dev.llmharness.api.ChatRequest",
                "public ChatRequest chat(",
                "public class Bench {",
                "  public static class ChatRequest {}",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  public ChatRequest chat(Prompt p) { return new ChatRequest(); }",
                "}"));
        c.add(rule(
                "a parameter inherited from a benchmark superclass is an error on the subclass",
                "benchmark class com.example.Bench.Sub inherits the @Param field Base.size, which its suite does not"
                        + " set (parameters are read from the benchmark class itself, not inherited): declare the"
                        + " @Param field in Sub",
                "class Sub",
                "public class Bench {",
                "  public abstract static class Base { @Param({\"1\", \"2\"}) int size; }",
                "  public static class Sub extends Base { " + BENCH + " }",
                "}"));
        // ---- values that differ as written but not as parsed
        c.add(rule(
                "int parameter values equal once parsed are an error",
                "@Param on size lists \"01\", the same int as \"1\"; the two would make identical trials, so remove"
                        + " one",
                "\"01\"",
                "public class Bench {",
                "  @Param({\"1\",",
                "          \"01\"}) int size;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "double parameter values equal once parsed are an error",
                "@Param on temperature lists \".5\", the same Double as \"0.5\"",
                "\".5\"",
                "public class Bench {",
                "  @Param({\"0.5\", \"0.7\",",
                "          \".5\"}) Double temperature;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "long parameter values with a sign are compared as numbers",
                "@Param on size lists \"+5\", the same long as \"5\"",
                "@Param",
                "public class Bench {",
                "  @Param({\"5\", \"+5\"}) long size;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "float parameter values in exponent form are compared as numbers",
                "@Param on scale lists \"1e0\", the same float as \"1\"",
                "@Param",
                "public class Bench {",
                "  @Param({\"1\", \"1e0\"}) float scale;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a rate listed twice as int and double is an error",
                "@OpenLoop(rate) lists 4 twice",
                "@OpenLoop",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = {4, 4.0}) public ChatRequest chat(Prompt p) { return ChatRequest.of(p); }",
                "}"));
        c.add(rule(
                "an enum parameter without values gets an example of its constants",
                "@Param on size lists no value; give at least one constant of Size, e.g. @Param({\"SMALL\", \"BIG\"})",
                "@Param",
                "public class Bench {",
                "  public enum Size { SMALL, BIG, HUGE }",
                "  @Param({}) Size size;",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a boolean parameter without values gets a boolean example",
                "@Param on on lists no value; give at least one, e.g. @Param({\"true\", \"false\"})",
                "@Param",
                "public class Bench {",
                "  @Param({}) boolean on;",
                "  " + BENCH,
                "}"));
        // ---- limits the runtime enforces
        c.add(rule(
                "a prompt length beyond the runtime's limit is an error",
                "@TokenShape(input) 100000000 tokens is beyond the runtime's limit of 1048576 tokens"
                        + " (Limits.MAX_TOKENS): give at most 1048576",
                "100_000_000",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  @TokenShape(input = {128,",
                "      100_000_000}, output = 10)",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a uniform range beyond the runtime's limit is an error",
                "@TokenShape(outputMax) 2000000 is beyond the runtime's limit of 1048576 tokens (Limits.MAX_TOKENS):"
                        + " lower outputMax to at most 1048576",
                "outputMax",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  @TokenShape(input = 10, outputDistribution = Distribution.UNIFORM, outputMin = 1,",
                "      outputMax = 2_000_000)",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a normal distribution whose tail passes the runtime's limit is an error",
                "@TokenShape(inputStddev) 500000.0 lets NORMAL lengths around 1000 reach beyond the runtime's limit"
                        + " of 1048576 tokens (Limits.MAX_TOKENS): set inputMax to at most 1048576, or lower"
                        + " inputStddev",
                "inputStddev",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  @TokenShape(input = 1000, inputDistribution = Distribution.NORMAL, output = 10,",
                "      inputStddev = 500_000)",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a dataset output length beyond the runtime's limit is an error",
                "@Dataset(outputTokens) 5000000 is beyond the runtime's limit of 1048576 tokens",
                "outputTokens",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  @Dataset(format = DatasetFormat.SHAREGPT, path = \"x.json\",",
                "      outputTokens = 5_000_000)",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a rate whose default window expects under a handful of requests is an error",
                "@OpenLoop(rate) 0.1 requests/s over the default 30s measurement window expects 3 requests, fewer"
                        + " than 5 (Limits.MIN_EXPECTED_REQUESTS), too few for any latency or throughput figure: raise"
                        + " the rate to at least 0.17, lengthen the window with @Measurement(duration = \"50s\"), or"
                        + " bound it by count with @Measurement(requests = 5)",
                "0.1",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = {2,",
                "      0.1})",
                "  @Warmup(duration = \"0s\")",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a class rate whose method window expects under one request is an error",
                "@OpenLoop(rate) 0.01 requests/s over the 1m measurement window expects 0.6 requests, fewer than 5",
                "@OpenLoop",
                "@OpenLoop(rate = 0.01)",
                "@Warmup(requests = 1)",
                "public class Bench {",
                "  @Benchmark @Measurement(duration = \"1m\")",
                "  " + CHAT,
                "}"));
        c.add(rule(
                "a measurement of fewer than a handful of requests is an error",
                "@Measurement(requests) 3 is fewer than 5 requests (Limits.MIN_EXPECTED_REQUESTS), too few for any"
                        + " latency or throughput figure: count at least 5",
                "requests = 3",
                "public class Bench {",
                "  @Benchmark @ClosedLoop(concurrency = 1)",
                "  @Measurement(requests = 3)",
                "  " + CHAT,
                "}"));
        // ---- messages that say what to write
        c.add(rule(
                "a negative duration says so",
                "@Warmup(duration): invalid duration \"-5s\": negative durations are not allowed",
                "-5s",
                "public class Bench {",
                "  @Warmup(duration = \"-5s\")",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "an ISO-8601 duration gets its equivalent",
                "@Measurement(duration): invalid duration \"PT10S\": ISO-8601 durations are not the syntax here;"
                        + " write \"10s\"",
                "PT10S",
                "public class Bench {",
                "  @Measurement(duration = \"PT10S\")",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a space inside a duration is pointed out",
                "@Measurement(drainTimeout): invalid duration \"10 s\": remove the space between 10 and s: write"
                        + " \"10s\"",
                "10 s",
                "public class Bench {",
                "  @Measurement(drainTimeout = \"10 s\")",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a percentile without its point is corrected",
                "@Slo(ttft): invalid SLO bound \"ttft.p999 <= 2ms\": the attribute names the metric (ttft = ...),"
                        + " so the bound leaves it out; the percentile must be in (0, 100): p999 is written p99.9:"
                        + " write \"p99.9 <= 2ms\"",
                "p999",
                "public class Bench {",
                "  @Slo(ttft = \"ttft.p999 <= 2ms\")",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "an error-rate bound in a latency attribute points to maxErrorRate",
                "@Slo(ttft): invalid SLO bound \"errors <= 1%\": this looks like an error-rate bound, which is not a"
                        + " latency bound: bound the error rate with @Slo(maxErrorRate = 0.01)",
                "errors",
                "public class Bench {",
                "  @Slo(ttft = {\"p99 <= 2s\",",
                "      \"errors <= 1%\"})",
                "  " + BENCH,
                "}"));
        // ---- trials
        c.add(rule(
                "more than a thousand trials per method is an error",
                "@Benchmark method chat expands into 1210 trials, more than 1000",
                "public ChatRequest chat(",
                "public class Bench {",
                "  @Param({\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\"}) int a;",
                "  @Param({\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\"}) int b;",
                "  @Benchmark @OpenLoop(rate = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})",
                "  " + CHAT,
                "}"));
        // ---- cost
        c.add(rule(
                "a cost's price must be above 0",
                "@Cost(instancePricePerHour) must be a finite price > 0 per hour, got 0.0",
                "instancePricePerHour = 0",
                "@Cost(",
                "    instancePricePerHour = 0)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a cost's utilisation is a share in (0, 1]",
                "@Cost(utilization) is the share of each used GPU charged, in (0, 1], got 60.0",
                "utilization = 60",
                "@Cost(instancePricePerHour = 98.32,",
                "    utilization = 60)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        c.add(rule(
                "a cost counts at least one GPU and one replica",
                "@Cost(replicas) counts the replicas serving the load: it must be >= 1, got 0",
                "replicas = 0",
                "@Cost(instancePricePerHour = 1,",
                "    replicas = 0)",
                "public class Bench {",
                "  " + BENCH,
                "}"));
        return c.stream();
    }

    @Test
    void aBenchmarkClassInTheDefaultPackageIsAnError() {
        JavaFileObject source =
                Compiled.source("Bench", "import dev.llmharness.api.*;", "public class Bench {", "  " + BENCH, "}");

        Compilation compilation = Compiled.compile(source);

        assertThat(compilation)
                .hadErrorContaining("benchmark class Bench is in the default package: add a package declaration")
                .inFile(source)
                .onLineContaining("public class Bench");
    }

    @Test
    void aLoadAnnotationOnAnInterfaceIsAnError() {
        JavaFileObject source = Compiled.source(
                "com.example.Bench",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "@OpenLoop(rate = 1)",
                "public interface Bench {",
                "}");

        Compilation compilation = Compiled.compile(source);

        assertThat(compilation)
                .hadErrorContaining("@OpenLoop on Bench has no effect: benchmarks are methods of a public class, and"
                        + " Bench is not a class")
                .inFile(source)
                .onLineContaining("@OpenLoop");
    }

    @Test
    void overridingABenchmarkOfAConcreteClassWithoutTheAnnotationIsAnErrorOnTheOverride() {
        JavaFileObject base = Compiled.source(
                "com.example.Base",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Base {",
                "  " + BENCH,
                "}");
        JavaFileObject sub = Compiled.source(
                "com.example.Sub",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Sub extends Base {",
                "  @Override public ChatRequest chat(Prompt p) { return ChatRequest.of(p).temperature(0.5); }",
                "}");

        Compilation compilation = Compiled.compile(base, sub);

        assertThat(compilation)
                .hadErrorContaining("chat overrides the @Benchmark method com.example.Base.chat without @Benchmark")
                .inFile(sub)
                .onLineContaining("public ChatRequest chat(");
        assertThat(compilation.errors()).hasSize(1);
    }

    @Test
    void annotationsNamedLikeOursFromAnotherLibraryAreNamedWithTheirPackage() {
        JavaFileObject jmhBenchmark = Compiled.source(
                "org.openjdk.jmh.annotations.Benchmark",
                "package org.openjdk.jmh.annotations;",
                "public @interface Benchmark {}");
        JavaFileObject jmhParam = Compiled.source(
                "org.openjdk.jmh.annotations.Param",
                "package org.openjdk.jmh.annotations;",
                "public @interface Param { String[] value(); }");
        JavaFileObject source = Compiled.source(
                "com.example.Bench",
                "package com.example;",
                "import dev.llmharness.api.ChatRequest;",
                "import dev.llmharness.api.OpenLoop;",
                "import dev.llmharness.api.Prompt;",
                "public class Bench {",
                "  @org.openjdk.jmh.annotations.Param({\"1\", \"2\"}) int size;",
                "  @dev.llmharness.api.Benchmark @OpenLoop(rate = 1)",
                "  public ChatRequest chat(Prompt p) { return ChatRequest.of(p); }",
                "  @org.openjdk.jmh.annotations.Benchmark @OpenLoop(rate = 2)",
                "  public ChatRequest other(Prompt p) { return ChatRequest.of(p); }",
                "}");

        Compilation compilation = Compiled.compile(jmhBenchmark, jmhParam, source);

        assertThat(compilation)
                .hadErrorContaining("field size is annotated with org.openjdk.jmh.annotations.Param, which LLM Harness"
                        + " does not read, so it would never vary: use dev.llmharness.api.Param instead")
                .inFile(source)
                .onLineContaining("int size;");
        assertThat(compilation)
                .hadErrorContaining("@OpenLoop on other has no effect: other is not a @Benchmark method; its @Benchmark"
                        + " is org.openjdk.jmh.annotations.Benchmark, not dev.llmharness.api.Benchmark: import"
                        + " dev.llmharness.api.Benchmark")
                .inFile(source)
                .onLineContaining("rate = 2");
    }

    @Test
    void aWarmupThatExpectsUnderOneRequestIsAWarning() {
        JavaFileObject source = Compiled.source(
                "com.example.Bench",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Bench {",
                "  @Benchmark @OpenLoop(rate = 0.1) @Measurement(duration = \"2m\")",
                "  " + CHAT,
                "}");

        Compilation compilation = Compiled.compile(source);

        assertThat(compilation)
                .hadWarningContaining("@OpenLoop(rate) 0.1 requests/s over the 5s warmup expects 0.5 requests, fewer"
                        + " than one, so the warmup likely sends nothing: lengthen it with @Warmup(duration ="
                        + " \"10s\"), count with @Warmup(requests = 1), or turn it off with @Warmup(duration ="
                        + " \"0s\")")
                .inFile(source)
                .onLineContaining("rate = 0.1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsTheRuleOnTheLineAtFault(Case rule) {
        List<String> lines = new ArrayList<>();
        lines.add("package com.example;");
        lines.add("import dev.llmharness.api.*;");
        lines.addAll(rule.lines());
        JavaFileObject source = Compiled.source("com.example.Bench", lines.toArray(new String[0]));

        List<SuiteModel> written = new ArrayList<>();
        Compilation compilation =
                Compiled.compile(new BenchmarkProcessor((model, file, origin) -> written.add(model)), source);

        assertThat(compilation).failed();
        assertThat(compilation)
                .hadErrorContaining(rule.message())
                .inFile(source)
                .onLineContaining(rule.line());
        assertThat(written).as("a class with errors generates nothing").isEmpty();
    }
}
