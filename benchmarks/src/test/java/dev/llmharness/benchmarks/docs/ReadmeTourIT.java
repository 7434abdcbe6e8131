package dev.llmharness.benchmarks.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.processor.BenchmarkProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's five-minute tour, run as a user runs it after a fresh clone: the tour's {@code
 * MyBenchmarks} (the Java block of step 1, as printed) is built as step 3's {@code ./mvnw -B -q
 * package -DskipTests} would build it, into {@code benchmarks/target/benchmarks.jar} beside the
 * examples; then every command line of steps 3 and 5 runs, as printed, with {@code sh} in a copy of
 * the repository's layout ({@code bin/llmh}, {@code results/}), against the embedded simulator.
 *
 * <p>The only change is the environment: {@code LLMH_JAVA_OPTS} shortens every window
 * ({@code -Dllmh.durationScale}, a documented property) and the heap, so that the tour takes about a
 * minute. Failsafe runs this in {@code integration-test}, once {@code package} has built the jar.
 */
@DisabledOnOs(OS.WINDOWS)
class ReadmeTourIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JAR = Path.of("target/benchmarks.jar").toAbsolutePath();
    private static final String SERVICE_FILE = "META-INF/services/dev.llmharness.api.spi.BenchmarkSuite";
    /** The build command of step 3, which this test does itself (the jar exists; it adds the tour's class). */
    private static final String PACKAGE = "./mvnw -B -q package -DskipTests";

    @TempDir
    Path clone;

    /** The blocks of the README section whose heading starts with {@code heading}. */
    private static List<MarkdownBlocks.Block> section(String heading) throws IOException {
        return MarkdownBlocks.section(ROOT.resolve("README.md"), heading);
    }

    /** Command lines of a shell block: no comments, no blank lines. */
    private static List<String> commands(MarkdownBlocks.Block b) {
        assertThat(b.language()).isEqualTo("sh");
        assertThat(b.text()).as("one command per line, no continuations").doesNotContain("\\\n");
        return b.text()
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    @Test
    void theTourRunsAsPrinted() throws Exception {
        // Step 1: the benchmark class, exactly as printed.
        List<MarkdownBlocks.Block> write = section("1. Write a benchmark");
        assertThat(write).extracting(MarkdownBlocks.Block::language).containsExactly("java");
        String source = write.get(0).text();
        assertThat(source).contains("package com.example.bench;").contains("public class MyBenchmarks");

        // Step 3: the build, then the run.
        List<String> run = new ArrayList<>();
        section("3. Run it").stream().filter(b -> b.language().equals("sh")).forEach(b -> run.addAll(commands(b)));
        assertThat(run).as("step 3 starts with the build").isNotEmpty().first().isEqualTo(PACKAGE);
        build(source);
        List<String> compare = new ArrayList<>();
        section("5. Compare two runs").stream()
                .filter(b -> b.language().equals("sh"))
                .forEach(b -> compare.addAll(commands(b)));
        assertThat(compare).hasSize(2);

        for (String line : run.subList(1, run.size())) {
            Result r = sh(line);
            assertThat(r.code()).as("%s%n%s", line, r.output()).isZero();
        }
        assertThat(clone.resolve("results/mine.json")).isRegularFile();
        assertThat(Files.readString(clone.resolve("results/mine.json")))
                .contains("com.example.bench.MyBenchmarks.chat{rate=4}")
                .contains("com.example.bench.MyBenchmarks.chat{rate=16}");
        assertThat(clone.resolve("results/mine/report.html")).isRegularFile();

        Result slower = sh(compare.get(0));
        assertThat(slower.code()).as("%s%n%s", compare.get(0), slower.output()).isZero();
        assertThat(clone.resolve("results/slower.json")).isRegularFile();
        Result verdict = sh(compare.get(1));
        // The README's promise: a server 20 % slower per token is a gated regression, exit 1, and
        // the first line names the metric. TPOT moves by the whole 20 % in every request, so even
        // the halved windows of this test decide it.
        assertThat(verdict.code())
                .as("%s%n%s", compare.get(1), verdict.output())
                .isEqualTo(1);
        assertThat(verdict.output().lines().findFirst().orElse("")).startsWith("llmh compare: REGRESSION: ");
        assertThat(verdict.output())
                .containsPattern("(?m)^llmh compare:   com\\.example\\.bench\\.MyBenchmarks\\.chat\\{rate=(4|16)\\}"
                        + " tpot\\.p(50|90) \\+[0-9.]+ % worse .* REGRESSION$")
                .doesNotContain("\tat ");
    }

    /**
     * What {@code ./mvnw package} does with the tour's class in {@code benchmarks/src/main/java}:
     * compiled with the harness's processor against the benchmarks jar, its generated suite
     * registered beside the examples' in the jar's merged service file.
     */
    private void build(String source) throws IOException {
        Path src =
                Files.createDirectories(clone.resolve("src/com/example/bench")).resolve("MyBenchmarks.java");
        Files.writeString(src, source);
        Path classes = Files.createDirectories(clone.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            JavaCompiler.CompilationTask task = javac.getTask(
                    null,
                    files,
                    diagnostics,
                    List.of("-cp", JAR.toString(), "-d", classes.toString()),
                    null,
                    files.getJavaFileObjects(src));
            task.setProcessors(List.of(new BenchmarkProcessor()));
            assertThat(task.call())
                    .as("the README's MyBenchmarks compiles: %s", diagnostics.getDiagnostics())
                    .isTrue();
        }
        String registered = Files.readString(classes.resolve(SERVICE_FILE));
        assertThat(registered).contains("MyBenchmarks");

        Path jar = Files.createDirectories(clone.resolve("benchmarks/target")).resolve("benchmarks.jar");
        try (JarFile in = new JarFile(JAR.toFile());
                JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                out.putNextEntry(new JarEntry(entry.getName()));
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                if (entry.getName().equals(SERVICE_FILE)) {
                    out.write(("\n" + registered).getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
            try (Stream<Path> all = Files.walk(classes)) {
                for (Path p : all.filter(Files::isRegularFile).collect(Collectors.toList())) {
                    String name = classes.relativize(p).toString().replace('\\', '/');
                    if (name.equals(SERVICE_FILE)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(name));
                    Files.copy(p, out);
                    out.closeEntry();
                }
            }
        }
        Path bin = Files.createDirectories(clone.resolve("bin")).resolve("llmh");
        Files.copy(ROOT.resolve("bin/llmh"), bin);
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(clone.resolve("results"));
    }

    /** Exit code and combined output of a finished command. */
    record Result(int code, String output) {}

    private Result sh(String line) throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder("sh", "-c", line).directory(clone.toFile()).redirectErrorStream(true);
        pb.environment().remove("LLMH_JAR");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("LLMH_JAVA_OPTS", "-Xms256m -Xmx512m -Dllmh.durationScale=0.5 -Dllmh.progress=0s");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s ended", line).isTrue();
        return new Result(p.exitValue(), output);
    }
}
