package dev.llmharness.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code llmh:compare}: {@code llmh compare} of the baseline ({@code baseline.json}, or {@code
 * baseline.run-<i>.json} for several runs) against the latest runs ({@code latest.json} or {@code
 * latest.run-<i>.json}) in a forked JVM, writing {@code comparison.md} (the pull-request comment, which starts with the
 * {@code <!-- llmh-compare -->} marker). Fails the build on a gated regression, naming the trial and
 * the metric. Without a baseline it says so and passes, as {@code llmh:gate} does.
 */
@Mojo(
        name = "compare",
        defaultPhase = LifecyclePhase.VERIFY,
        requiresDependencyResolution = ResolutionScope.TEST,
        threadSafe = true)
public final class CompareMojo extends AbstractLlmhMojo {
    /**
     * Extra {@code llmh compare} options, separated by spaces, e.g. {@code --fail-on never} or
     * {@code --threshold ttft.p99=15%} (docs/compare.md).
     */
    @Parameter(property = "llmh.compareOptions")
    String compareOptions;

    @Override
    void executeGoal() throws MojoExecutionException, MojoFailureException {
        List<java.nio.file.Path> latest = set("latest");
        List<java.nio.file.Path> baseline = set("baseline");
        if (latest.isEmpty()) {
            throw new MojoFailureException("llmh:compare: no " + latest() + " (or latest.run-<i>.json) to compare;"
                    + " run the benchmarks first (llmh:run or llmh:gate)");
        }
        if (baseline.isEmpty()) {
            getLog().warn("llmh: no " + baseline() + " (or baseline.run-<i>.json): nothing to compare with. Create it"
                    + " with llmh:promote (or -Dllmh.updateBaseline=true with llmh:gate) and commit it.");
            return;
        }
        List<String> args = new ArrayList<>(List.of(
                "compare", "--format", "markdown", "-o", comparisonMarkdown().toString()));
        args.addAll(ForkedJvm.splitOptions(compareOptions));
        baseline.forEach(p -> args.add(p.toString()));
        args.add("--");
        latest.forEach(p -> args.add(p.toString()));
        ForkedJvm.Outcome outcome = fork(LLMH_MAIN, Map.of(), args);
        if (outcome.exitCode() != 0) {
            throw failure("compare", outcome, List.of("report: " + comparisonMarkdown()));
        }
    }
}
