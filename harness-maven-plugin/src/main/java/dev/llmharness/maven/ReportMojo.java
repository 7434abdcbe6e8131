package dev.llmharness.maven;

import java.nio.file.Files;
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
 * {@code latest.json}, overlaid on {@code baseline.json} when there is one (docs/reports.md).
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
        if (!Files.isRegularFile(latest())) {
            throw new MojoFailureException(
                    "llmh:report: no " + latest() + " to report; run the benchmarks first (llmh:run or llmh:gate)");
        }
        boolean withBaseline = Files.isRegularFile(baseline());
        Path out = reportDirectory != null
                ? reportDirectory.toPath().toAbsolutePath().normalize()
                : results().resolve(withBaseline ? "latest-vs-baseline" : "latest");
        List<String> args = new ArrayList<>(List.of("report", "-o", out.toString()));
        if (withBaseline) {
            args.add(baseline().toString());
        }
        args.add(latest().toString());
        ForkedJvm.Outcome outcome = fork(LLMH_MAIN, Map.of(), args);
        if (outcome.exitCode() != 0) {
            throw failure("report", outcome, List.of("report: " + out));
        }
        getLog().info("llmh: report written to " + out);
    }
}
