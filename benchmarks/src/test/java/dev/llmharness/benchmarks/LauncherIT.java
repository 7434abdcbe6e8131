package dev.llmharness.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as a user runs it: {@code bin/llmh} and {@code java -jar target/benchmarks.jar} in
 * child processes, after {@code package} has built the jar (failsafe runs this in {@code
 * integration-test}).
 */
@DisabledOnOs(OS.WINDOWS)
class LauncherIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path SCRIPT = ROOT.resolve("bin/llmh");
    private static final Path JAR = Path.of("target/benchmarks.jar").toAbsolutePath();

    /** Exit code and combined output of a finished child. */
    record Result(int code, String output) {}

    private static Result run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().remove("LLMH_JAR");
        pb.environment().remove("LLMH_JAVA_OPTS");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the launcher ended").isTrue();
        return new Result(p.exitValue(), output);
    }

    @Test
    void helpListsTheCommandsAndExitsWithZero() throws Exception {
        Result r = run(Map.of(), SCRIPT.toString(), "--help");

        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("Usage: llmh").contains("run").contains("compare");
    }

    @Test
    void listFindsTheExampleTrialsInTheJarThroughTheMergedServiceFiles() throws Exception {
        Result r = run(Map.of(), SCRIPT.toString(), "list");

        assertThat(r.code()).as(r.output()).isZero();
        // One trial of each example class: every suite's registration survived the merge.
        assertThat(r.output())
                .contains("OpenLoopBenchmarks.poisson{rate=40}")
                .contains("ClosedLoopBenchmarks.workers{concurrency=8}")
                .contains("DatasetBenchmarks.dolly")
                .contains("CompletionsBenchmarks.complete")
                .contains("SloBenchmarks.chat")
                .contains("ParamBenchmarks.")
                .contains("TokenShapeBenchmarks.")
                .contains("ChatBenchmarks.chat");
    }

    @Test
    void anUnknownCommandIsAUsageErrorWithExitCodeTwo() throws Exception {
        Result r = run(Map.of(), SCRIPT.toString(), "no-such-command");

        assertThat(r.code()).as(r.output()).isEqualTo(2);
    }

    @Test
    void aMissingJarIsOneLineThatSaysHowToBuildItAndExitCodeTwo() throws Exception {
        Result r = run(Map.of("LLMH_JAR", "/no/such/benchmarks.jar"), SCRIPT.toString(), "list");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.output().strip().lines())
                .singleElement()
                .asString()
                .startsWith("llmh: no benchmarks jar at /no/such/benchmarks.jar")
                .contains("./mvnw -B -q package -DskipTests");
    }

    @Test
    void theScriptRunsTheJarWithTheRecommendedJvmOptions(@TempDir Path fakeJdk) throws Exception {
        // A "JDK" whose java prints its arguments: what the script would have run.
        Path java = Files.createDirectories(fakeJdk.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        Result r = run(Map.of("JAVA_HOME", fakeJdk.toString()), SCRIPT.toString(), "run", "--include", "a b");

        assertThat(r.code()).isZero();
        assertThat(r.output().strip())
                .isEqualTo("-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:-UsePerfData -jar "
                        + ROOT.resolve("benchmarks/target/benchmarks.jar") + " run --include a b");
    }

    @Test
    void javaDashJarRunsTheCommandLineItself() throws Exception {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.add("--version");

        Result r = run(Map.of(), command.toArray(String[]::new));

        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).startsWith("llmh ");
    }

    @Test
    void theJarIsSelfContained() throws IOException {
        assertThat(JAR).isRegularFile();
        try (var jar = new java.util.jar.JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("dev.llmharness.runtime.cli.Llmh");
            assertThat(jar.getEntry("okhttp3/OkHttpClient.class")).isNotNull();
            assertThat(jar.getEntry("picocli/CommandLine.class")).isNotNull();
        }
    }
}
