package dev.llmharness.runtime.run;

import dev.llmharness.api.DurationText;
import dev.llmharness.api.spi.RequestFactory;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.ClientTransport;
import dev.llmharness.runtime.client.HttpClients;
import dev.llmharness.runtime.client.LlmClient;
import dev.llmharness.runtime.client.ServerCapacity;
import dev.llmharness.runtime.client.ServerDescription;
import dev.llmharness.runtime.client.Target;
import dev.llmharness.runtime.client.TargetUnavailableException;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.data.TracePrompts;
import dev.llmharness.runtime.data.TraceReader;
import dev.llmharness.runtime.data.WorkloadException;
import dev.llmharness.runtime.load.ArrivalTrace;
import dev.llmharness.runtime.load.IdlePriority;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.report.ConsoleReport;
import dev.llmharness.runtime.report.ProgressReporter;
import dev.llmharness.runtime.result.ItlJsonlWriter;
import dev.llmharness.runtime.result.RequestCsvWriter;
import dev.llmharness.runtime.result.RequestSink;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunInfo;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.TargetInfo;
import dev.llmharness.runtime.result.TrialResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.OkHttpClient;

/**
 * Runs a list of trials in order and writes one result file. Every target is probed before any
 * load. {@link #interrupt()} (Ctrl-C) stops the current trial at once, skips the rest, and still
 * writes what was gathered, marked {@code partial}.
 */
public final class RunEngine {
    private final RunSettings settings;
    private final TargetResolver targets;
    private final Function<TrialSpec, PromptSource> prompts;
    private final Function<TrialSpec, TokenCounter> tokenCounters;
    private final PrintStream out;
    private final PrintStream err;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean interrupted;
    private volatile TrialRunner current;
    private volatile JvmWarmup warming;
    /** What sizes {@code --preopen auto}: hold times and stated slots, per target. */
    private PreopenMemory preopenMemory = new PreopenMemory();

    private dev.llmharness.runtime.tokenize.ServerTokens.Mode sizing =
            dev.llmharness.runtime.tokenize.ServerTokens.Mode.ENCODING;

    private dev.llmharness.runtime.observe.ObserveSettings observe =
            dev.llmharness.runtime.observe.ObserveSettings.defaults();

    /** The part of every trial's load this run issues ({@link #sharding}); the whole load by default. */
    private dev.llmharness.runtime.load.Shard shard = dev.llmharness.runtime.load.Shard.WHOLE;

    /**
     * @param prompts the prompt source of each trial (as run, after overrides)
     * @param tokenCounters each trial's counter of output tokens when a server sends no usage (the
     *     trial's encoding)
     * @param out progress and the final table
     * @param err warnings
     */
    public RunEngine(
            RunSettings settings,
            TargetResolver targets,
            Function<TrialSpec, PromptSource> prompts,
            Function<TrialSpec, TokenCounter> tokenCounters,
            PrintStream out,
            PrintStream err) {
        this.settings = settings;
        this.targets = targets;
        this.prompts = prompts;
        this.tokenCounters = tokenCounters;
        this.out = out;
        this.err = err;
    }

    /** Observes the run so (scrape, push, live port, cost); without it, only the target's /metrics is scraped. */
    /** How synthetic prompts are sized: in the workload's encoding (default) or the server's tokenizer. */
    public RunEngine sizing(dev.llmharness.runtime.tokenize.ServerTokens.Mode mode) {
        this.sizing = mode;
        return this;
    }

    /**
     * Runs shard {@code part} of every trial ({@code --shard K/N}): its part of each trial's load
     * ({@link dev.llmharness.runtime.load.Shard}) over the trial's whole warmup and window, and
     * records it as {@code run.shard}, so that {@code llmh merge} of the N files restores each
     * trial. Default: the whole load, {@code run.shard} {@code "0/1"}.
     */
    public RunEngine sharding(dev.llmharness.runtime.load.Shard part) {
        this.shard = java.util.Objects.requireNonNull(part, "part");
        return this;
    }

    /**
     * Shares what sizes {@code --preopen auto} with other runs (the points of a sweep); default: this
     * run's own.
     */
    public RunEngine preopenMemory(PreopenMemory memory) {
        this.preopenMemory = java.util.Objects.requireNonNull(memory, "memory");
        return this;
    }

    public RunEngine observing(dev.llmharness.runtime.observe.ObserveSettings settings) {
        this.observe = settings;
        return this;
    }

    /**
     * What a run produced.
     *
     * @param result the result as written, or {@code null} when an interruption came before anything
     *     was measured (no file is written then)
     * @param file where it was written, or {@code null} with {@code result}
     * @param sloFailed whether any trial failed any objective
     * @param interrupted whether {@link #interrupt()} stopped the run
     * @param writeFailed whether the result could not be written where asked, and went to {@code
     *     file}, a temporary file, instead
     */
    public record Outcome(RunResult result, Path file, boolean sloFailed, boolean interrupted, boolean writeFailed) {}

    /**
     * Runs the trials and writes the result file (also when interrupted).
     *
     * @throws TargetUnavailableException before any load when a target cannot be used
     */
    public Outcome run(List<PlannedTrial> trials) throws TargetUnavailableException, InterruptedException, IOException {
        try {
            return runAll(trials);
        } finally {
            finished.countDown();
        }
    }

    private Outcome runAll(List<PlannedTrial> trials)
            throws TargetUnavailableException, InterruptedException, IOException {
        RunInfo info = RunInfoCollector.collect(settings.workDir())
                .withTransport(settings.transport().label())
                .withShard(shard.toString());
        List<TrialSpec> specs = new ArrayList<>();
        List<PromptSource> sources = new ArrayList<>();
        // Each trial's trace, read here, once per file, and never again: its check, its prompts
        // and its schedule all use what was read.
        List<ArrivalTrace> traces = new ArrayList<>();
        java.util.Map<String, ArrivalTrace> read = new java.util.HashMap<>();
        int peak = 1;
        for (PlannedTrial p : trials) {
            // The shard's part of a phase counted in requests; its load stays the trial's own.
            TrialSpec s = shard.apply(settings.overrides().apply(p.declared()));
            ArrivalTrace trace = traceOf(s, read);
            for (String warning : settings.overrides().warnings(s)) {
                err.println("llmh: WARNING " + warning);
            }
            sources.add(promptsOf(s, trace));
            traces.add(trace);
            specs.add(s);
            peak = Math.max(peak, expectedConcurrency(s));
        }
        read.clear(); // the trials hold their traces: each goes with its trial
        OkHttpClient http = HttpClients.forLoad(peak, settings.timeouts());
        // The probes and server descriptions use OkHttp in any case; the threads transport shares
        // its pool, so that the probed connection is reused by the first request, as before.
        ClientTransport transport = settings.transport().openSharing(http, peak, settings.timeouts());
        RequestSink records = null;
        ProgressReporter progress = null;
        List<TrialResult> results = new ArrayList<>();
        TargetInfo targetInfo = null;
        dev.llmharness.runtime.observe.Observation observation = null;
        String warmedUp = null;
        try {
            List<Target> resolved = new ArrayList<>();
            try {
                for (TrialSpec s : specs) {
                    resolved.add(targets.resolve(s.endpoint(), http));
                }
            } catch (TargetUnavailableException | RuntimeException e) {
                if (!interrupted && e instanceof dev.llmharness.runtime.sim.SimException sim && sim.stoppedBySignal()) {
                    // The signal that stopped the simulator (Ctrl-C signals the whole process group)
                    // reaches this JVM's shutdown hook a moment later: wait for it rather than blame
                    // the simulator.
                    awaitInterrupt(SIGNAL_GRACE_MILLIS);
                }
                if (interrupted) {
                    // Ctrl-C while the simulator started or the target was probed: the failure is the
                    // interruption's doing, not the server's.
                    return nothingMeasured();
                }
                throw e;
            }
            dev.llmharness.runtime.tokenize.ServerTokens serverTokens =
                    new dev.llmharness.runtime.tokenize.ServerTokens(sizing, http, err);
            for (int i = 0; i < specs.size() && !interrupted; i++) {
                sources.set(i, serverTokens.prepare(sources.get(i), specs.get(i), resolved.get(i)));
            }
            if (!resolved.isEmpty()) {
                Target t = resolved.get(0);
                targetInfo =
                        new TargetInfo(t.displayUrl(), t.api().name(), t.model(), t.serverVersion(), t.simulated());
            }
            records = settings.csv() == null ? null : RequestCsvWriter.open(settings.csv(), settings.csvTextChars());
            if (settings.itlJsonl() != null) {
                records = RequestSink.all(java.util.Arrays.asList(records, ItlJsonlWriter.open(settings.itlJsonl())));
            }
            if (!settings.progressInterval().isZero()) {
                progress = ProgressReporter.start(
                        settings.progressInterval(), () -> current == null ? null : current.progress(), out);
            }
            warmedUp = warmUp(resolved, specs);
            observation = new dev.llmharness.runtime.observe.Observation(observe, err);
            ConsoleReport.printHeader(out, targetInfo, specs.size());
            for (int i = 0; i < specs.size() && !interrupted; i++) {
                TrialSpec spec = specs.get(i);
                RequestFactory factory =
                        trials.get(i).suite().prepare(trials.get(i).declared());
                PromptSource source = sources.set(i, null); // released with its trial
                ArrivalTrace trace = traces.set(i, null); // so is its trace, unless a later trial replays it
                LlmClient client =
                        new LlmClient(transport, resolved.get(i), tokenCounters.apply(spec), settings.timeouts());
                Target target = resolved.get(i);
                TrialRunner runner = new TrialRunner(spec, factory, source, client, records, err)
                        .replaying(trace)
                        .sharding(shard)
                        .preopen(settings.preopen())
                        .preopenKnowing(
                                preopenMemory.holdTimes(target, spec),
                                settings.preopen().connections() < 0
                                        ? preopenMemory.slots(target, () -> ServerCapacity.of(http, target))
                                        : java.util.OptionalInt.empty());
                out.println(ProgressReporter.trialStart(i + 1, specs.size(), spec));
                current = runner;
                if (interrupted) {
                    runner.interrupt();
                }
                dev.llmharness.runtime.observe.Observation.Trial seen = observation.trial(
                        spec.id(),
                        resolved.get(i),
                        declaringClass(trials.get(i)),
                        () -> inFlight(runner),
                        runner::onRequestEnded);
                // Before every trial: compiler threads the JVM added since are demoted too.
                IdlePriority.demoteCompilerThreads();
                TrialResult result = runner.run();
                preopenMemory.remember(target, spec, runner.holdTimes("requests of the previous trial"));
                result = seen.finish(result, runner.windowStartNanos(), runner.windowEndNanos());
                current = null;
                if (interrupted && result.counts().sent() == 0) {
                    break; // stopped before its window: nothing of it was measured
                }
                results.add(result);
                ConsoleReport.printTrial(out, result);
            }
            if (interrupted && results.isEmpty()) {
                return nothingMeasured();
            }
            if (!interrupted && targetInfo != null) {
                // Asked after the load, so that describing the server never delays or disturbs a
                // measurement; skipped when interrupted, so that Ctrl-C is not kept waiting.
                Target t = resolved.get(0);
                targetInfo = new TargetInfo(
                        targetInfo.url(),
                        targetInfo.api(),
                        targetInfo.model(),
                        targetInfo.serverVersion(),
                        targetInfo.simulated(),
                        ServerDescription.of(http, t));
            }
        } finally {
            if (observation != null) {
                observation.close();
            }
            if (progress != null) {
                progress.close();
            }
            if (records != null) {
                try {
                    records.close();
                } catch (java.io.UncheckedIOException e) {
                    // The measurements are in memory and go to the result file all the same.
                    err.println("llmh: WARNING " + e.getMessage());
                }
            }
            transport.close();
            HttpClients.close(http);
        }
        RunResult result = new RunResult(
                RunResult.SCHEMA_VERSION,
                info.withJitPriority(IdlePriority.recorded())
                        .withJvmWarmup(warmedUp)
                        .withCpuSplit(targets.cpuSplit()),
                targetInfo,
                results,
                interrupted || results.size() < specs.size());
        Path file = settings.output();
        boolean writeFailed = false;
        try {
            ResultJson.write(result, file);
        } catch (UncheckedIOException e) {
            // Checked before any load, so something changed since: keep what was measured anyway.
            file = Files.createTempFile("llmh-result-", ".json");
            ResultJson.write(result, file);
            writeFailed = true;
            err.println("llmh: cannot write the result file " + settings.output() + " (" + e.getMessage()
                    + "); the result was written to " + file + " instead");
        }
        boolean sloFailed = results.stream().flatMap(r -> r.slo().stream()).anyMatch(v -> !v.passed());
        ConsoleReport.printSummary(out, result, file);
        return new Outcome(result, file, sloFailed, interrupted, writeFailed);
    }

    /**
     * Warms this JVM's request path before the first trial (once per JVM, {@link JvmWarmup}) on the
     * run's transport kind and the APIs of its targets, against an in-process simulator: the targets
     * themselves see nothing. Returns what {@code run.jvmWarmup} records; {@code null} when
     * interrupted first.
     */
    private String warmUp(List<Target> resolved, List<TrialSpec> specs) throws InterruptedException {
        if (interrupted) {
            return null;
        }
        JvmWarmup w = new JvmWarmup(settings.transport(), settings.timeouts(), JvmWarmup.DEFAULT_REQUESTS);
        warming = w;
        if (interrupted) {
            w.interrupt();
        }
        try {
            return w.ensure(
                    settings.jvmWarmup(), resolved, t -> tokenCounters.apply(specs.get(resolved.indexOf(t))), err);
        } catch (InterruptedException e) {
            if (!interrupted) {
                throw e;
            }
            return null; // Ctrl-C: the trials are skipped, and nothing was measured
        } finally {
            warming = null;
        }
    }

    /** How long a simulator stopped by a signal waits for the same signal to interrupt the run, ms. */
    static final long SIGNAL_GRACE_MILLIS = 2_000;

    /** Waits up to {@code millis} for {@link #interrupt()}; returns early when it comes. */
    private void awaitInterrupt(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (!interrupted && System.nanoTime() - end < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Outcome nothingMeasured() {
        err.println("llmh: interrupted before any request was measured: no result file written");
        return new Outcome(null, null, false, true, false);
    }

    /**
     * Stops the run: the current trial ends at once, later trials are skipped, and the result file
     * is still written, marked partial. Safe to call from a shutdown hook.
     */
    public void interrupt() {
        interrupted = true;
        JvmWarmup w = warming;
        if (w != null) {
            w.interrupt();
        }
        TrialRunner r = current;
        if (r != null) {
            r.interrupt();
        }
    }

    /** Waits until {@link #run} has returned (or thrown); true if it had within the timeout. */
    public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    /**
     * Reads a trial's trace before any load, once per file however many trials replay it ({@code
     * read} holds what was read), or {@code null} when its load replays none. A missing or
     * malformed file stops the run with one line (an {@link IllegalArgumentException}, the CLI's
     * usage error) rather than after earlier trials ran, and nothing is read later, on a trial's
     * clock. The trial's warmup and per-window SLO are checked against the trace's length too.
     */
    private static ArrivalTrace traceOf(TrialSpec s, java.util.Map<String, ArrivalTrace> read) {
        java.util.Optional<String> path = s.load().tracePath();
        if (path.isEmpty()) {
            return null;
        }
        ArrivalTrace trace;
        try {
            trace = read.computeIfAbsent(path.get(), TraceReader::read);
        } catch (WorkloadException e) {
            throw new IllegalArgumentException(s.id() + ": " + e.getMessage(), e);
        }
        checkTraceLength(s, path.get(), trace.spanNanos());
        return trace;
    }

    /**
     * How long a trace replays: its recorded span over its speed-up ({@code --rate-scale}
     * included), as its schedule times it; the span itself for a load that is not a trace.
     *
     * @param spanNanos from the trace's first request to its last, as recorded
     */
    public static java.time.Duration replayLength(dev.llmharness.api.spi.LoadModel load, long spanNanos) {
        double speedup = load.accept(new dev.llmharness.api.spi.LoadModel.Visitor<Double>() {
            @Override
            public Double trace(dev.llmharness.api.spi.TraceLoadModel t) {
                return t.speedup();
            }

            @Override
            public Double open(dev.llmharness.api.spi.OpenLoopModel m) {
                return 1.0;
            }

            @Override
            public Double shaped(dev.llmharness.api.spi.ShapedLoadModel m) {
                return 1.0;
            }

            @Override
            public Double closed(dev.llmharness.api.spi.ClosedLoopModel m) {
                return 1.0;
            }

            @Override
            public Double stagedClosed(dev.llmharness.api.spi.StagedClosedLoopModel m) {
                return 1.0;
            }
        });
        return java.time.Duration.ofNanos(speedup == 1.0 ? spanNanos : Math.round(spanNanos / speedup));
    }

    /**
     * What the processor checks when it can read the trace at compile time, for a trace it could
     * not (or a warmup, a speed-up given at run time): the timed warmup must end before the replay
     * does, and a per-window SLO's window must fit in what is left after it.
     *
     * @param spanNanos from the trace's first request to its last, as recorded
     */
    private static void checkTraceLength(TrialSpec s, String path, long spanNanos) {
        if (s.measurement().countsRequests()) {
            return; // a counted window waits for its requests
        }
        java.time.Duration length = replayLength(s.load(), spanNanos);
        java.time.Duration warm = s.warmup().countsRequests() || s.warmup().isEmpty()
                ? java.time.Duration.ZERO
                : s.warmup().duration();
        String trace = "the " + DurationText.format(length) + " from its first request to its last in " + path;
        if (!warm.isZero() && warm.compareTo(length) >= 0) {
            throw new IllegalArgumentException(s.id() + ": the warmup (" + DurationText.format(warm)
                    + ") is as long as the whole trace (" + trace + "), so nothing would be measured: give --warmup"
                    + " 0s (or @Warmup(duration = \"0s\")) to measure the whole trace, or a shorter warmup"
                    + (length.getSeconds() >= 2 ? ", e.g. --warmup " + length.getSeconds() / 2 + "s" : ""));
        }
        java.time.Duration measured = length.minus(warm);
        if (s.slo().windows().isPresent()
                && java.time.Duration.ofSeconds(s.slo().windows().get().seconds())
                                .compareTo(measured)
                        > 0) {
            int seconds = s.slo().windows().get().seconds();
            throw new IllegalArgumentException(s.id() + ": its per-window SLO's " + seconds + "s window is longer"
                    + " than the " + DurationText.format(measured) + " it measures (" + trace + ", after the "
                    + DurationText.format(warm) + " warmup), so no whole window fits: give @Slo(window = \""
                    + Math.max(1, measured.getSeconds()) + "s\") or shorter, or a shorter --warmup");
        }
    }

    /**
     * Makes a trial's prompts before any load (datasets read, tokenizers loaded), so that a missing or
     * malformed dataset stops the run with one line naming the trial, not after earlier trials ran.
     *
     * @param trace the trial's trace as read ({@link #traceOf}), or {@code null}
     */
    private PromptSource promptsOf(TrialSpec s, ArrivalTrace trace) {
        try {
            return TracePrompts.forTrial(
                    s, prompts.apply(s), trace, warning -> err.println("llmh: WARNING " + s.id() + ": " + warning));
        } catch (WorkloadException e) {
            throw new WorkloadException(s.id() + ": " + e.getMessage(), e);
        }
    }

    private static long inFlight(TrialRunner runner) {
        dev.llmharness.runtime.report.ProgressSample p = runner.progress();
        return p == null ? 0 : p.inFlight();
    }

    /** The class that declares a trial ({@code <class>.<method>}), for its {@code @Cost}; {@code null} if not found. */
    private static Class<?> declaringClass(PlannedTrial trial) {
        String benchmark = trial.declared().benchmark();
        int dot = benchmark.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        try {
            return Class.forName(
                    benchmark.substring(0, dot), false, trial.suite().getClass().getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** The peak of requests in flight to size the HTTP client for. */
    static int expectedConcurrency(TrialSpec s) {
        return s.load().peakConcurrency();
    }
}
