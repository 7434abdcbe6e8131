package dev.llmharness.maven;

import java.nio.file.Path;
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
 * {@code llmh:report}: {@code llmh report} in a forked JVM, writing the HTML and Markdown report of
 * the latest runs ({@code latest.json} or {@code latest.run-<i>.json}), overlaid on the baseline
 * ({@code baseline.json} or {@code baseline.run-<i>.json}) when there is one (docs/reports.md).
 */
@Mojo(
        name = "report",
        defaultPhase = LifecyclePhase.VERIFY,
        requiresDependencyResolution = ResolutionScope.TEST,
        threadSafe = true)
public final class ReportMojo extends AbstractLlmhMojo {
    /** Where the report goes. Not set: {@code latest-vs-baseline/} (or {@code latest/}) in the results directory. */
    @Parameter(property = "llmh.reportDirectory")
    java.io.File reportDirectory;

    @Override
    void executeGoal() throws MojoExecutionException, MojoFailureException {
        List<Path> latest = set("latest");
        if (latest.isEmpty()) {
            throw new MojoFailureException("llmh:report: no " + latest() + " (or latest.run-<i>.json) to report; run"
                    + " the benchmarks first (llmh:run or llmh:gate)");
        }
        List<Path> baseline = set("baseline");
        boolean withBaseline = !baseline.isEmpty();
        Path out = reportDirectory != null
                ? reportDirectory.toPath().toAbsolutePath().normalize()
                : results().resolve(withBaseline ? "latest-vs-baseline" : "latest");
        // The first file is the one the others are compared with: the (first) baseline run.
        List<String> args = new ArrayList<>(List.of("report", "-o", out.toString()));
        baseline.forEach(p -> args.add(p.toString()));
        latest.forEach(p -> args.add(p.toString()));
        ForkedJvm.Outcome outcome = fork(LLMH_MAIN, Map.of(), args);
        if (outcome.exitCode() != 0) {
            throw failure("report", outcome, List.of("report: " + out));
        }
        getLog().info("llmh: report written to " + out);
    }
}
