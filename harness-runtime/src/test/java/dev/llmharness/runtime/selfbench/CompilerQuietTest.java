package dev.llmharness.runtime.selfbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CompilerQuietTest {
    @Test
    void readsTheCompilersCpuTimeAndWaitsNoLongerThanAllowed() throws InterruptedException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
        // The test JVM has compiled plenty by now (JUnit, AssertJ): its compilers have used CPU.
        long cpu = CompilerQuiet.compilerCpuNanos();
        assertThat(cpu).isPositive();
        long waited = CompilerQuiet.await(1_000_000_000L);
        // At least one look (one quiet span), and not much past the bound.
        assertThat(waited)
                .isBetween(CompilerQuiet.QUIET_SPAN_NANOS, 1_000_000_000L + 2 * CompilerQuiet.QUIET_SPAN_NANOS);
        assertThat(CompilerQuiet.compilerCpuNanos()).isGreaterThanOrEqualTo(cpu);
    }
}
