package dev.llmharness.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

class ForkedJvmTest {

    /** What the child prints: a start-up note, a verdict, the objectives, and exits with its argument. */
    public static void main(String[] args) {
        System.out.println("a table line");
        System.err.println("llmh: no --url given: started the embedded simulator");
        System.err.println("bench: FAILED: an SLO objective failed (llmh run exit code 1)");
        System.err.println("bench:   T.chat{rate=4}: ttft p99 <= 1ms (actual 41.310 ms)");
        System.exit(Integer.parseInt(args[0]));
    }

    private static ForkedJvm.Outcome fork(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ForkedJvmTest.class.getName()));
        command.addAll(List.of(args));
        return ForkedJvm.run(command, Path.of("."), new SystemStreamLog());
    }

    @Test
    void theChildsExitCodeAndTheLinesNamingTheFailureComeBack() throws Exception {
        ForkedJvm.Outcome outcome = fork("1");

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.explanation())
                .containsExactly(
                        "bench: FAILED: an SLO objective failed (llmh run exit code 1)",
                        "bench:   T.chat{rate=4}: ttft p99 <= 1ms (actual 41.310 ms)");
    }

    @Test
    void forAConfigurationErrorEveryHarnessLineIsKept() throws Exception {
        assertThat(fork("2").explanation()).hasSize(3).first().asString().startsWith("llmh: no --url");
    }

    @Test
    void withoutHarnessLinesTheFirstLineOfStandardErrorExplains() throws Exception {
        List<String> command =
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-no-such-jvm-option");
        ForkedJvm.Outcome outcome = ForkedJvm.run(command, Path.of("."), new SystemStreamLog());

        assertThat(outcome.exitCode()).isNotZero();
        assertThat(outcome.explanation()).singleElement().asString().contains("no-such-jvm-option");
    }

    @Test
    void optionsSplitOnWhitespaceAndBlankGivesNone() {
        assertThat(ForkedJvm.splitOptions(" -Xms1g  -Xmx1g ")).containsExactly("-Xms1g", "-Xmx1g");
        assertThat(ForkedJvm.splitOptions(" ")).isEmpty();
        assertThat(ForkedJvm.splitOptions(null)).isEmpty();
    }
}
