package dev.llmharness.maven;

import dev.llmharness.runtime.gate.BenchGate;
import dev.llmharness.runtime.result.ResultFormatException;
import dev.llmharness.runtime.result.ResultJson;
import java.nio.file.Files;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code llmh:run}: runs the project's benchmarks ({@code llmh run}) in a forked JVM into {@code
 * latest.json} of the results directory, and fails the build when an SLO objective failed, naming
 * the trial and the objective. Compares nothing: see {@code llmh:compare} and {@code llmh:gate}.
 */
@Mojo(
        name = "run",
        defaultPhase = LifecyclePhase.VERIFY,
        requiresDependencyResolution = ResolutionScope.TEST,
        threadSafe = true)
public final class RunMojo extends AbstractRunningMojo {
    @Override
    void executeGoal() throws MojoExecutionException, MojoFailureException {
        ForkedJvm.Outcome outcome = fork(LLMH_MAIN, runProperties(), List.of("run", "--output", latest().toString()));
        if (outcome.exitCode() == 0) {
            return;
        }
        List<String> objectives = List.of();
        if (outcome.exitCode() == 1 && Files.isRegularFile(latest())) {
            try {
                objectives = BenchGate.failedObjectives(ResultJson.read(latest()));
            } catch (ResultFormatException e) {
                objectives = List.of("cannot read " + latest() + ": " + e.getMessage());
            }
        }
        throw failure("run", outcome, objectives);
    }
}
