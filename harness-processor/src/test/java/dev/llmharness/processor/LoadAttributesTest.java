package dev.llmharness.processor;

import static com.google.testing.compile.Compiler.javac;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Every attribute of every load annotation at its bad values (0, negative, NaN, absurd, empty,
 * equal bounds, a shape that sends nothing): each is exactly one error, on the attribute at fault
 * (javac points into the value written, not at the annotation), whose message names the problem
 * and what to write instead. None passes a load model's own message through.
 */
class LoadAttributesTest {
    /**
     * @param annotation the load annotation, with one bad value
     * @param at the bad value as written, where the error must point (once in the line)
     * @param message a fragment of the one error
     */
    record Bad(String annotation, String at, String message) {}

    private static final String SEND_NOTHING = "so nothing would be sent";

    static List<Bad> bad() {
        List<Bad> b = new ArrayList<>();
        // ---- @OpenLoop
        b.add(new Bad(
                "@OpenLoop(rate = 0)",
                "rate = 0",
                "@OpenLoop(rate) must be finite and > 0 requests per second," + " got 0.0; e.g. rate = 0.5"));
        b.add(new Bad("@OpenLoop(rate = -1)", "rate = -1", "got -1.0; e.g. rate = 0.5"));
        b.add(new Bad("@OpenLoop(rate = Double.NaN)", "rate = Double.NaN", "got NaN; e.g. rate = 0.5"));
        b.add(new Bad("@OpenLoop(rate = 1e9)", "rate = 1e9", "at most 1000000 requests/s (Limits.MAX_RATE)"));
        b.add(new Bad("@OpenLoop(rate = {})", "rate = {}", "give at least one rate in requests per second, e.g."));
        b.add(new Bad("@OpenLoop(rate = {2, 2})", "rate = {2, 2}", "lists 2 twice; each value makes one trial"));
        b.add(new Bad("@OpenLoop(rate = 1, maxInFlight = -1)", "maxInFlight = -1", "use 0 for no cap"));
        b.add(new Bad("@OpenLoop(rate = 1, maxInFlight = 100001)", "maxInFlight = 100001", "or use 0 for no cap"));
        b.add(new Bad("@OpenLoop(rate = 1, burstiness = 0)", "burstiness = 0", "(1 = Poisson, < 1 burstier"));
        b.add(new Bad(
                "@OpenLoop(rate = 1, arrival = Arrival.CONSTANT, burstiness = 0.5)",
                "burstiness = 0.5",
                "CONSTANT arrivals are evenly spaced: use arrival = Arrival.POISSON or remove burstiness"));
        // ---- @ClosedLoop
        b.add(new Bad("@ClosedLoop(concurrency = 0)", "concurrency = 0", "got 0; e.g. concurrency = 8"));
        b.add(new Bad("@ClosedLoop(concurrency = -1)", "concurrency = -1", "got -1; e.g. concurrency = 8"));
        b.add(new Bad("@ClosedLoop(concurrency = {})", "concurrency = {}", "e.g. concurrency = {1, 8}"));
        b.add(new Bad("@ClosedLoop(concurrency = 100001)", "concurrency = 100001", "check the digits"));
        b.add(new Bad(
                "@ClosedLoop(concurrency = 1, thinkTime = \"-1s\")",
                "thinkTime = \"-1s\"",
                "negative durations are not allowed (a duration is a length of time); write \"1s\""));
        b.add(new Bad("@ClosedLoop(concurrency = 1, thinkTime = \"\")", "thinkTime = \"\"", "it is empty"));
        b.add(new Bad("@ClosedLoop(concurrency = 1, rampUp = \"200h\")", "rampUp = \"200h\"", "(Limits.MAX_DURATION)"));
        // ---- @Ramp
        b.add(new Bad("@Ramp(from = -1, to = 10, duration = \"1m\")", "from = -1", "e.g. from = 10, or 0 for no"));
        b.add(new Bad("@Ramp(from = Double.NaN, to = 10, duration = \"1m\")", "from = Double.NaN", "got NaN"));
        b.add(new Bad("@Ramp(to = -5, duration = \"1m\")", "to = -5", "e.g. to = 10, or 0 for no load"));
        b.add(new Bad("@Ramp(to = 2e6, duration = \"1m\")", "to = 2e6", "(Limits.MAX_RATE)"));
        b.add(new Bad(
                "@Ramp(from = 0, duration = \"1m\", to = 0)",
                "to = 0",
                "@Ramp(from) and @Ramp(to) are both 0 requests/s, " + SEND_NOTHING + ": give to the rate the ramp"
                        + " should reach, e.g. to = 50"));
        b.add(new Bad(
                "@Ramp(from = 5, duration = \"1m\", to = 5)",
                "to = 5",
                "so the rate never changes: give to the rate the ramp should reach, or for a constant rate write"
                        + " @Soak(rate = 5, duration = \"1m\")"));
        b.add(new Bad(
                "@Ramp(to = 10, duration = \"0s\")",
                "duration = \"0s\"",
                "@Ramp(duration) must be longer than 0s, got \"0s\": the ramp takes that long from one rate to the other, e.g."
                        + " duration = \"2m\""));
        b.add(new Bad("@Ramp(to = 10, duration = \"0.5ns\")", "duration = \"0.5ns\"", "longer than 0s, got \"0.5ns\""));
        b.add(new Bad("@Ramp(to = 10, duration = \"\")", "duration = \"\"", "@Ramp(duration): invalid duration"));
        b.add(new Bad("@Ramp(to = 10, duration = \"400h\")", "duration = \"400h\"", "check the unit"));
        b.add(new Bad("@Ramp(to = 10, duration = \"1m\", maxInFlight = -1)", "maxInFlight = -1", "got -1"));
        b.add(new Bad("@Ramp(to = 10, duration = \"1m\", burstiness = 2000)", "burstiness = 2000", "got 2000.0"));
        // ---- @Stages, @Stage
        b.add(new Bad("@Stages({})", "{}", "@Stages is empty; give at least one stage, e.g."));
        b.add(new Bad(
                "@Stages(startRate = -1, value = @Stage(duration = \"1m\", rate = 10))",
                "startRate = -1",
                "@Stages(startRate) must be finite and >= 0"));
        b.add(new Bad(
                "@Stages(@Stage(duration = \"1m\", rate = -1))",
                "rate = -1",
                "@Stage(rate) must be finite and >= 0 requests per second, got -1.0; e.g. rate = 10"));
        b.add(new Bad("@Stages(@Stage(duration = \"\", rate = 10))", "duration = \"\"", "@Stage(duration): invalid"));
        b.add(new Bad(
                "@Stages(value = {@Stage(duration = \"0s\", rate = 10), @Stage(duration = \"0s\", rate = 20)})",
                "value = {",
                "every stage lasts 0s, so the shape has no length"));
        b.add(new Bad(
                "@Stages(startRate = 10, value = {@Stage(duration = \"0s\", rate = 0), @Stage(duration = \"1m\","
                        + " rate = 0)})",
                "value = {",
                "@Stages sends nothing: every stage that lasts starts and ends at 0 requests/s: give a stage a rate"
                        + " above 0, e.g. @Stage(duration = \"1m\", rate = 10)"));
        b.add(new Bad(
                "@Stages(startRate = 10, value = @Stage(duration = \"1m\", rate = 10))",
                "value = @Stage",
                "so the rate never changes"));
        // ---- @Step
        String step = "levels = 3, levelDuration = \"10s\"";
        b.add(new Bad("@Step(start = -1, increment = 10, " + step + ")", "start = -1", "e.g. start = 10, or 0"));
        b.add(new Bad("@Step(start = Double.NaN, increment = 10, " + step + ")", "start = Double.NaN", "got NaN"));
        b.add(new Bad(
                "@Step(start = 10, " + step + ", increment = 0)", "increment = 0", "e.g. increment = 10, or for a"));
        b.add(new Bad(
                "@Step(start = 10, " + step + ", increment = Double.NaN)",
                "increment = Double.NaN",
                "e.g. increment = 10 (negative steps down)"));
        b.add(new Bad(
                "@Step(start = 10, " + step + ", increment = -10)",
                "increment = -10",
                "@Step(increment) -10 takes level 3 to -10 requests/s, below 0: give levels = 2 or fewer, or a smaller"
                        + " step down, e.g. increment = -5"));
        b.add(new Bad(
                "@Step(start = 0, " + step + ", increment = -1)",
                "increment = -1",
                "a step test from start = 0 can only climb: give increment > 0, e.g. increment = 10"));
        b.add(new Bad(
                "@Step(start = 10, " + step + ", increment = 600000)",
                "increment = 600000",
                "@Step(increment) 600000 takes level 3 to 1200010 requests/s, above 1000000 (Limits.MAX_RATE): give"
                        + " levels = 2 or fewer, or a smaller increment, e.g. increment = 490000"));
        b.add(new Bad(
                "@Step(start = 10, increment = 10, levelDuration = \"10s\", levels = 0)",
                "levels = 0",
                "e.g. levels = 5"));
        b.add(new Bad(
                "@Step(start = 10, increment = 10, levelDuration = \"10s\", levels = 101)",
                "levels = 101",
                "(Limits.MAX_STEP_LEVELS)"));
        b.add(new Bad(
                "@Step(start = 10, increment = 10, levels = 3, levelDuration = \"0s\")",
                "levelDuration = \"0s\"",
                "each level holds its rate that long, e.g. levelDuration = \"1m\""));
        b.add(new Bad(
                "@Step(start = 10, increment = 10, " + step + ", rampDuration = \"soon\")",
                "rampDuration = \"soon\"",
                "@Step(rampDuration): invalid duration"));
        // ---- @Spike
        String times = "before = \"10s\", hold = \"10s\", after = \"10s\"";
        b.add(new Bad("@Spike(peak = 10, " + times + ", base = -1)", "base = -1", "e.g. base = 10, or 0"));
        b.add(new Bad("@Spike(base = 1, " + times + ", peak = 0)", "peak = 0", "e.g. peak = 0.5"));
        b.add(new Bad("@Spike(base = 1, " + times + ", peak = 2e6)", "peak = 2e6", "(Limits.MAX_RATE)"));
        b.add(new Bad("@Spike(base = 10, " + times + ", peak = 10)", "peak = 10", "equals base, so nothing spikes"));
        b.add(new Bad("@Spike(base = 10, " + times + ", peak = 5)", "peak = 5", "write base = 5, peak = 10"));
        b.add(new Bad(
                "@Spike(base = 10, peak = 50, before = \"10s\", after = \"10s\", hold = \"0s\")",
                "hold = \"0s\"",
                "@Spike(hold) must be longer than 0s, got \"0s\": the peak holds its rate that long, e.g. hold ="
                        + " \"30s\""));
        b.add(new Bad(
                "@Spike(base = 10, peak = 50, hold = \"10s\", after = \"10s\", before = \"\")",
                "before = \"\"",
                "@Spike(before): invalid duration"));
        b.add(new Bad(
                "@Spike(base = 10, peak = 50, " + times + ", rise = \"-1s\")",
                "rise = \"-1s\"",
                "negative durations are not allowed"));
        // ---- @Soak
        b.add(new Bad("@Soak(duration = \"1m\", rate = 0)", "rate = 0", "got 0.0; e.g. rate = 0.5"));
        b.add(new Bad("@Soak(duration = \"1m\", rate = -1)", "rate = -1", "got -1.0; e.g. rate = 0.5"));
        b.add(new Bad("@Soak(duration = \"1m\", rate = Double.NaN)", "rate = Double.NaN", "got NaN"));
        b.add(new Bad(
                "@Soak(rate = 10, duration = \"0s\")",
                "duration = \"0s\"",
                "@Soak(duration) must be longer than 0s, got \"0s\": the rate holds that long, warmup included, e.g."
                        + " duration = \"30m\""));
        b.add(new Bad("@Soak(rate = 10, duration = \"\")", "duration = \"\"", "@Soak(duration): invalid duration"));
        b.add(new Bad("@Soak(rate = 10, duration = \"1000h\")", "duration = \"1000h\"", "(Limits.MAX_DURATION)"));
        b.add(new Bad(
                "@Soak(rate = 10, duration = \"5s\")",
                "duration = \"5s\"",
                "the warmup (5s) is as long as the whole shape (5s), so nothing would be measured: add"
                        + " @Warmup(duration = \"0s\") to measure the whole shape, or a shorter warmup, e.g."
                        + " @Warmup(duration = \"2s\")"));
        // ---- @TraceReplay
        b.add(new Bad(
                "@TraceReplay(path = \"\")",
                "path = \"\"",
                "@TraceReplay(path) is empty; give the trace file, e.g. path ="
                        + " \"traces/AzureLLMInferenceTrace_conv.csv\""));
        b.add(new Bad("@TraceReplay(path = \"  \")", "path = \"  \"", "@TraceReplay(path) is empty"));
        b.add(new Bad(
                "@TraceReplay(path = \" t.csv\")",
                "path = \" t.csv\"",
                "has blanks around it, which would be part of the file's name: write \"t.csv\""));
        b.add(new Bad(
                "@TraceReplay(path = \"t.txt\")",
                "path = \"t.txt\"",
                "does not say its format: name the file .csv (an Azure LLM inference trace"));
        b.add(new Bad(
                "@TraceReplay(path = \"t.csv\", speedup = 0)", "speedup = 0", "e.g. speedup = 4 replays four times"));
        b.add(new Bad("@TraceReplay(path = \"t.csv\", speedup = Double.NaN)", "speedup = Double.NaN", "got NaN"));
        b.add(new Bad("@TraceReplay(path = \"t.csv\", maxInFlight = -1)", "maxInFlight = -1", "use 0 for no cap"));
        // ---- @WorkerStages, @Workers
        String stage = "@Workers(duration = \"10s\", target = 4)";
        b.add(new Bad(
                "@WorkerStages(value = " + stage + ", start = -1)",
                "start = -1",
                "@WorkerStages(start) must be >= 0 workers, got -1; e.g. start = 0 to begin with no worker"));
        b.add(new Bad("@WorkerStages(value = " + stage + ", start = 100001)", "start = 100001", "check the digits"));
        b.add(new Bad(
                "@WorkerStages({})", "{}", "@WorkerStages is empty; give at least one stage, e.g. @WorkerStages("));
        b.add(new Bad(
                "@WorkerStages(@Workers(duration = \"10s\", target = -1))",
                "target = -1",
                "@Workers(target) must be >= 0 workers, got -1; e.g. target = 8, or 0 to stop every worker"));
        b.add(new Bad(
                "@WorkerStages(@Workers(duration = \"10s\", target = 100001))", "target = 100001", "check the digits"));
        b.add(new Bad(
                "@WorkerStages(@Workers(target = 4, duration = \"\"))", "duration = \"\"", "@Workers(duration): inv"));
        b.add(new Bad(
                "@WorkerStages(value = @Workers(duration = \"0s\", target = 4))",
                "value = @Workers",
                "@WorkerStages: every stage lasts 0s, so the shape has no length and nothing is measured: give the"
                        + " stages durations, e.g. @Workers(duration = \"1m\", target = 8)"));
        b.add(new Bad(
                "@WorkerStages(start = 4, value = {@Workers(duration = \"0s\", target = 0), @Workers(duration ="
                        + " \"1m\", target = 0)})",
                "value = {",
                "@WorkerStages runs no worker: every stage that lasts starts and ends at 0 workers, " + SEND_NOTHING
                        + ": give a stage a target above 0, e.g. @Workers(duration = \"1m\", target = 8)"));
        b.add(new Bad(
                "@WorkerStages(value = " + stage + ", thinkTime = \"-1s\")",
                "thinkTime = \"-1s\"",
                "@WorkerStages(thinkTime): invalid duration"));
        return b;
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

    private static final int FIRST = 4;

    @Test
    void everyBadLoadAttributeIsOneErrorOnThatAttributeNamingTheFix() {
        List<Bad> rows = bad();
        List<String> annotations = rows.stream().map(Bad::annotation).toList();
        JavaFileObject source = bench(annotations);
        Compilation compilation = javac().withProcessors(new BenchmarkProcessor())
                .withOptions("-Xlint:all")
                .compile(source);

        List<Diagnostic<? extends JavaFileObject>> errors = List.copyOf(compilation.errors());
        for (int i = 0; i < rows.size(); i++) {
            Bad row = rows.get(i);
            long lineNumber = FIRST + i;
            String line = "  @Benchmark " + row.annotation() + " public ChatRequest m" + i
                    + "(Prompt p) { return ChatRequest.of(p); }";
            List<Diagnostic<? extends JavaFileObject>> here =
                    errors.stream().filter(d -> d.getLineNumber() == lineNumber).toList();
            assertThat(here).as("%s: one error", row.annotation()).hasSize(1);
            Diagnostic<? extends JavaFileObject> error = here.get(0);
            String message = error.getMessage(Locale.ROOT);
            assertThat(message)
                    .as(row.annotation())
                    .contains(row.message())
                    .doesNotContain(" on m" + i + ": a ") // a model's message ("a rate shape must ...") passed through
                    .doesNotContain("please report");
            int from = line.indexOf(row.at());
            assertThat(from)
                    .as("%s: %s is in the line once", row.annotation(), row.at())
                    .isNotNegative()
                    .isEqualTo(line.lastIndexOf(row.at()));
            assertThat(error.getColumnNumber() - 1)
                    .as("%s: the error points into %s, not at the annotation: %s", row.annotation(), row.at(), message)
                    .isBetween((long) from, (long) from + row.at().length() - 1);
        }
        assertThat(errors).as("no error off the rows' lines").hasSize(rows.size());
    }

    /** A reader for each load annotation, and no reader for anything else. */
    @Test
    void everyLoadAnnotationHasItsReader() {
        assertThat(new LoadReaders(new Attributes(null, null), null).annotations())
                .containsExactlyInAnyOrderElementsOf(Names.LOAD);
    }

    /**
     * A load annotation without a reader (one added to {@link Names#LOAD} alone) is a compile error
     * naming the mismatch, not an exception inside javac.
     */
    @Test
    void aLoadAnnotationWithoutAReaderIsAnErrorNotACrash() {
        JavaFileObject burst = Compiled.source(
                "com.example.Burst", "package com.example;", "public @interface Burst { double rate(); }");
        JavaFileObject source = Compiled.source(
                "com.example.Bench",
                "package com.example;",
                "public class Bench {",
                "  @Burst(rate = 4) public void m() {}",
                "}");

        Compilation compilation = javac().withProcessors(new UnknownLoad()).compile(burst, source);

        assertThat(compilation.errors()).hasSize(1);
        assertThat(compilation.errors().get(0).getMessage(Locale.ROOT))
                .isEqualTo("@Burst is a load annotation this LLM Harness processor has no reader for: use the"
                        + " harness-processor of the same version as harness-api");
        assertThat(compilation.errors().get(0).getLineNumber()).isEqualTo(3);
    }

    /** Hands every {@code @Burst} to the load readers, as the processor would a load annotation it lists. */
    private static final class UnknownLoad extends AbstractProcessor {
        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("com.example.Burst");
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            Reporter reporter = new Reporter(processingEnv.getMessager());
            LoadReaders readers = new LoadReaders(new Attributes(processingEnv.getElementUtils(), reporter), reporter);
            for (TypeElement annotation : annotations) {
                for (Element element : round.getElementsAnnotatedWith(annotation)) {
                    assertThat(readers.read(AnnotationSite.find(element, "com.example.Burst")))
                            .isNull();
                }
            }
            return true;
        }
    }
}
