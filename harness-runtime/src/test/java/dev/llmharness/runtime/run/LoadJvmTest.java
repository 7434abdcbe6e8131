package dev.llmharness.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoadJvmTest {

    /** Prints what {@link LoadJvm} says of the JVM it runs in; started as a child by the tests. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println(LoadJvm.heapPreTouched() + " " + LoadJvm.currentOptions());
        }
    }

    @Test
    void seesAlwaysPreTouchOnTheCommandLine() throws Exception {
        assertThat(probe(LoadJvm.OPTIONS)).startsWith("true ").contains("-XX:+AlwaysPreTouch");
    }

    @Test
    void aJvmWithoutItIsNotPreTouched() throws Exception {
        assertThat(probe(List.of("-Xmx64m"))).startsWith("false ").contains("-Xmx64m");
    }

    @Test
    void theLastOptionWins() throws Exception {
        assertThat(probe(List.of("-XX:+AlwaysPreTouch", "-XX:-AlwaysPreTouch", "-Xmx64m")))
                .startsWith("false ");
    }

    @Test
    void theAdviceNamesTheOptions() {
        assertThat(LoadJvm.PRE_TOUCH_ADVICE).contains("-Xms1g -Xmx1g -XX:+AlwaysPreTouch");
    }

    private static String probe(List<String> options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Probe.class.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe JVM exits").isTrue();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } finally {
            p.destroyForcibly();
        }
    }
}
