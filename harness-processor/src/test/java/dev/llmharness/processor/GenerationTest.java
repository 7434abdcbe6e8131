package dev.llmharness.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.testing.compile.Compilation;
import dev.llmharness.api.Api;
import dev.llmharness.api.Arrival;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.CompletionRequest;
import dev.llmharness.api.DatasetFormat;
import dev.llmharness.api.Distribution;
import dev.llmharness.api.LlmRequest;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.Sampling;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.ClosedLoopModel;
import dev.llmharness.api.spi.DatasetWorkload;
import dev.llmharness.api.spi.EndpointSpec;
import dev.llmharness.api.spi.LatencyBound;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.RateStage;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.ShapedLoadModel;
import dev.llmharness.api.spi.SloMetric;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.StagedClosedLoopModel;
import dev.llmharness.api.spi.TraceLoadModel;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.api.spi.WorkerStage;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.ServiceLoader;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Valid classes: the generated suite compiles without warnings, is found through {@link
 * ServiceLoader} with no configuration, lists the expected trials and builds requests by calling
 * the benchmark method.
 */
class GenerationTest {
    private static final Prompt PROMPT = new Prompt(0, "hello", 1, 16, true, null);

    @TempDir
    Path dir;

    private BenchmarkSuite loadSuite(Compilation compilation, String benchmarkClass) throws Exception {
        assertThat(compilation).succeededWithoutWarnings();
        URLClassLoader loader = Compiled.load(compilation, dir);
        List<BenchmarkSuite> suites = new ArrayList<>();
        ServiceLoader.load(BenchmarkSuite.class, loader).forEach(suites::add);
        return suites.stream()
                .filter(s -> s.benchmarkClass().equals(benchmarkClass))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no suite for " + benchmarkClass + " among " + suites));
    }

    @Test
    void twoRatesAndTwoParamValuesMakeFourTrialsDiscoveredByServiceLoader() throws Exception {
        JavaFileObject source = Compiled.source(
                "com.example.Chat",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Chat {",
                "  @Param({\"0.0\", \"0.7\"}) double temperature;",
                "  @Benchmark @OpenLoop(rate = {2, 4.5})",
                "  public ChatRequest chat(Prompt prompt) { return ChatRequest.of(prompt).temperature(temperature); }",
                "}");

        BenchmarkSuite suite = loadSuite(Compiled.compile(source), "com.example.Chat");

        assertThat(suite.trials())
                .extracting(TrialSpec::id)
                .containsExactly(
                        "com.example.Chat.chat{rate=2, temperature=0.0}",
                        "com.example.Chat.chat{rate=2, temperature=0.7}",
                        "com.example.Chat.chat{rate=4.5, temperature=0.0}",
                        "com.example.Chat.chat{rate=4.5, temperature=0.7}");
        assertThat(suite.trials())
                .extracting(TrialSpec::load)
                .containsExactly(
                        new OpenLoopModel(Arrival.POISSON, 2, 0),
                        new OpenLoopModel(Arrival.POISSON, 2, 0),
                        new OpenLoopModel(Arrival.POISSON, 4.5, 0),
                        new OpenLoopModel(Arrival.POISSON, 4.5, 0));
        for (TrialSpec trial : suite.trials()) {
            LlmRequest request = suite.prepare(trial).create(PROMPT);
            assertThat(request).isInstanceOf(ChatRequest.class);
            assertThat(request.temperature())
                    .isEqualTo(Double.parseDouble(trial.params().get("temperature")));
            assertThat(((ChatRequest) request).messages().get(0).content()).isEqualTo("hello");
        }
    }

    @Test
    void analysisLimitsOfTheClassApplyUnlessTheMethodSetsItsOwn() throws Exception {
        JavaFileObject source = Compiled.source(
                "com.example.Limited",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "@OpenLoop(rate = 1)",
                "@AnalysisLimits(ttftP90 = \"500ms,2s\", errorRate = \"0.001,0.01\")",
                "public class Limited {",
                "  @Benchmark public ChatRequest a(Prompt p) { return ChatRequest.of(p); }",
                "  @Benchmark @AnalysisLimits(saturation = \"1.2,2\")",
                "  public ChatRequest b(Prompt p) { return ChatRequest.of(p); }",
                "  @Benchmark @AnalysisLimits",
                "  public ChatRequest c(Prompt p) { return ChatRequest.of(p); }",
                "}");
        BenchmarkSuite suite = loadSuite(Compiled.compile(source), "com.example.Limited");
        assertThat(suite.trials())
                .extracting(TrialSpec::analysis)
                .containsExactly(
                        Map.of("errorRate", "0.001,0.01", "ttftP90", "500ms,2s"),
                        Map.of("saturation", "1.2,2"),
                        Map.of());
        assertThat(suite.trials().get(0).analysis().keySet()).containsExactly("errorRate", "ttftP90");
    }

    @Test
    void everyLoadShapeBecomesOneTrialWithItsModel() throws Exception {
        JavaFileObject source = Compiled.source(
                "com.example.Shapes",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Shapes {",
                "  @Benchmark @Ramp(from = 1, to = 9, duration = \"10s\", burstiness = 0.5)",
                "  public ChatRequest ramp(Prompt p) { return ChatRequest.of(p); }",
                "  @Benchmark @Stages(startRate = 2, value = {@Stage(duration = \"5s\", rate = 8),"
                        + " @Stage(duration = \"0s\", rate = 1), @Stage(duration = \"1m\", rate = 1)})",
                "  public ChatRequest stages(Prompt p) { return ChatRequest.of(p); }",
                "  @Benchmark @Step(start = 10, increment = 5, levels = 3, levelDuration = \"20s\","
                        + " rampDuration = \"2s\", arrival = Arrival.CONSTANT, maxInFlight = 7)",
                "  public ChatRequest step(Prompt p) { return ChatRequest.of(p); }",
                "  @Benchmark @Spike(base = 10, peak = 800, before = \"5s\", hold = \"5s\", fall = \"1s\","
                        + " after = \"5s\")",
                "  public ChatRequest spike(Prompt p) { return ChatRequest.of(p); }",
                "  @Benchmark @Soak(rate = 3, duration = \"1h\")",
                "  public ChatRequest soak(Prompt p) { return ChatRequest.of(p); }",
                "  @Benchmark @TraceReplay(path = \"traces/conv.jsonl\", speedup = 2)",
                "  public ChatRequest trace(Prompt p) { return ChatRequest.of(p); }",
                "  @Benchmark @ClosedLoop(concurrency = 8, rampUp = \"4s\")",
                "  public ChatRequest rampUp(Prompt p) { return ChatRequest.of(p); }",
                "  @Benchmark @WorkerStages(start = 1, value = {@Workers(duration = \"10s\", target = 4)})",
                "  public ChatRequest workers(Prompt p) { return ChatRequest.of(p); }",
                "}");

        BenchmarkSuite suite = loadSuite(Compiled.compile(source), "com.example.Shapes");

        assertThat(suite.trials())
                .extracting(TrialSpec::id)
                .containsExactly(
                        "com.example.Shapes.ramp{load=ramp}",
                        "com.example.Shapes.stages{load=stages}",
                        "com.example.Shapes.step{load=step}",
                        "com.example.Shapes.spike{load=spike}",
                        "com.example.Shapes.soak{load=soak}",
                        "com.example.Shapes.trace{trace=conv.jsonl}",
                        "com.example.Shapes.rampUp{concurrency=8}",
                        "com.example.Shapes.workers{load=worker-stages}");
        assertThat(suite.trials())
                .extracting(TrialSpec::load)
                .containsExactly(
                        ShapedLoadModel.ramp(Arrival.POISSON, 0.5, 1, 9, Duration.ofSeconds(10), 0),
                        ShapedLoadModel.stages(
                                Arrival.POISSON,
                                1,
                                2,
                                List.of(
                                        new RateStage(Duration.ofSeconds(5), 8),
                                        new RateStage(Duration.ZERO, 1),
                                        new RateStage(Duration.ofMinutes(1), 1)),
                                0),
                        ShapedLoadModel.steps(
                                Arrival.CONSTANT, 1, 10, 5, 3, Duration.ofSeconds(20), Duration.ofSeconds(2), 7),
                        ShapedLoadModel.spike(
                                Arrival.POISSON,
                                1,
                                10,
                                800,
                                Duration.ofSeconds(5),
                                Duration.ZERO,
                                Duration.ofSeconds(5),
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(5),
                                0),
                        ShapedLoadModel.soak(Arrival.POISSON, 1, 3, Duration.ofHours(1), 0),
                        new TraceLoadModel("traces/conv.jsonl", 2, 0),
                        StagedClosedLoopModel.rampUp(8, Duration.ofSeconds(4), Duration.ZERO),
                        StagedClosedLoopModel.stages(
                                1, List.of(new WorkerStage(Duration.ofSeconds(10), 4)), Duration.ZERO));
    }

    @Test
    void defaultsApplyWhenNoAnnotationSaysOtherwise() throws Exception {
        JavaFileObject source = Compiled.source(
                "com.example.Plain",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Plain {",
                "  @Benchmark @ClosedLoop(concurrency = 8)",
                "  public ChatRequest chat(Prompt prompt) { return ChatRequest.of(prompt); }",
                "}");

        TrialSpec trial = loadSuite(Compiled.compile(source), "com.example.Plain")
                .trials()
                .get(0);

        assertThat(trial)
                .isEqualTo(new TrialSpec(
                        "com.example.Plain.chat",
                        Map.of("concurrency", "8"),
                        new ClosedLoopModel(8, Duration.ZERO),
                        Phase.ofDuration(Duration.ofSeconds(5)),
                        Phase.ofDuration(Duration.ofSeconds(30)),
                        Duration.ofSeconds(30),
                        ShapeWorkload.of(ShapePreset.CHAT, "cl100k_base"),
                        new EndpointSpec(Api.OPENAI_CHAT, "", "", "LLMH_API_KEY"),
                        SloSpec.NONE,
                        42L));
    }

    @Test
    void aNonStreamedEndpointReachesTheTrial() throws Exception {
        JavaFileObject source = Compiled.source(
                "com.example.Whole",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "@OpenLoop(rate = 1)",
                "@Endpoint(api = Api.TGI_GENERATE, stream = false)",
                "@Slo(e2e = \"p99 <= 5s\")",
                "public class Whole {",
                "  @Benchmark",
                "  public CompletionRequest whole(Prompt prompt) { return CompletionRequest.of(prompt); }",
                "  @Benchmark @Endpoint(api = Api.TGI_GENERATE)",
                "  public CompletionRequest streamed(Prompt prompt) { return CompletionRequest.of(prompt); }",
                "}");

        BenchmarkSuite suite = loadSuite(Compiled.compile(source), "com.example.Whole");

        assertThat(suite.trials().get(0).endpoint())
                .isEqualTo(new EndpointSpec(Api.TGI_GENERATE, "", "", "LLMH_API_KEY", false));
        assertThat(suite.trials().get(1).endpoint().stream())
                .as("a method's @Endpoint replaces the class's")
                .isTrue();
    }

    @Test
    void methodAnnotationsReplaceClassAnnotationsOfTheSameKind() throws Exception {
        JavaFileObject source = Compiled.source(
                "com.example.Merged",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "@OpenLoop(rate = 1, arrival = Arrival.CONSTANT, maxInFlight = 10)",
                "@Warmup(duration = \"2s\")",
                "@Measurement(duration = \"1m30s\", drainTimeout = \"5s\")",
                "@Endpoint(url = \"http://127.0.0.1:8000\", model = \"m\")",
                "@Slo(ttft = \"p99 <= 2s\", maxErrorRate = 0.01)",
                "@Seed(7)",
                "@TokenShape(preset = ShapePreset.RAG)",
                "public class Merged {",
                "  @Benchmark",
                "  public ChatRequest inherits(Prompt prompt) { return ChatRequest.of(prompt); }",
                "  @Benchmark @ClosedLoop(concurrency = 2, thinkTime = \"250ms\") @Warmup(requests = 3)",
                "  @Measurement(requests = 100) @Seed(9) @Slo(itl = {\"p50 <= 20ms\", \"p99.9 <= 150ms\"},",
                "      windows = 0.9, window = \"5s\")",
                "  @Endpoint(api = Api.OPENAI_COMPLETIONS) @TokenShape(input = 64, output = 8, sharedPrefix = 16)",
                "  public CompletionRequest overrides(Prompt prompt) { return CompletionRequest.of(prompt); }",
                "}");

        BenchmarkSuite suite = loadSuite(Compiled.compile(source), "com.example.Merged");

        assertThat(suite.trials()).hasSize(2);
        TrialSpec inherits = suite.trials().get(0);
        assertThat(inherits.load()).isEqualTo(new OpenLoopModel(Arrival.CONSTANT, 1, 10));
        assertThat(inherits.warmup()).isEqualTo(Phase.ofDuration(Duration.ofSeconds(2)));
        assertThat(inherits.measurement()).isEqualTo(Phase.ofDuration(Duration.ofSeconds(90)));
        assertThat(inherits.drainTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(inherits.endpoint())
                .isEqualTo(new EndpointSpec(Api.OPENAI_CHAT, "http://127.0.0.1:8000", "m", "LLMH_API_KEY"));
        assertThat(inherits.slo())
                .isEqualTo(new SloSpec(
                        List.of(new LatencyBound(SloMetric.TTFT, 99, Duration.ofSeconds(2))), OptionalDouble.of(0.01)));
        assertThat(inherits.seed()).isEqualTo(7L);
        assertThat(inherits.workload()).isEqualTo(ShapeWorkload.of(ShapePreset.RAG, "cl100k_base"));

        TrialSpec overrides = suite.trials().get(1);
        assertThat(overrides.id()).isEqualTo("com.example.Merged.overrides{concurrency=2}");
        assertThat(overrides.load()).isEqualTo(new ClosedLoopModel(2, Duration.ofMillis(250)));
        assertThat(overrides.warmup()).isEqualTo(Phase.ofRequests(3));
        assertThat(overrides.measurement()).isEqualTo(Phase.ofRequests(100));
        assertThat(overrides.drainTimeout()).as("@Measurement replaced whole").isEqualTo(Duration.ofSeconds(30));
        assertThat(overrides.endpoint()).isEqualTo(new EndpointSpec(Api.OPENAI_COMPLETIONS, "", "", "LLMH_API_KEY"));
        assertThat(overrides.slo())
                .isEqualTo(new SloSpec(
                        List.of(
                                new LatencyBound(SloMetric.ITL, 50, Duration.ofMillis(20)),
                                new LatencyBound(SloMetric.ITL, 99.9, Duration.ofMillis(150))),
                        OptionalDouble.empty(),
                        java.util.Optional.of(new dev.llmharness.api.spi.WindowObjective(0.9, 5))));
        assertThat(overrides.seed()).isEqualTo(9L);
        assertThat(overrides.workload())
                .isEqualTo(new ShapeWorkload(
                        ShapePreset.NONE, LengthSpec.fixed(64), LengthSpec.fixed(8), 16, true, "cl100k_base", null));
        assertThat(suite.prepare(overrides).create(PROMPT)).isInstanceOf(CompletionRequest.class);
    }

    @Test
    void trialParametersListLoadThenSeveralLengthsThenParamFields() throws Exception {
        JavaFileObject source = Compiled.source(
                "com.example.Shapes",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Shapes {",
                "  public enum Mode { FAST, SLOW }",
                "  @Param({\"FAST\", \"SLOW\"}) Mode mode;",
                "  @Param({\"a\"}) String tag;",
                "  @Benchmark @ClosedLoop(concurrency = 4)",
                "  @TokenShape(input = {100, 200}, output = 50, outputDistribution = Distribution.NORMAL,",
                "      outputStddev = 5, outputMin = 10, outputMax = 90)",
                "  public ChatRequest chat(Prompt prompt) { return ChatRequest.of(prompt).extra(\"mode\", mode.name()); }",
                "}");

        BenchmarkSuite suite = loadSuite(Compiled.compile(source), "com.example.Shapes");

        assertThat(suite.trials())
                .extracting(TrialSpec::id)
                .containsExactly(
                        "com.example.Shapes.chat{concurrency=4, input=100, mode=FAST, tag=a}",
                        "com.example.Shapes.chat{concurrency=4, input=100, mode=SLOW, tag=a}",
                        "com.example.Shapes.chat{concurrency=4, input=200, mode=FAST, tag=a}",
                        "com.example.Shapes.chat{concurrency=4, input=200, mode=SLOW, tag=a}");
        TrialSpec last = suite.trials().get(3);
        assertThat(last.workload())
                .isEqualTo(new ShapeWorkload(
                        ShapePreset.NONE,
                        LengthSpec.fixed(200),
                        LengthSpec.normal(50, 5, 10, 90),
                        0,
                        true,
                        "cl100k_base",
                        null));
        assertThat(suite.prepare(last).create(PROMPT).extraBody()).containsEntry("mode", "SLOW");
    }

    @Test
    void everySupportedParamTypeIsConvertedFromItsValue() throws Exception {
        JavaFileObject source = Compiled.source(
                "com.example.Types",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Types {",
                "  @Param(\"7\") int i;",
                "  @Param(\"-3\") Integer boxedInt;",
                "  @Param(\"9000000000\") long l;",
                "  @Param(\"12\") short s;",
                "  @Param(\"-8\") byte b;",
                "  @Param(\"0.25\") double d;",
                "  @Param(\"1.5\") Float f;",
                "  @Param(\"true\") boolean z;",
                "  @Param(\"false\") Boolean boxedZ;",
                "  @Param(\"x\") char c;",
                "  @Param(\"UNIFORM\") Distribution e;",
                "  @Param(\"some text\") String text;",
                "  @Benchmark @OpenLoop(rate = 0.5)",
                "  public LlmRequest all() {",
                "    return ChatRequest.of(\"q\", 3).extra(\"v\", i + \"|\" + boxedInt + \"|\" + l + \"|\" + s + \"|\" + b",
                "        + \"|\" + d + \"|\" + f + \"|\" + z + \"|\" + boxedZ + \"|\" + c + \"|\" + e + \"|\" + text);",
                "  }",
                "}");

        BenchmarkSuite suite = loadSuite(Compiled.compile(source), "com.example.Types");

        TrialSpec trial = suite.trials().get(0);
        assertThat(trial.id()).startsWith("com.example.Types.all{rate=0.5, i=7, boxedInt=-3,");
        LlmRequest request = suite.prepare(trial).create(PROMPT);
        assertThat(request.extraBody())
                .containsEntry("v", "7|-3|9000000000|12|-8|0.25|1.5|true|false|x|UNIFORM|some text");
        assertThat(request.maxTokens())
                .as("a no-argument method ignores the prompt")
                .isEqualTo(3);
    }

    @Test
    void prepareGivesEachTrialAFreshInstanceAndRejectsForeignTrials() throws Exception {
        JavaFileObject source = Compiled.source(
                "com.example.Fresh",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Fresh {",
                "  private int calls;",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  public ChatRequest chat(Prompt prompt) { calls++; return ChatRequest.of(prompt).extra(\"calls\", calls); }",
                "}");
        BenchmarkSuite suite = loadSuite(Compiled.compile(source), "com.example.Fresh");
        TrialSpec trial = suite.trials().get(0);

        var first = suite.prepare(trial);
        first.create(PROMPT);
        assertThat(first.create(PROMPT).extraBody()).containsEntry("calls", 2);
        assertThat(suite.prepare(trial).create(PROMPT).extraBody()).containsEntry("calls", 1);

        TrialSpec foreign = new TrialSpec(
                "com.example.Other.chat",
                Map.of("rate", "1"),
                trial.load(),
                trial.warmup(),
                trial.measurement(),
                trial.drainTimeout(),
                trial.workload(),
                trial.endpoint(),
                trial.slo(),
                trial.seed());
        assertThatThrownBy(() -> suite.prepare(foreign))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a trial of com.example.Fresh: com.example.Other.chat{rate=1}");
    }

    @Test
    void aStaticNestedClassGetsASuiteNamedAfterItsEnclosingClasses() throws Exception {
        JavaFileObject source = Compiled.source(
                "com.example.Outer",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Outer {",
                "  public static class Inner {",
                "    @Benchmark @OpenLoop(rate = 3)",
                "    public ChatRequest chat(Prompt prompt) { return ChatRequest.of(prompt); }",
                "  }",
                "}");
        Compilation compilation = Compiled.compile(source);

        assertThat(compilation).generatedSourceFile("com.example.Outer_Inner_BenchmarkSuite");
        BenchmarkSuite suite = loadSuite(compilation, "com.example.Outer.Inner");
        assertThat(suite.trials()).extracting(TrialSpec::id).containsExactly("com.example.Outer.Inner.chat{rate=3}");
    }

    @Test
    void anEmpiricalShapeDrawsLengthsFromTheClassDataset() throws Exception {
        JavaFileObject source = Compiled.source(
                "com.example.Replay",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "@ClosedLoop(concurrency = 1)",
                "@Dataset(format = DatasetFormat.JSONL, path = \"classpath:q.jsonl\", promptField = \"q\",",
                "    referenceField = \"a\", maxInputTokens = 2048, sampling = Sampling.WITHOUT_REPLACEMENT, limit = 10)",
                "public class Replay {",
                "  @Benchmark",
                "  public ChatRequest replay(Prompt prompt) { return ChatRequest.of(prompt); }",
                "  @Benchmark",
                "  @TokenShape(inputDistribution = Distribution.EMPIRICAL, inputMin = 4, outputDistribution ="
                        + " Distribution.EMPIRICAL)",
                "  public ChatRequest synthetic(Prompt prompt) { return ChatRequest.of(prompt); }",
                "}");

        BenchmarkSuite suite = loadSuite(Compiled.compile(source), "com.example.Replay");

        DatasetWorkload dataset = new DatasetWorkload(
                DatasetFormat.JSONL,
                "classpath:q.jsonl",
                "q",
                "a",
                1,
                2048,
                Integer.MAX_VALUE,
                128,
                false,
                Sampling.WITHOUT_REPLACEMENT,
                10,
                "cl100k_base");
        assertThat(suite.trials().get(0).workload()).isEqualTo(dataset);
        assertThat(suite.trials().get(1).workload())
                .isEqualTo(new ShapeWorkload(
                        ShapePreset.NONE,
                        LengthSpec.empirical(4, Integer.MAX_VALUE),
                        new LengthSpec(Distribution.EMPIRICAL, 0, 1, Integer.MAX_VALUE, 0),
                        0,
                        true,
                        "cl100k_base",
                        dataset));
    }

    @Test
    void theModelIsBuiltWithoutWritingAnyFile() {
        List<SuiteModel> models = new ArrayList<>();
        JavaFileObject source = Compiled.source(
                "com.example.Model",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Model {",
                "  @Param({\"1\", \"2\"}) int n;",
                "  @Benchmark @OpenLoop(rate = {1, 2})",
                "  public ChatRequest chat() { return ChatRequest.of(\"x\", n); }",
                "}");

        Compilation compilation =
                Compiled.compile(new BenchmarkProcessor((model, file, origin) -> models.add(model)), source);

        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation.generatedFiles())
                .extracting(JavaFileObject::getName)
                .noneMatch(name -> name.contains("BenchmarkSuite"));
        assertThat(models).hasSize(1);
        SuiteModel model = models.get(0);
        assertThat(model.suiteQualifiedName()).isEqualTo("com.example.Model_BenchmarkSuite");
        assertThat(model.params()).containsExactly(new ParamModel("n", ParamType.INT, null, List.of("1", "2")));
        assertThat(model.methods()).singleElement().satisfies(m -> {
            assertThat(m.takesPrompt()).isFalse();
            assertThat(m.trials()).hasSize(4);
        });
    }

    @Test
    void anUnexpectedFailureBecomesACompileErrorOnItsClassAndOtherClassesGoOn() {
        List<String> written = new ArrayList<>();
        BenchmarkProcessor processor = new BenchmarkProcessor((model, file, origin) -> {
            if (model.benchmarkClass().endsWith("Crash")) {
                throw new java.io.IOException("disk full");
            }
            written.add(model.benchmarkClass());
        });
        JavaFileObject crash = Compiled.source(
                "com.example.Crash",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Crash {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  public ChatRequest chat(Prompt prompt) { return ChatRequest.of(prompt); }",
                "}");
        JavaFileObject fine = Compiled.source(
                "com.example.Fine",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Fine {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  public ChatRequest chat(Prompt prompt) { return ChatRequest.of(prompt); }",
                "}");

        Compilation compilation = Compiled.compile(processor, crash, fine);

        assertThat(compilation)
                .hadErrorContaining("the LLM Harness processor failed on com.example.Crash; please report this")
                .inFile(crash)
                .onLineContaining("public class Crash");
        assertThat(compilation).hadErrorContaining("java.io.IOException: disk full");
        assertThat(written).containsExactly("com.example.Fine");
    }

    @Test
    void aValidClassStillGeneratesBesideAClassWithMistakes() throws Exception {
        Path src = dir.resolve("src");
        Path bad = Javac.write(
                src,
                "com.example.Broken",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Broken {",
                "  @Param({\"x\"})",
                "  int size;",
                "  @Benchmark",
                "  @OpenLoop(rate = 0)",
                "  public ChatRequest zero(Prompt prompt) { return ChatRequest.of(prompt); }",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  private ChatRequest hidden(Prompt prompt) { return ChatRequest.of(prompt); }",
                "}");
        Path good = Javac.write(
                src,
                "com.example.Fine",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Fine {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  public ChatRequest chat(Prompt prompt) { return ChatRequest.of(prompt); }",
                "}");

        Javac.Result result = Javac.compile(List.of(bad, good), dir.resolve("classes"), dir.resolve("generated"));

        assertThat(result.success()).isFalse();
        assertThat(result.errors())
                .containsExactlyInAnyOrder(
                        "4: @Param value \"x\" is not a valid int (field size is int); write a value of the field's"
                                + " type, or change the field's type",
                        "7: @OpenLoop(rate) must be finite and > 0 requests per second, got 0.0; e.g. rate = 0.5 for"
                                + " one request every two seconds",
                        "10: @Benchmark method hidden must be public: add the public modifier (the generated suite"
                                + " calls it directly)");
        assertThat(dir.resolve("generated/com/example/Fine_BenchmarkSuite.java"))
                .exists();
        assertThat(dir.resolve("generated/com/example/Broken_BenchmarkSuite.java"))
                .doesNotExist();
    }

    @Test
    void anIncrementalCompilationKeepsTheSuitesRegisteredBefore() throws Exception {
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        Path first = Javac.write(
                src,
                "com.example.First",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class First {",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  public ChatRequest chat(Prompt prompt) { return ChatRequest.of(prompt); }",
                "}");
        Path second = Javac.write(
                src,
                "com.example.Second",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Second {",
                "  @Benchmark @ClosedLoop(concurrency = 1)",
                "  public ChatRequest chat(Prompt prompt) { return ChatRequest.of(prompt); }",
                "}");

        assertThat(Javac.compile(List.of(first), classes, dir.resolve("gen1")).errors())
                .isEmpty();
        assertThat(Javac.compile(List.of(second), classes, dir.resolve("gen2")).errors())
                .isEmpty();

        Path services = classes.resolve("META-INF/services/dev.llmharness.api.spi.BenchmarkSuite");
        assertThat(Files.readAllLines(services))
                .containsExactly("com.example.First_BenchmarkSuite", "com.example.Second_BenchmarkSuite");
        try (URLClassLoader loader = new URLClassLoader(
                new java.net.URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            List<String> found = new ArrayList<>();
            ServiceLoader.load(BenchmarkSuite.class, loader).forEach(s -> found.add(s.benchmarkClass()));
            assertThat(found).containsExactly("com.example.First", "com.example.Second");
        }
    }

    private static Path benchmark(Path src, String name, String load) {
        return Javac.write(
                src,
                "com.example." + name,
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class " + name + " {",
                "  @Benchmark " + load,
                "  public ChatRequest chat(Prompt prompt) { return ChatRequest.of(prompt); }",
                "}");
    }

    private static List<String> suitesFound(Path classes) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(
                new java.net.URL[] {classes.toUri().toURL()}, GenerationTest.class.getClassLoader())) {
            List<String> found = new ArrayList<>();
            ServiceLoader.load(BenchmarkSuite.class, loader).forEach(s -> found.add(s.benchmarkClass()));
            return found;
        }
    }

    @Test
    void aDeletedBenchmarkClassLeavesTheServiceFileOnTheNextIncrementalCompilation() throws Exception {
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        Path first = benchmark(src, "First", "@OpenLoop(rate = 1)");
        Path second = benchmark(src, "Second", "@OpenLoop(rate = 1)");
        Path third = benchmark(src, "Third", "@OpenLoop(rate = 1)");
        assertThat(Javac.compile(List.of(first, second, third), classes, dir.resolve("gen1"))
                        .errors())
                .isEmpty();

        // Second is deleted, and the build tool removes its class files; Third's suite class is
        // still there, but its benchmark class was removed.
        Files.delete(second);
        Files.delete(classes.resolve("com/example/Second.class"));
        Files.delete(classes.resolve("com/example/Second_BenchmarkSuite.class"));
        Files.delete(classes.resolve("com/example/Third.class"));
        Path fourth = benchmark(src, "Fourth", "@ClosedLoop(concurrency = 1)");
        assertThat(Javac.compile(List.of(fourth), classes, dir.resolve("gen2")).errors())
                .isEmpty();

        Path services = classes.resolve("META-INF/services/dev.llmharness.api.spi.BenchmarkSuite");
        assertThat(Files.readAllLines(services))
                .containsExactly("com.example.First_BenchmarkSuite", "com.example.Fourth_BenchmarkSuite");
        assertThat(suitesFound(classes)).containsExactly("com.example.First", "com.example.Fourth");
    }

    @Test
    void aFailedCompilationRegistersNoSuiteItDidNotCompile() throws Exception {
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        Path first = benchmark(src, "First", "@OpenLoop(rate = 1)");
        assertThat(Javac.compile(List.of(first), classes, dir.resolve("gen1")).errors())
                .isEmpty();

        Path added = benchmark(src, "Added", "@OpenLoop(rate = 1)");
        Path broken = benchmark(src, "Broken", "@OpenLoop(rate = 0)");
        Javac.Result failed = Javac.compile(List.of(first, added, broken), classes, dir.resolve("gen2"));

        assertThat(failed.success()).isFalse();
        Path services = classes.resolve("META-INF/services/dev.llmharness.api.spi.BenchmarkSuite");
        assertThat(Files.readAllLines(services)).containsExactly("com.example.First_BenchmarkSuite");
        assertThat(suitesFound(classes)).containsExactly("com.example.First");
    }
}
