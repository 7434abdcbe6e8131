package dev.llmharness.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One check of what a trial measures, for every kind of load: a warmup as long as a load that ends
 * by itself leaves nothing to measure, and a per-window SLO's window must fit in what is left. A
 * trace counts as such a load when the processor can read its file at compile time (a path, or a
 * {@code classpath:} resource on the class path), real files here.
 */
class MeasuredLengthTest {
    private static final String CHAT = "  public ChatRequest chat(Prompt p) { return ChatRequest.of(p); }";

    @TempDir
    Path dir;

    private static JavaFileObject bench(String... annotations) {
        String[] lines = new String[annotations.length + 5];
        lines[0] = "package com.example;";
        lines[1] = "import dev.llmharness.api.*;";
        lines[2] = "public class Bench {";
        lines[3] = "  @Benchmark";
        System.arraycopy(annotations, 0, lines, 4, annotations.length);
        lines[lines.length - 1] = CHAT + " }";
        return Compiled.source("com.example.Bench", lines);
    }

    /** A Mooncake trace of three requests over 3 s (its lines out of order, as the runtime sorts them). */
    private Path mooncake() throws IOException {
        Path file = dir.resolve("t.jsonl");
        Files.writeString(
                file,
                "{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 5, \"hash_ids\": [1, 2]}\n"
                        + "{\"timestamp\": 3000, \"input_length\": 10, \"output_length\": 5}\n"
                        + "\n"
                        + "{\"timestamp\": 1500, \"input_length\": 10, \"output_length\": 5}\n");
        return file;
    }

    @Test
    void aWarmupAsLongAsATraceReadableAtCompileTimeIsAnErrorOnItsPath() throws IOException {
        Path trace = mooncake();
        JavaFileObject source = bench("  @TraceReplay(", "      path = \"" + trace + "\")");

        Compilation compilation = Compiled.compile(source);

        assertThat(compilation)
                .hadErrorContaining("@TraceReplay on chat: the warmup (5s) is as long as the whole trace (3s: its"
                        + " requests from the first to the last in " + trace + " (read at compile time)), so nothing"
                        + " would be measured: add @Warmup(duration = \"0s\") to measure the whole trace, or a shorter"
                        + " warmup, e.g. @Warmup(duration = \"1s\")")
                .inFile(source)
                .onLineContaining("path = ");
        assertThat(compilation.errors()).hasSize(1);
    }

    /**
     * An Azure trace in the 2024 style (offsets on its times, an index column of a pandas export) is
     * read at compile time as the runtime reads it (TraceTimestamps): 3 s from its first request to
     * its last, across a change of offset.
     */
    @Test
    void anAzureTraceWithOffsetsIsReadAtCompileTimeAsTheRuntimeReadsIt() throws IOException {
        Path trace = dir.resolve("azure.csv");
        Files.writeString(
                trace,
                ",TIMESTAMP,ContextTokens,GeneratedTokens\n"
                        + "0,2024-05-10 00:00:00.000000+00:00,374,44\n"
                        + "1,2024-05-10 02:00:01.500000+02:00,396,109\n"
                        + "2,2024-05-10 00:00:03Z,879,59\n");
        JavaFileObject source = bench("  @TraceReplay(", "      path = \"" + trace + "\")");

        Compilation compilation = Compiled.compile(source);

        assertThat(compilation)
                .hadErrorContaining("the warmup (5s) is as long as the whole trace (3s: its requests from the first to"
                        + " the last in " + trace + " (read at compile time))")
                .inFile(source)
                .onLineContaining("path = ");
    }

    /**
     * Replayed at half speed the same trace lasts 6 s: the 5 s warmup leaves 1 s, in which a 2 s
     * per-window SLO window does not fit; without the warmup it does.
     */
    @Test
    void aPerWindowSloMustFitInWhatATraceMeasuresAtItsSpeedup() throws IOException {
        Path trace = mooncake();
        JavaFileObject tooLong = bench(
                "  @TraceReplay(path = \"" + trace + "\", speedup = 0.5)",
                "  @Slo(ttft = \"p99 <= 2s\", windows = 0.9,",
                "      window = \"2s\")");

        Compilation compilation = Compiled.compile(tooLong);

        assertThat(compilation)
                .hadErrorContaining("@Slo(window) \"2s\" is longer than the 1s the trial measures (its load's length"
                        + " after the warmup), so no whole window fits: give window = \"1s\" or shorter, or lengthen the"
                        + " load or shorten the warmup")
                .inFile(tooLong)
                .onLineContaining("window = \"2s\"");
        assertThat(compilation.errors()).hasSize(1);

        assertThat(Compiled.compile(bench(
                        "  @TraceReplay(path = \"" + trace + "\", speedup = 0.5)",
                        "  @Warmup(duration = \"0s\")",
                        "  @Slo(ttft = \"p99 <= 2s\", windows = 0.9, window = \"2s\")")))
                .succeededWithoutWarnings();
    }

    /**
     * A {@code classpath:} trace is read where the build put it, next to the classes (Maven copies
     * resources there before compiling): an Azure trace of 4 s under a 5 s warmup.
     */
    @Test
    void aClasspathTraceIsReadFromTheClassPath() throws IOException {
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes.resolve("traces"));
        Files.writeString(
                classes.resolve("traces/azure.csv"),
                "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                        + "2023-11-16 18:15:46.6805900,374,44\n"
                        + "2023-11-16 18:15:48.1805900,396,109\n"
                        + "2023-11-16 18:15:50.6805900,879,37\n");
        Path src = Javac.write(
                dir.resolve("src"),
                "com.example.Bench",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Bench {",
                "  @Benchmark",
                "  @TraceReplay(path = \"classpath:traces/azure.csv\")",
                CHAT,
                "}");

        Javac.Result result = Javac.compile(List.of(src), classes, dir.resolve("generated"));

        assertThat(result.success()).isFalse();
        assertThat(result.errors())
                .containsExactly("5: @TraceReplay on chat: the warmup (5s) is as long as the whole trace (4s: its"
                        + " requests from the first to the last in classpath:traces/azure.csv (read at compile time)),"
                        + " so nothing would be measured: add @Warmup(duration = \"0s\") to measure the whole trace, or"
                        + " a shorter warmup, e.g. @Warmup(duration = \"2s\")");
    }

    /**
     * A trace the processor cannot read now (not there yet, or a line it does not follow) is left to
     * the run, which reads it before any load and says what is wrong: it compiles.
     */
    @Test
    void aTraceUnreadableAtCompileTimeIsLeftToTheRun() throws IOException {
        Path odd = dir.resolve("odd.jsonl");
        Files.writeString(odd, "{\"timestamp\": 0}\n{\"time\": 3000}\n");
        for (String path : List.of("traces/missing.jsonl", "classpath:traces/missing.csv", odd.toString())) {
            assertThat(Compiled.compile(bench(
                            "  @TraceReplay(path = \"" + path + "\")",
                            "  @Slo(ttft = \"p99 <= 2s\", windows = 0.9, window = \"30s\")")))
                    .succeededWithoutWarnings();
        }
    }

    /**
     * A module of its own under the temporary directory: a build file marks its base directory, a
     * benchmark replays {@code path} (relative), and its trace (three requests over 3 s) is at
     * {@code traceAt} when given.
     */
    private Path module(String name, String path) throws IOException {
        Path module = dir.resolve(name);
        Files.createDirectories(module);
        Files.writeString(module.resolve("pom.xml"), "<project/>\n");
        return Javac.write(
                module.resolve("src/main/java"),
                "com.example.Bench",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "public class Bench {",
                "  @Benchmark",
                "  @TraceReplay(path = \"" + path + "\")",
                CHAT,
                "}");
    }

    private static void mooncakeAt(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"timestamp\": 0}\n{\"timestamp\": 3000}\n{\"timestamp\": 1500}\n");
    }

    private static Javac.Result compileIn(Path module, Path source, String... options) {
        return Javac.compile(
                List.of(source),
                module.resolve("target/classes"),
                module.resolve("target/generated-sources"),
                List.of(options));
    }

    /**
     * A relative trace path is read against the benchmark's module (the directory of the build file
     * above its source), not javac's working directory, which here is the processor's own module
     * (under Maven, wherever mvn started): the check reads the file the run reads, and says which.
     */
    @Test
    void aRelativeTracePathIsReadFromTheModuleWhereverJavacRuns() throws IOException {
        Path source = module("app", "traces/t.jsonl");
        Path trace = dir.resolve("app/traces/t.jsonl");
        mooncakeAt(trace);
        assertThat(Path.of("traces/t.jsonl").toAbsolutePath())
                .as("javac's working directory has no such file")
                .doesNotExist();

        Javac.Result result = compileIn(dir.resolve("app"), source);

        assertThat(result.success()).isFalse();
        assertThat(result.errors())
                .containsExactly("5: @TraceReplay on chat: the warmup (5s) is as long as the whole trace (3s: its"
                        + " requests from the first to the last in traces/t.jsonl (read at compile time from " + trace
                        + ")), so nothing would be measured: add @Warmup(duration = \"0s\") to measure the whole"
                        + " trace, or a shorter warmup, e.g. @Warmup(duration = \"1s\")");
    }

    /** -Allmh.baseDir (the benchmarks pom sets it to ${project.basedir}) names the base directory itself. */
    @Test
    void theBaseDirectoryOptionNamesWhereRelativeTracesAre() throws IOException {
        Path source = module("app", "traces/t.jsonl");
        Path elsewhere = dir.resolve("elsewhere");
        mooncakeAt(elsewhere.resolve("traces/t.jsonl"));

        Javac.Result result = compileIn(dir.resolve("app"), source, "-Allmh.baseDir=" + elsewhere);

        assertThat(result.errors())
                .singleElement()
                .asString()
                .contains("(read at compile time from " + elsewhere.resolve("traces/t.jsonl") + ")");

        Javac.Result bad = compileIn(dir.resolve("app"), source, "-Allmh.baseDir=" + dir.resolve("nowhere"));
        assertThat(bad.success()).isFalse();
        assertThat(bad.errors())
                .anySatisfy(e -> assertThat(e)
                        .contains("-Allmh.baseDir=" + dir.resolve("nowhere") + " is not a directory")
                        .contains("<arg>-Allmh.baseDir=${project.basedir}</arg>"));
    }

    /**
     * A trace not there at compile time still compiles (the run checks it when it reads it), with a
     * note on its path naming where it was looked for and the rule, so that a file put in the wrong
     * place is found before the run.
     */
    @Test
    void aTraceNotThereAtCompileTimeIsANoteNamingWhereItWasLookedForAndTheRule() throws IOException {
        Path source = module("later", "traces/later.csv");

        Javac.Result result = compileIn(dir.resolve("later"), source);

        assertThat(result.success()).as(result.diagnostics().toString()).isTrue();
        assertThat(result.notes())
                .contains("@TraceReplay(path) \"traces/later.csv\" is not there at compile time (looked for "
                        + dir.resolve("later/traces/later.csv") + ": a relative trace path is relative to the"
                        + " benchmark module's base directory, here the directory of " + dir.resolve("later/pom.xml")
                        + "), so its length is not checked now: llmh run reads it before any load and checks it"
                        + " then");
    }
}
