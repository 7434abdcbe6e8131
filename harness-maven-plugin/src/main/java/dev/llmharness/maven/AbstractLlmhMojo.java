package dev.llmharness.maven;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What every goal shares: the options of {@code llmh run} and of the gate, each a plugin parameter
 * and a {@code llmh.*} user property, and the forked JVM that runs the harness on the project's
 * class path. Maven's own JVM measures nothing: its heap, its plugins' threads and its GC are not
 * what a benchmark should share a process with.
 *
 * <p>The field comments are the parameter documentation: {@code docs/maven-plugin.md} is generated
 * from the plugin descriptor built from them ({@code PluginDocsTest}).
 */
abstract class AbstractLlmhMojo extends AbstractMojo {

    /** The main class of the harness's command line in the forked JVM. */
    static final String LLMH_MAIN = "dev.llmharness.runtime.cli.Llmh";

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    PluginDescriptor plugin;

    /**
     * Where the new runs ({@code latest.json}, or {@code latest.run-<i>.json} for several), the
     * accepted ones ({@code baseline.json} or {@code baseline.run-<i>.json}) and {@code
     * comparison.md} (the pull-request comment) are.
     */
    @Parameter(property = "llmh.resultsDirectory", defaultValue = "${project.basedir}/results")
    File resultsDirectory;

    /** The forked JVM's working directory: relative dataset and CSV paths start here. */
    @Parameter(property = "llmh.workingDirectory", defaultValue = "${project.basedir}")
    File workingDirectory;

    /**
     * Options of the forked JVM, separated by spaces. The default is a fixed heap touched at start-up,
     * which keeps the harness's GC pauses out of the measurement, and no performance-data file, whose
     * sampling thread otherwise wakes on the harness's core (docs/performance.md).
     */
    @Parameter(property = "llmh.jvmArgs", defaultValue = "-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:-UsePerfData")
    String jvmArgs;

    /** The JDK that runs the benchmarks. Not set: the one running Maven. */
    @Parameter(property = "llmh.javaHome")
    File javaHome;

    /**
     * Which of the project's class paths the benchmarks are on: {@code test} (the test classes, the
     * main classes and every dependency) or {@code main} (the main classes and the runtime
     * dependencies).
     */
    @Parameter(property = "llmh.classpathScope", defaultValue = "test")
    String classpathScope;

    /** {@code true} skips the goal, e.g. on a machine that should not run load. */
    @Parameter(property = "llmh.skip", defaultValue = "false")
    String skip;

    /**
     * {@link #skip}: {@code true} or {@code false}, read as every setting is, so that {@code
     * -Dllmh.skip=yes} is refused rather than read as {@code false} and run load.
     */
    static final dev.llmharness.runtime.settings.Choice<Boolean> SKIP =
            dev.llmharness.runtime.settings.Choice.ofBoolean("llmh.skip", null, false);

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        boolean skipped;
        try {
            skipped = SKIP.parse(skip);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("llmh: " + e.getMessage());
        }
        if (skipped) {
            getLog().info("llmh: skipped (llmh.skip=true)");
            return;
        }
        executeGoal();
    }

    /** The goal's own work, after the skip check. */
    abstract void executeGoal() throws MojoExecutionException, MojoFailureException;

    static void put(Map<String, String> p, String name, String value) {
        if (value != null && !value.isBlank()) {
            p.put(name, value.strip());
        }
    }

    /**
     * Which class path {@link #classpathScope} names: {@code test} or {@code main}, read as every
     * setting with a fixed set of values is.
     */
    static final dev.llmharness.runtime.settings.Choice<String> CLASSPATH_SCOPE =
            dev.llmharness.runtime.settings.Choice.ofLabels(
                    "llmh.classpathScope", null, List.of("test", "main"), "test");

    /**
     * Checks what the forked harness would refuse anyway, here and in its words, before a JVM is
     * forked or anything runs: the server URLs ({@code url}, {@code baseUrl}) and every setting
     * with a fixed set of values or a bounded number ({@code transport}, {@code tokenizer}, {@code
     * forks}...; the runtime's {@code OptionChoices}), each read as the harness reads it.
     *
     * @throws MojoExecutionException one line naming the property, the value and what to write
     */
    static void checkSettings(Map<String, String> properties) throws MojoExecutionException {
        try {
            for (String name : List.of("llmh.url", "llmh.baseUrl")) {
                dev.llmharness.runtime.settings.ServerUrl.check("-D" + name, properties.get(name));
            }
            java.util.Properties p = new java.util.Properties();
            p.putAll(properties);
            for (dev.llmharness.runtime.settings.Choice<?> setting :
                    dev.llmharness.runtime.cli.OptionChoices.withProperty()) {
                setting.from(p);
            }
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("llmh: " + e.getMessage());
        }
    }

    /** Runs {@code mainClass} with {@code args} in a forked JVM on the benchmark class path. */
    ForkedJvm.Outcome fork(String mainClass, Map<String, String> properties, List<String> args)
            throws MojoExecutionException {
        checkSettings(properties);
        List<String> command = new ArrayList<>();
        command.add(javaExecutable().toString());
        if (project != null && project.getBasedir() != null) {
            // A relative trace path is read against the module, as the processor read it at compile
            // time, whatever llmh.workingDirectory is (docs/load.md); a -Dllmh.baseDir in jvmArgs,
            // after this one, wins.
            command.add("-Dllmh.baseDir=" + project.getBasedir().getAbsolutePath());
        }
        command.addAll(ForkedJvm.splitOptions(jvmArgs));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(String.join(File.pathSeparator, benchmarkClasspath()));
        command.add(mainClass);
        command.addAll(args);
        getLog().info("llmh: forking " + javaExecutable() + " " + String.join(" ", ForkedJvm.splitOptions(jvmArgs))
                + " ... " + mainClass + " " + String.join(" ", args));
        return ForkedJvm.run(command, workingDirectory.toPath().toAbsolutePath().normalize(), getLog());
    }

    Path javaExecutable() {
        Path home = javaHome != null ? javaHome.toPath() : Path.of(System.getProperty("java.home"));
        return home.resolve("bin").resolve(isWindows() ? "java.exe" : "java");
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "")
                .toLowerCase(java.util.Locale.ROOT)
                .startsWith("windows");
    }

    /**
     * The project's class path in {@link #classpathScope}, then, when the project does not depend
     * on {@code harness-runtime} itself, this plugin's copy of the harness and its dependencies.
     */
    List<String> benchmarkClasspath() throws MojoExecutionException {
        Set<String> elements = new LinkedHashSet<>();
        String scope;
        try {
            scope = CLASSPATH_SCOPE.parse(classpathScope);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(
                    "llmh: " + e.getMessage() + " (test when the benchmarks are under src/test/java, else main)");
        }
        try {
            if (scope.equals("test")) {
                elements.addAll(project.getTestClasspathElements());
            } else {
                elements.addAll(project.getRuntimeClasspathElements());
            }
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("the project's class path is not resolved: " + e.getMessage(), e);
        }
        boolean hasRuntime = project.getArtifacts().stream()
                .anyMatch(a -> "dev.llmharness".equals(a.getGroupId()) && "harness-runtime".equals(a.getArtifactId()));
        if (!hasRuntime) {
            for (Artifact a : plugin.getArtifacts()) {
                if (a.getFile() != null && !a.getGroupId().startsWith("org.apache.maven")) {
                    elements.add(a.getFile().getPath());
                }
            }
        }
        return List.copyOf(elements);
    }

    Path results() {
        return resultsDirectory.toPath().toAbsolutePath().normalize();
    }

    Path latest() {
        return results().resolve("latest.json");
    }

    Path baseline() {
        return results().resolve("baseline.json");
    }

    /**
     * The files of the results directory's set {@code name} ({@code "latest"}, {@code "baseline"}),
     * as {@code llmh gate} names them: {@code <name>.json}, or {@code <name>.run-<i>.json} for
     * several runs; empty when there is none.
     *
     * @throws MojoFailureException when the set is incomplete or mixed (a run file missing, or a
     *     single file beside run files), naming the file
     */
    List<Path> set(String name) throws MojoFailureException {
        try {
            return dev.llmharness.runtime.gate.ResultFiles.completeSet(results(), name);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("llmh: " + e.getMessage());
        } catch (java.io.IOException e) {
            throw new MojoFailureException("llmh: cannot list " + results() + ": " + e);
        }
    }

    Path comparisonMarkdown() {
        return results().resolve("comparison.md");
    }

    /**
     * The Maven error for a forked harness that exited with {@code code}: what the code means, then
     * the lines in which the harness named the failing trials, metrics or options.
     */
    static MojoFailureException failure(String goal, ForkedJvm.Outcome outcome, List<String> more) {
        StringBuilder m = new StringBuilder(
                "llmh:" + goal + " failed with exit code " + outcome.exitCode() + ": " + meaning(outcome.exitCode()));
        for (String line : outcome.explanation()) {
            m.append(System.lineSeparator()).append("  ").append(line);
        }
        for (String line : more) {
            m.append(System.lineSeparator()).append("  ").append(line);
        }
        return new MojoFailureException(m.toString());
    }

    /** The shared meaning of the harness's exit codes (docs/metrics.md, docs/compare.md). */
    static String meaning(int code) {
        return switch (code) {
            case 1 -> "an SLO objective failed or a gated metric regressed";
            case 2 ->
                "a bad option or configuration, no trial selected, an unreachable target, or unreadable"
                        + " result files";
            case 3 -> "the run failed, or the environments differ under --strict";
            case 130 -> "interrupted (Ctrl-C); the run wrote what it measured, marked partial";
            case 143 -> "stopped by SIGTERM; the run wrote what it measured, marked partial";
            default -> "the forked JVM ended abnormally (killed, out of memory?); see the log above";
        };
    }
}
