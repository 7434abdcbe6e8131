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
 * latest.json}, then compares with {@code baseline.json} (writing {@code comparison.md}) or, with
 * {@code llmh.updateBaseline=true}, promotes the new result. The build fails on an SLO failure or a
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
     * {@code true}: promote the new result to {@code baseline.json} instead of comparing (refused
     * when an SLO objective failed). Commit the file to make it the baseline of later runs.
     */
    @Parameter(property = "llmh.updateBaseline", defaultValue = "false")
    boolean updateBaseline;

    /**
     * Extra {@code llmh compare} options, separated by spaces, e.g. {@code --fail-on never} or
     * {@code --threshold ttft.p99=15%} (docs/compare.md).
     */
    @Parameter(property = "llmh.compareOptions")
    String compareOptions;

    @Override
    void executeGoal() throws MojoExecutionException, MojoFailureException {
        Map<String, String> properties = runProperties();
        properties.put("llmh.updateBaseline", Boolean.toString(updateBaseline));
        put(properties, "llmh.compareOptions", compareOptions);
        ForkedJvm.Outcome outcome =
                fork(GATE_MAIN, properties, List.of(results().toString()));
        if (outcome.exitCode() != 0) {
            throw failure("gate", outcome, List.of("results: " + results()));
        }
    }
}
