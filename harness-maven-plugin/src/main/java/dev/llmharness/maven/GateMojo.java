package dev.llmharness.maven;

import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code llmh:gate}, the goal a {@code bench} profile binds: runs the benchmarks into {@code
 * latest.json} ({@code latest.run-<i>.json} for {@code llmh.forks} runs), then compares with the
 * baseline, {@code baseline.json} or {@code baseline.run-<i>.json} (writing {@code comparison.md}),
 * or, with {@code llmh.updateBaseline=true}, promotes the new runs. The build fails on an SLO failure or a
 * gated regression, by the rules of {@code llmh run} and {@code llmh compare}: the decision is the
 * runtime's {@code BenchGate}, run in the forked JVM, so that the plugin and a shell script give the
 * same verdict.
 */
@Mojo(
        name = "gate",
        defaultPhase = LifecyclePhase.VERIFY,
        requiresDependencyResolution = ResolutionScope.TEST,
        threadSafe = true)
public final class GateMojo extends AbstractRunningMojo {
    /** The gate's main class in the runtime. */
    static final String GATE_MAIN = "dev.llmharness.runtime.gate.BenchGate";

    /**
     * {@code true}: promote the new runs to the baseline ({@code baseline.json}, or {@code
     * baseline.run-<i>.json} for several) instead of comparing (refused when an SLO objective
     * failed, or the harness marked a run harness-limited or failing, unless {@code
     * llmh.forceBaseline}). Commit the files to make them the baseline of later runs.
     */
    @Parameter(property = "llmh.updateBaseline", defaultValue = "false")
    String updateBaseline;

    /**
     * Extra {@code llmh compare} options, separated by spaces, e.g. {@code --fail-on never} or
     * {@code --threshold ttft.p99=15%} (docs/compare.md).
     */
    @Parameter(property = "llmh.compareOptions")
    String compareOptions;

    /**
     * Runs per side, 1 to 100 ({@code Limits.MAX_FORKS}), each its own result file; compare
     * takes each run as one observation, so its intervals include the run-to-run variation (docs/compare.md). Not set: the largest {@code @Fork} of
     * the selected classes, else 1 (this repository's {@code bench} profile sets 3).
     */
    @Parameter(property = "llmh.forks")
    String forks;

    /**
     * Produce the base side too, against the simulator with these options (e.g. {@code --itl-scale
     * 1.2}, or {@code default}), interleaved with the new runs, instead of reading the
     * committed baseline.
     */
    @Parameter(property = "llmh.baseSim")
    String baseSim;

    /** Produce the base side too, against this server, interleaved with the new runs. */
    @Parameter(property = "llmh.baseUrl")
    String baseUrl;

    /** When promoting ({@code updateBaseline}, {@code llmh:promote}): promote even a harness-limited or failing result, or one whose SLO objective failed. Not set: false. */
    @Parameter(property = "llmh.forceBaseline")
    String forceBaseline;

    /** Adds the gate's own parameters that are set to the forked JVM's {@code -D} options. */
    void gateProperties(Map<String, String> properties) {
        // Text, checked before the fork as the harness reads it: Maven would read "yes" as false.
        put(properties, "llmh.updateBaseline", updateBaseline);
        put(properties, "llmh.compareOptions", compareOptions);
        put(properties, "llmh.forks", forks);
        put(properties, "llmh.baseSim", baseSim);
        put(properties, "llmh.baseUrl", baseUrl);
        put(properties, "llmh.forceBaseline", forceBaseline);
    }

    @Override
    void executeGoal() throws MojoExecutionException, MojoFailureException {
        Map<String, String> properties = runProperties();
        gateProperties(properties);
        ForkedJvm.Outcome outcome =
                fork(GATE_MAIN, properties, List.of(results().toString()));
        if (outcome.exitCode() != 0) {
            throw failure("gate", outcome, List.of("results: " + results()));
        }
    }
}
