package dev.llmharness.benchmarks.selfbench;

import dev.llmharness.runtime.cli.Llmh;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/**
 * The harness's self-benchmark as a main program of this module: the same as {@code llmh
 * selfbench} with the same options (see docs/performance.md). It starts the simulator in a child
 * JVM, drives the real engine at rising open-loop rates and closed-loop concurrency, and prints,
 * per step, offered vs achieved load, dispatch lag, token events/s, CPU, heap and the TTFT and
 * per-token error against the simulator's ground truth; it stops at the first step where the
 * harness falls behind.
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests
 * java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp benchmarks/target/benchmarks.jar \
 *     dev.llmharness.benchmarks.selfbench.HarnessSelfBenchmark \
 *     --presets zero,fixed-itl --json selfbench.json --markdown selfbench.md
 * </pre>
 */
public final class HarnessSelfBenchmark {
    private HarnessSelfBenchmark() {}

    public static void main(String[] args) {
        List<String> all = new ArrayList<>();
        all.add("selfbench");
        all.addAll(Arrays.asList(args));
        System.exit(Llmh.commandLine(CommandLine.defaultFactory()).execute(all.toArray(String[]::new)));
    }
}
