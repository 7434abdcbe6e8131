package dev.llmharness.runtime.capacity;

import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.RequestFactory;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.TargetUnavailableException;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.result.RunInfo;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.TargetInfo;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.run.PlannedTrial;
import dev.llmharness.runtime.run.RunEngine;
import dev.llmharness.runtime.run.RunSettings;
import dev.llmharness.runtime.run.TargetResolver;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs the trials of a capacity run one at a time, each as {@code llmh run} runs a trial (same
 * engine, overrides, drain and accounting), against one target that is probed once, and gathers
 * their results into one. Each point is prepared with its template's benchmark method.
 */
public final class PointRunner {
    private final RunSettings settings;
    private final TargetResolver targets;
    private final Function<TrialSpec, PromptSource> prompts;
    private final Function<TrialSpec, TokenCounter> tokenCounters;
    private final PrintStream err;
    private final List<TrialResult> results = new ArrayList<>();
    private RunInfo info;
    private TargetInfo target;
    private volatile RunEngine current;
    /** How long the points' requests held their connections, and the server's slots. */
    private final dev.llmharness.runtime.run.PreopenMemory preopenMemory =
            new dev.llmharness.runtime.run.PreopenMemory();

    private volatile boolean interrupted;

    /**
     * @param settings the run's settings; each point's result goes to a temporary file, the whole
     *     run's to {@link RunSettings#output()} through {@link #collected()}
     * @param err warnings
     */
    public PointRunner(
            RunSettings settings,
            TargetResolver targets,
            Function<TrialSpec, PromptSource> prompts,
            Function<TrialSpec, TokenCounter> tokenCounters,
            PrintStream err) {
        this.settings = settings;
        this.targets = targets;
        this.prompts = prompts;
        this.tokenCounters = tokenCounters;
        this.err = err;
    }

    /**
     * Runs one point and returns its result, or {@code null} when interrupted before it measured
     * anything.
     *
     * @param suite the suite that declares {@code template}
     * @param template the declared trial whose benchmark method the point calls
     */
    public TrialResult run(BenchmarkSuite suite, TrialSpec template, TrialSpec point)
            throws TargetUnavailableException, InterruptedException, IOException {
        if (interrupted) {
            return null;
        }
        Path file = Files.createTempFile("llmh-point-", ".json");
        try {
            RunSettings own = new RunSettings(
                    settings.overrides(),
                    file,
                    null,
                    settings.timeouts(),
                    settings.progressInterval(),
                    settings.workDir(),
                    null,
                    0,
                    settings.transport(),
                    settings.preopen(),
                    settings.jvmWarmup());
            // Each point is a run of its own; what sizes its connections carries over from the last.
            RunEngine engine =
                    new RunEngine(own, targets, prompts, tokenCounters, quiet(), err).preopenMemory(preopenMemory);
            current = engine;
            if (interrupted) {
                engine.interrupt();
            }
            RunEngine.Outcome outcome =
                    engine.run(List.of(new PlannedTrial(new PointSuite(suite, template, point), point)));
            current = null;
            if (outcome.interrupted()) {
                interrupted = true;
            }
            if (outcome.result() == null || outcome.result().trials().isEmpty()) {
                return null;
            }
            if (info == null) {
                info = outcome.result().run();
                target = outcome.result().target();
            } else if (outcome.result().target() != null) {
                target = outcome.result().target();
            }
            TrialResult r = outcome.result().trials().get(0);
            results.add(r);
            return r;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Stops the point running now and every later one; what was measured is kept. */
    public void interrupt() {
        interrupted = true;
        RunEngine e = current;
        if (e != null) {
            e.interrupt();
        }
    }

    /** Whether {@link #interrupt()} was called. */
    public boolean interrupted() {
        return interrupted;
    }

    /** Every point's result so far, as one run (partial when interrupted), or {@code null} before any. */
    public RunResult collected() {
        if (info == null) {
            return null;
        }
        return new RunResult(RunResult.SCHEMA_VERSION, info, target, results, interrupted);
    }

    /** The engine's own table and summary are replaced by the capacity run's. */
    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream(), true);
    }

    /** A suite of one point, prepared as its template (the generated suite knows only declared trials). */
    private record PointSuite(BenchmarkSuite suite, TrialSpec template, TrialSpec point) implements BenchmarkSuite {
        @Override
        public String benchmarkClass() {
            return suite.benchmarkClass();
        }

        @Override
        public List<TrialSpec> trials() {
            return List.of(point);
        }

        @Override
        public RequestFactory prepare(TrialSpec trial) {
            return suite.prepare(template);
        }
    }
}
