package dev.llmharness.maven;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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

    /** Regex a trial id must contain, e.g. {@code MyBenchmarks} or {@code poisson.*rate=40}. Not set: every trial. */
    @Parameter(property = "llmh.include")
    String include;

    /** Server base URL, e.g. {@code http://127.0.0.1:8000}. Not set: the embedded simulator. */
    @Parameter(property = "llmh.url")
    String url;

    /** Model name. Not set: the annotation's, else the server's first model. */
    @Parameter(property = "llmh.model")
    String model;

    /**
     * Environment variable holding the API key (the key itself is never a property, so that it stays
     * out of build logs). Not set: the annotation's, else {@code LLMH_API_KEY}.
     */
    @Parameter(property = "llmh.apiKeyEnv")
    String apiKeyEnv;

    /** Simulator options when no URL is given, e.g. {@code --preset small-fast --itl-scale 1.2}. */
    @Parameter(property = "llmh.sim")
    String sim;

    /** Replaces every measurement window, e.g. {@code 30s}. Not set: as declared. */
    @Parameter(property = "llmh.duration")
    String duration;

    /** Multiplies timed warmups and measurement windows, e.g. {@code 0.5}. Not set: 1. */
    @Parameter(property = "llmh.durationScale")
    String durationScale;

    /** Multiplies open-loop rates, e.g. {@code 2}. Not set: 1. */
    @Parameter(property = "llmh.rateScale")
    String rateScale;

    /** Replaces every trial's seed. Not set: as declared. */
    @Parameter(property = "llmh.seed")
    String seed;

    /** Replaces every warmup: a duration ({@code 10s}), a request count ({@code 50req}) or {@code none}. */
    @Parameter(property = "llmh.warmup")
    String warmup;

    /** Per-request CSV file. Not set: none. */
    @Parameter(property = "llmh.csv")
    String csv;

    /** {@code false}: a failed SLO objective is reported but does not fail the build. Not set: true. */
    @Parameter(property = "llmh.failOnSlo")
    String failOnSlo;

    /** Progress line interval, {@code 0s} for none. Not set: {@code 5s}. */
    @Parameter(property = "llmh.progress")
    String progress;

    /** Connect timeout. Not set: {@code 10s}. */
    @Parameter(property = "llmh.connectTimeout")
    String connectTimeout;

    /** Time from send to the first content event. Not set: {@code 5m}. */
    @Parameter(property = "llmh.firstTokenTimeout")
    String firstTokenTimeout;

    /** Silence allowed between reads once content flows. Not set: {@code 60s}. */
    @Parameter(property = "llmh.idleTimeout")
    String idleTimeout;

    /** Time allowed for a whole request. Not set: {@code 30m}. */
    @Parameter(property = "llmh.totalTimeout")
    String totalTimeout;

    /**
     * {@code platform}: a platform thread per request even on JDK 21+. Not set: {@code virtual} on
     * JDK 21+ (docs/performance.md).
     */
    @Parameter(property = "llmh.requestThreads")
    String requestThreads;

    /**
     * Where {@code latest.json} (the new result), {@code baseline.json} (the accepted one) and
     * {@code comparison.md} (the pull-request comment) are.
     */
    @Parameter(property = "llmh.resultsDirectory", defaultValue = "${project.basedir}/results")
    File resultsDirectory;

    /** The forked JVM's working directory: relative dataset and CSV paths start here. */
    @Parameter(property = "llmh.workingDirectory", defaultValue = "${project.basedir}")
    File workingDirectory;

    /**
     * Options of the forked JVM, separated by spaces. The default is a fixed heap touched at start-up,
     * which keeps the harness's GC pauses out of the measurement (docs/performance.md).
     */
    @Parameter(property = "llmh.jvmArgs", defaultValue = "-Xms1g -Xmx1g -XX:+AlwaysPreTouch")
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
    boolean skip;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("llmh: skipped (llmh.skip=true)");
            return;
        }
        executeGoal();
    }

    /** The goal's own work, after the skip check. */
    abstract void executeGoal() throws MojoExecutionException, MojoFailureException;

    /**
     * The {@code -D} options of {@code llmh run}: every parameter that is set, then every other
     * {@code llmh.*} user property of the build (so that an option newer than this plugin still
     * reaches the harness). Blank values count as not set.
     */
    Map<String, String> runProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        put(p, "llmh.include", include);
        put(p, "llmh.url", url);
        put(p, "llmh.model", model);
        put(p, "llmh.apiKeyEnv", apiKeyEnv);
        put(p, "llmh.sim", sim);
        put(p, "llmh.duration", duration);
        put(p, "llmh.durationScale", durationScale);
        put(p, "llmh.rateScale", rateScale);
        put(p, "llmh.seed", seed);
        put(p, "llmh.warmup", warmup);
        put(p, "llmh.csv", csv);
        put(p, "llmh.failOnSlo", failOnSlo);
        put(p, "llmh.progress", progress);
        put(p, "llmh.connectTimeout", connectTimeout);
        put(p, "llmh.firstTokenTimeout", firstTokenTimeout);
        put(p, "llmh.idleTimeout", idleTimeout);
        put(p, "llmh.totalTimeout", totalTimeout);
        put(p, "llmh.requestThreads", requestThreads);
        Properties user = session == null ? new Properties() : session.getUserProperties();
        for (String name : user.stringPropertyNames()) {
            if (name.startsWith("llmh.") && !p.containsKey(name) && !PLUGIN_ONLY.contains(name)) {
                put(p, name, user.getProperty(name));
            }
        }
        return p;
    }

    /** Properties the plugin itself consumes; they mean nothing to the forked harness. */
    private static final Set<String> PLUGIN_ONLY = Set.of(
            "llmh.resultsDirectory",
            "llmh.workingDirectory",
            "llmh.jvmArgs",
            "llmh.javaHome",
            "llmh.classpathScope",
            "llmh.skip",
            "llmh.baseline");

    static void put(Map<String, String> p, String name, String value) {
        if (value != null && !value.isBlank()) {
            p.put(name, value.strip());
        }
    }

    /** Runs {@code mainClass} with {@code args} in a forked JVM on the benchmark class path. */
    ForkedJvm.Outcome fork(String mainClass, Map<String, String> properties, List<String> args)
            throws MojoExecutionException {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable().toString());
        command.addAll(ForkedJvm.splitOptions(jvmArgs));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(String.join(File.pathSeparator, benchmarkClasspath()));
        command.add(mainClass);
        command.addAll(args);
        getLog().info("llmh: forking " + javaExecutable() + " " + String.join(" ", ForkedJvm.splitOptions(jvmArgs))
                + " ... " + mainClass + " " + String.join(" ", args));
        return ForkedJvm.run(command, workingDirectory.toPath(), getLog());
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
        try {
            switch (classpathScope.strip()) {
                case "test" -> elements.addAll(project.getTestClasspathElements());
                case "main" -> elements.addAll(project.getRuntimeClasspathElements());
                default ->
                    throw new MojoExecutionException("llmh.classpathScope must be test or main, got '" + classpathScope
                            + "': use test when the benchmarks are under src/test/java, else main");
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

    Path latest() {
        return resultsDirectory.toPath().resolve("latest.json");
    }

    Path baseline() {
        return resultsDirectory.toPath().resolve("baseline.json");
    }

    Path comparisonMarkdown() {
        return resultsDirectory.toPath().resolve("comparison.md");
    }

    /**
     * The Maven error for a forked harness that exited with {@code code}: what the code means, then
     * the lines in which the harness named the failing trials, metrics or options.
     */
    static MojoFailureException failure(String goal, ForkedJvm.Outcome outcome, List<String> more) {
        StringBuilder m = new StringBuilder(
                "llmh:" + goal + " failed with exit code " + outcome.exitCode() + ": " + meaning(outcome.exitCode()));
        for (String line : outcome.failureLines()) {
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
            default -> "the forked JVM ended abnormally (killed, out of memory?); see the log above";
        };
    }
}
