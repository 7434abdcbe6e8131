package dev.llmharness.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import dev.llmharness.api.spi.BenchmarkSuite;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated names that would clash with another generated name or a user's class: an ordinary
 * error on the benchmark class, never a processor crash; and generated code that names the right
 * types whatever the benchmark's package holds.
 */
class NameCollisionTest {
    private static final String BENCH =
            "@Benchmark @OpenLoop(rate = 1)" + " public ChatRequest chat(Prompt p) { return ChatRequest.of(p); }";

    @TempDir
    Path dir;

    @Test
    void aNestedClassAndATopLevelClassWithTheJoinedNameAreAnErrorOnTheSecond() {
        JavaFileObject outer = Compiled.source(
                "com.example.Outer",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Outer {",
                "  public static class Inner { " + BENCH + " }",
                "}");
        JavaFileObject joined = Compiled.source(
                "com.example.Outer_Inner",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Outer_Inner { " + BENCH + " }");

        Compilation compilation = Compiled.compile(outer, joined);

        assertThat(compilation)
                .hadErrorContaining("the suite generated for com.example.Outer_Inner would be named"
                        + " com.example.Outer_Inner_BenchmarkSuite, like the suite of com.example.Outer.Inner"
                        + " (nested class names are joined with _): rename one of the two classes")
                .inFile(joined)
                .onLineContaining("public class Outer_Inner");
        assertThat(compilation.errors()).hasSize(1);
        assertThat(compilation.errors().get(0).getMessage(null)).doesNotContain("please report this");
    }

    @Test
    void aUserClassWithTheSuiteNameIsAnErrorOnTheBenchmarkClass() {
        JavaFileObject clash = Compiled.source(
                "com.example.Clash",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Clash { " + BENCH + " }");
        JavaFileObject taken = Compiled.source(
                "com.example.Clash_BenchmarkSuite", "package com.example;", "public class Clash_BenchmarkSuite {}");

        Compilation compilation = Compiled.compile(clash, taken);

        assertThat(compilation)
                .hadErrorContaining("the suite generated for com.example.Clash would be named"
                        + " com.example.Clash_BenchmarkSuite, but a class of that name exists: rename that class"
                        + " (names ending in _BenchmarkSuite are taken by generated suites) or rename Clash")
                .inFile(clash)
                .onLineContaining("public class Clash");
        assertThat(compilation.errors()).hasSize(1);
    }

    @Test
    void aSuiteLeftByAnEarlierCompilationForAnotherClassIsNamedInTheError() {
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        Path outer = Javac.write(
                src,
                "com.example.Outer",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Outer {",
                "  public static class Inner { " + BENCH + " }",
                "}");
        Path joined = Javac.write(
                src,
                "com.example.Outer_Inner",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Outer_Inner { " + BENCH + " }");

        assertThat(Javac.compile(List.of(outer), classes, dir.resolve("gen1")).errors())
                .isEmpty();
        Javac.Result second = Javac.compile(List.of(joined), classes, dir.resolve("gen2"));

        assertThat(second.errors())
                .containsExactly("3: the suite generated for com.example.Outer_Inner would be named"
                        + " com.example.Outer_Inner_BenchmarkSuite, but the suite of com.example.Outer.Inner has"
                        + " that name (nested class names are joined with _): rename one of the two classes, or"
                        + " rebuild cleanly if com.example.Outer.Inner no longer exists");
    }

    @Test
    void theSuiteAlsoRecompilesForTheSameClass() {
        Path src = dir.resolve("src");
        Path classes = dir.resolve("classes");
        Path bench = Javac.write(
                src,
                "com.example.Bench",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Bench { " + BENCH + " }");

        assertThat(Javac.compile(List.of(bench), classes, dir.resolve("gen1")).errors())
                .isEmpty();
        // javac's -Xlint:processing warns that the suite's class file exists: not an error of ours.
        assertThat(Javac.compile(List.of(bench), classes, dir.resolve("gen2")).errors())
                .noneMatch(error -> error.contains("would be named"));
    }

    @Test
    void typesInTheBenchmarkPackageNamedLikeThoseTheSuiteUsesDoNotCapture() throws Exception {
        List<JavaFileObject> sources = new ArrayList<>();
        for (String name : List.of("String", "Override", "List", "Duration", "Map", "IllegalArgumentException")) {
            sources.add(Compiled.source("com.example." + name, "package com.example;", "class " + name + " {}"));
        }
        sources.add(Compiled.source(
                "com.example.TrialSpec",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class TrialSpec {",
                "  public enum Phase { WARM, COLD }",
                "  @Param({\"WARM\", \"COLD\"}) Phase phase;",
                "  @Benchmark @OpenLoop(rate = 1)",
                "  public ChatRequest chat(Prompt p) { return ChatRequest.of(p).extra(\"phase\", phase.name()); }",
                "}"));

        Compilation compilation = Compiled.compile(sources.toArray(new JavaFileObject[0]));

        assertThat(compilation).succeededWithoutWarnings();
        try (URLClassLoader loader = Compiled.load(compilation, dir)) {
            BenchmarkSuite suite =
                    ServiceLoader.load(BenchmarkSuite.class, loader).findFirst().orElseThrow();
            assertThat(suite.benchmarkClass()).isEqualTo("com.example.TrialSpec");
            assertThat(suite.trials()).hasSize(2);
        }
    }
}
