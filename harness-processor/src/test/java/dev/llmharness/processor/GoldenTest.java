package dev.llmharness.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The generated source, compared with golden files under {@code src/test/resources/golden}. After
 * an intended change to the generated code, regenerate them with {@code ./mvnw -pl
 * harness-processor -am test -Dtest=GoldenTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dllmh.updateGolden=true} and review the diff.
 */
class GoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @Test
    void anOpenLoopSuiteWithParamsAndObjectivesMatchesItsGolden() throws IOException {
        JavaFileObject source = Compiled.source(
                "com.example.bench.ChatBenchmarks",
                "package com.example.bench;",
                "import dev.llmharness.api.*;",
                "@Endpoint(api = Api.OPENAI_CHAT)",
                "@Warmup(duration = \"10s\")",
                "@Measurement(duration = \"60s\")",
                "@Slo(ttft = \"p99 <= 2s\", tpot = \"p99 <= 100ms\", maxErrorRate = 0.01)",
                "public class ChatBenchmarks {",
                "  @Param({\"0.0\", \"0.7\"})",
                "  double temperature;",
                "  @Benchmark",
                "  @OpenLoop(arrival = Arrival.POISSON, rate = {2, 4, 8})",
                "  @TokenShape(input = 256, output = 128)",
                "  public ChatRequest chat(Prompt prompt) {",
                "    return ChatRequest.of(prompt).temperature(temperature);",
                "  }",
                "}");

        assertMatchesGolden(Compiled.compile(source), "com.example.bench.ChatBenchmarks_BenchmarkSuite");
    }

    @Test
    void aClosedLoopDatasetSuiteMatchesItsGolden() throws IOException {
        JavaFileObject source = Compiled.source(
                "com.example.bench.Replay",
                "package com.example.bench;",
                "import dev.llmharness.api.*;",
                "public class Replay {",
                "  public static class Completions {",
                "    public enum Style { PLAIN, FANCY }",
                "    @Param({\"PLAIN\", \"FANCY\"})",
                "    Style style;",
                "    @Benchmark",
                "    @ClosedLoop(concurrency = {1, 16}, thinkTime = \"1.5s\")",
                "    @Endpoint(api = Api.OPENAI_COMPLETIONS, url = \"https://llm.example.com\", model = \"m\")",
                "    @Dataset(format = DatasetFormat.SHAREGPT, path = \"data/sharegpt.json\", maxInputTokens = 4096,",
                "        outputFromReference = true)",
                "    @Seed(-1)",
                "    public CompletionRequest replay(Prompt prompt) {",
                "      return CompletionRequest.of(prompt).extra(\"style\", style.name());",
                "    }",
                "    @Benchmark",
                "    @OpenLoop(rate = 0.25, maxInFlight = 4, arrival = Arrival.CONSTANT)",
                "    @TokenShape(inputDistribution = Distribution.UNIFORM, inputMin = 100, inputMax = 300,",
                "        output = {32, 64}, sharedPrefix = 50, exactOutput = false, encoding = \"o200k_base\")",
                "    @Measurement(requests = 500, drainTimeout = \"2m\")",
                "    @Warmup(duration = \"0s\")",
                "    @Endpoint(api = Api.OPENAI_COMPLETIONS)",
                "    public LlmRequest shaped() {",
                "      return CompletionRequest.of(new Prompt(0, \"x\", 1, 1, false, null));",
                "    }",
                "  }",
                "}");

        assertMatchesGolden(Compiled.compile(source), "com.example.bench.Replay_Completions_BenchmarkSuite");
    }

    private static void assertMatchesGolden(Compilation compilation, String suite) throws IOException {
        assertThat(compilation).succeededWithoutWarnings();
        String generated = compilation
                .generatedSourceFile(suite)
                .orElseThrow()
                .getCharContent(true)
                .toString();
        Path golden = GOLDEN.resolve(suite.substring(suite.lastIndexOf('.') + 1) + ".java.txt");
        if (Boolean.getBoolean("llmh.updateGolden")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, generated, StandardCharsets.UTF_8);
        }
        assertThat(golden)
                .as("golden file; regenerate with -Dllmh.updateGolden=true")
                .exists();
        assertThat(generated).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
