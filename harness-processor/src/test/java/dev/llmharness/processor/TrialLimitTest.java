package dev.llmharness.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.TrialSpec;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Classes at the documented limits ({@link BenchmarkReader#MAX_TRIALS_PER_METHOD} trials per
 * method, {@link BenchmarkReader#MAX_PARAM_FIELDS} {@code @Param} fields) compile for real, with
 * the generated suite under {@code -Xlint:all -Werror}, and list every trial at run time. Each
 * shape stresses another part of the generated code: many loads, many workloads, long parameter
 * lists, several methods at the limit in one class.
 */
class TrialLimitTest {
    private static final Prompt PROMPT = new Prompt(0, "hello", 1, 16, true, null);

    @TempDir
    Path dir;

    /**
     * @param shape what the case stresses
     * @param members the class body
     * @param trials the trials the class must list
     */
    record Shape(String shape, List<String> members, int trials) {
        @Override
        public String toString() {
            return shape;
        }
    }

    private static final String CHAT = "  public ChatRequest chat(Prompt p) { return ChatRequest.of(p); }";

    /** {@code @Param({"1", ..., "n"})} on a field of the given type and name. */
    private static String param(String type, String name, int values) {
        return "  @Param({"
                + IntStream.rangeClosed(1, values)
                        .mapToObj(i -> "\"" + i + "\"")
                        .collect(Collectors.joining(", "))
                + "}) public " + type + " " + name + ";";
    }

    private static String ints(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    }

    static Stream<Shape> shapes() {
        int max = BenchmarkReader.MAX_TRIALS_PER_METHOD;
        List<Shape> shapes = new ArrayList<>();
        shapes.add(new Shape(
                "768 trials: 4 rates x 4 inputs x 4 outputs x 4 values x 3 values",
                List.of(
                        param("int", "a", 4),
                        param("String", "b", 3),
                        "  @Benchmark @OpenLoop(rate = {1, 2, 3, 4})",
                        "  @TokenShape(input = {100, 200, 300, 400}, output = {10, 20, 30, 40})",
                        CHAT),
                768));
        shapes.add(new Shape(
                max + " trials with three trial parameters (rate and two @Param fields)",
                List.of(
                        param("double", "temperature", 10),
                        param("long", "size", 10),
                        "  @Benchmark @OpenLoop(rate = {" + ints(1, 10) + "})",
                        CHAT),
                max));
        shapes.add(new Shape(
                max + " trials: 4 rates x 5 inputs x 5 outputs x 10 values, every workload distinct",
                List.of(
                        param("Integer", "n", 10),
                        "  @Benchmark @OpenLoop(rate = {0.5, 1, 2, 4}, arrival = Arrival.CONSTANT)",
                        "  @TokenShape(input = {100, 200, 300, 400, 500}, inputDistribution = Distribution.NORMAL,"
                                + " inputStddev = 10, inputMin = 50, inputMax = 600,"
                                + " output = {10, 20, 30, 40, 50}, sharedPrefix = 20)",
                        "  @Slo(ttft = {\"p50 <= 1s\", \"p99 <= 2s\"}, tpot = \"p99 <= 50ms\", maxErrorRate = 0.01)",
                        CHAT),
                max));
        shapes.add(new Shape(
                max + " trials, one per closed-loop concurrency",
                List.of("  @Benchmark @ClosedLoop(concurrency = {" + ints(1, max) + "}, thinkTime = \"10ms\")", CHAT),
                max));
        shapes.add(new Shape(
                max + " trials, one per input length: a thousand distinct workloads",
                List.of(
                        "  @Benchmark @OpenLoop(rate = 1)",
                        "  @TokenShape(input = {" + ints(1, max) + "}, output = 8)",
                        CHAT),
                max));
        List<String> wide = new ArrayList<>();
        wide.add(param("short", "a", 10));
        wide.add(param("byte", "b", 10));
        wide.add(param("float", "c", 10));
        for (int i = 0; i < 60; i++) {
            wide.add("  @Param({\"x\"}) public String f" + i + ";");
        }
        wide.add("  @Benchmark @OpenLoop(rate = 1)");
        wide.add(CHAT);
        shapes.add(new Shape(max + " trials with 63 @Param fields each", wide, max));
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < BenchmarkReader.MAX_PARAM_FIELDS - 1; i++) {
            fields.add("  @Param({\"" + i + "\"}) public String p" + i + ";");
        }
        fields.add(param("char", "last", 4));
        fields.add("  @Benchmark @OpenLoop(rate = {1, 2})");
        fields.add(CHAT);
        shapes.add(new Shape(BenchmarkReader.MAX_PARAM_FIELDS + " @Param fields", fields, 8));
        List<String> methods = new ArrayList<>();
        methods.add("  @Param({\"true\", \"false\"}) public boolean flag;");
        methods.add(param("String", "word", 50));
        for (String name : List.of("one", "two", "three")) {
            methods.add("  @Benchmark @OpenLoop(rate = {" + ints(1, 10) + "})");
            methods.add("  public ChatRequest " + name + "(Prompt p) { return ChatRequest.of(p); }");
        }
        shapes.add(new Shape("three methods of " + max + " trials in one class", methods, 3 * max));
        return shapes.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void aClassAtTheLimitCompilesAndListsEveryTrial(Shape shape) throws Exception {
        List<String> lines =
                new ArrayList<>(List.of("package com.example;", "import dev.llmharness.api.*;", "public class Wide {"));
        lines.addAll(shape.members());
        lines.add("}");
        JavaFileObject source = Compiled.source("com.example.Wide", lines.toArray(new String[0]));

        Compilation compilation = Compiled.compile(source);

        assertThat(compilation).succeededWithoutWarnings();
        try (URLClassLoader loader = Compiled.load(compilation, dir)) {
            BenchmarkSuite suite =
                    ServiceLoader.load(BenchmarkSuite.class, loader).findFirst().orElseThrow();
            List<TrialSpec> trials = suite.trials();
            assertThat(trials).hasSize(shape.trials());
            assertThat(trials.stream().map(TrialSpec::id).distinct()).hasSize(shape.trials());
            for (TrialSpec trial : List.of(trials.get(0), trials.get(trials.size() - 1))) {
                assertThat(suite.prepare(trial).create(PROMPT)).isNotNull();
            }
        }
    }

    @Test
    void oneTrialMoreThanTheLimitIsAnError() {
        int max = BenchmarkReader.MAX_TRIALS_PER_METHOD;
        JavaFileObject source = Compiled.source(
                "com.example.Wide",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Wide {",
                "  @Benchmark @ClosedLoop(concurrency = {" + ints(1, max + 1) + "})",
                CHAT,
                "}");

        assertThat(Compiled.compile(source))
                .hadErrorContaining("@Benchmark method chat expands into " + (max + 1) + " trials, more than " + max)
                .inFile(source)
                .onLineContaining("public ChatRequest chat(");
    }

    @Test
    void oneParamFieldMoreThanTheLimitIsAnError() {
        int max = BenchmarkReader.MAX_PARAM_FIELDS;
        List<String> lines =
                new ArrayList<>(List.of("package com.example;", "import dev.llmharness.api.*;", "public class Wide {"));
        for (int i = 0; i < max; i++) {
            lines.add("  @Param({\"1\"}) public int p" + i + ";");
        }
        lines.add("  @Param({\"1\"}) public int extra;");
        lines.add("  @Benchmark @OpenLoop(rate = 1)");
        lines.add(CHAT);
        lines.add("}");
        JavaFileObject source = Compiled.source("com.example.Wide", lines.toArray(new String[0]));

        assertThat(Compiled.compile(source))
                .hadErrorContaining("@Param on extra is the " + (max + 1)
                        + "th @Param field of Wide; a class may have at" + " most " + max)
                .inFile(source)
                .onLineContaining("int extra;");
    }
}
