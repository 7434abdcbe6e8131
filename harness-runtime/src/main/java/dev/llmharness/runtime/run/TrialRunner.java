package dev.llmharness.runtime.run;

import dev.llmharness.api.spi.RequestFactory;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.LlmClient;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.data.TraceReader;
import dev.llmharness.runtime.load.ArrivalTrace;
import dev.llmharness.runtime.load.LoadDriver;
import dev.llmharness.runtime.load.RequestThreads;
import dev.llmharness.runtime.load.Window;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.TrialMetrics;
import dev.llmharness.runtime.metrics.TrialRecorder;
import dev.llmharness.runtime.report.ProgressSample;
import dev.llmharness.runtime.result.RequestSink;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.tokenize.ClientTokens;
import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one trial, as the coordinator of its parts: it opens the connections for the load's peak
 * ({@link TrialConnections}), drives the load ({@link LoadDriver}) through its warmup and its
 * measurement window, each request built, sent and recorded by {@link TrialRequests}, drains what
 * is still in flight, and turns what the recorder measured into a {@link TrialResult} ({@link
 * TrialSummary}, {@link TrialWarnings}), with what its own threads got from the CPU over the window
 * ({@link HarnessThreadsWindow}). Other threads watch it through {@link #progress()} and
 * {@link #phaseNow()} ({@link TrialProgress}) and stop it with {@link #interrupt()}. Configured by
 * its spec and the setters below, called before {@link #run()}; one trial per runner.
 */
public final class TrialRunner {
    /** Lead time before the first scheduled instant, so it is not already late when reached. */
    private static final long START_LEAD_NANOS = 20_000_000L;

    /** After cancelling, how long to wait for readers to notice. */
    private static final long CANCEL_GRACE_NANOS = 5_000_000_000L;

    private final TrialSpec spec;
    private final RequestFactory factory;
    private final PromptSource prompts;
    /** The client's count of each request's input tokens, made after the request ended. */
    private final ClientTokens clientTokens;

    private final LlmClient client;
    private final RequestSink records;
    private final PrintStream log;
    /** How long this trial's warmup requests held their connection: sizes its own connections. */
    private final HoldTimes warmupHolds = new HoldTimes();
    /** How long this trial's measured requests held their connection: sizes a later trial's. */
    private final HoldTimes windowHolds = new HoldTimes();
    /** The connections opened before the load and by its requests. */
    private final TrialConnections connections;

    private volatile boolean interrupted;
    private volatile java.util.function.Consumer<RequestTiming> endedListener;
    private volatile long windowStartNanos = Long.MIN_VALUE;
    private volatile long windowEndNanos = Long.MIN_VALUE;
    /** The trial's requests once it runs, {@code null} before: {@link #interrupt()} stops their sends. */
    private volatile TrialRequests requests;
    /** The trial's load driver once it runs, {@code null} before: {@link #interrupt()} stops it. */
    private volatile LoadDriver driver;
    /** Counted down by {@link #interrupt()}: wakes the trial's thread from its wait for the window's end. */
    private final CountDownLatch interruption = new CountDownLatch(1);
    /** The running trial's phase and progress, once its window and recorder exist; {@code null} before. */
    private volatile TrialProgress progress;
    /**
     * Whether the open loop walks its schedule on the event loop ({@link TrialRequests#dispatchLoop()})
     * rather than on a dispatcher thread; default {@value #LOOP_DISPATCH_PROPERTY} {@code =thread}.
     */
    private boolean dispatchOnLoop = LoopDispatch.SETTING.fromProperty() == LoopDispatch.LOOP;

    /** The trace the trial's load replays, as the run read it ({@link #replaying}); {@code null} if none was given. */
    private ArrivalTrace trace;

    /** The part of the trial's load this runner issues ({@link #sharding}); the whole load by default. */
    private dev.llmharness.runtime.load.Shard shard = dev.llmharness.runtime.load.Shard.WHOLE;

    /**
     * @param records where each measured request is written as it ends (per-request CSV,
     *     inter-token JSONL), or {@code null}
     * @param log where warnings go as they arise (stderr in the CLI)
     */
    public TrialRunner(
            TrialSpec spec,
            RequestFactory factory,
            PromptSource prompts,
            LlmClient client,
            RequestSink records,
            PrintStream log) {
        this.spec = spec;
        this.factory = factory;
        this.prompts = prompts;
        this.clientTokens = ClientTokens.forTrial(spec.workload().encoding(), prompts);
        this.client = client;
        this.records = records;
        this.log = log;
        this.connections = new TrialConnections(spec, client, log, warmupHolds);
    }

    /**
     * Sees every request as it ends (warmup and measured, on the thread that ended it: the
     * request's, or the event loop's), after the recorder. For the harness's own measurements
     * (selfbench) and observation; must be cheap and thread-safe. Set before {@link #run()}.
     */
    public TrialRunner onRequestEnded(java.util.function.Consumer<RequestTiming> listener) {
        this.endedListener = listener;
        return this;
    }

    /**
     * The system property that chooses where the open loop walks its schedule on the event-loop
     * transport: {@code thread} (the default: a dispatcher thread builds each request 2 ms ahead and
     * hands it to the loop) or {@code loop} (the loop itself, with no dispatcher thread). On a core
     * shared with other work the loop's wake-ups came later when it did all the work
     * (docs/performance.md, "The loop walks the schedule"), so it is not the default.
     */
    public static final String LOOP_DISPATCH_PROPERTY = "llmh.loopDispatch";

    /** Whether the open loop walks its schedule on the event loop; default: {@link #LOOP_DISPATCH_PROPERTY}. */
    public TrialRunner dispatchOnLoop(boolean onLoop) {
        this.dispatchOnLoop = onLoop;
        return this;
    }

    /**
     * Gives the trial the trace its load replays, as the run read it before any load ({@link
     * TraceReader#read}), so that the file is not read again; without it, {@link #run()} reads the
     * trace itself, before the trial's clock starts. Ignored ({@code null} allowed) for a load that
     * replays no trace.
     *
     * @throws IllegalArgumentException when the trace is not the one the trial's load names
     */
    public TrialRunner replaying(ArrivalTrace trace) {
        java.util.Optional<String> path = spec.load().tracePath();
        if (trace != null && (path.isEmpty() || !path.get().equals(trace.source()))) {
            throw new IllegalArgumentException(
                    spec.id() + " replays " + path.orElse("no trace") + ", not " + trace.source());
        }
        this.trace = trace;
        return this;
    }

    /**
     * Issues only this shard's part of the trial's load ({@code --shard K/N}): the arrivals or
     * workers the {@link dev.llmharness.runtime.load.Shard} names. The trial's phases are given as
     * the shard runs them ({@link dev.llmharness.runtime.load.Shard#apply}). Default: the whole
     * load.
     */
    public TrialRunner sharding(dev.llmharness.runtime.load.Shard part) {
        this.shard = java.util.Objects.requireNonNull(part, "part");
        return this;
    }

    /** Sets how many connections are opened before the load; default: {@link Preopen#fromProperty()}. */
    public TrialRunner preopen(Preopen setting) {
        connections.preopen(setting);
        return this;
    }

    /**
     * Sets what the run knows for sizing {@code --preopen auto} ({@link Preopen#size}).
     *
     * @param earlier how long requests of the same benchmark held their connection against this
     *     target in an earlier trial of the run, or {@code null}
     * @param slots requests the server says it serves at once, or empty
     */
    public TrialRunner preopenKnowing(Preopen.Measured earlier, java.util.OptionalInt slots) {
        connections.knowing(earlier, slots);
        return this;
    }

    /**
     * How long this trial's measured requests held their connection, from {@code sent} to their
     * end, after {@link #run()}: for sizing a later trial's connections; {@code null} when none was
     * sent.
     *
     * @param source what the requests were, as the later trial's console line says
     */
    public Preopen.Measured holdTimes(String source) {
        return windowHolds.measured(source);
    }

    /** {@code nanoTime} at which the measurement window started, after {@link #run()}. */
    public long windowStartNanos() {
        return windowStartNanos;
    }

    /** {@code nanoTime} at which the measurement window ended, after {@link #run()}. */
    public long windowEndNanos() {
        return windowEndNanos;
    }

    /** Stops the trial at once: no drain, requests in flight are cancelled; the result says so. */
    public void interrupt() {
        interrupted = true;
        TrialRequests r = requests;
        if (r != null) {
            r.stopSending();
        }
        // Stopping the driver ends its issuing at once, which wakes the trial's thread from its
        // wait for the window's end (it waits without polling: see awaitWindowEnd).
        LoadDriver d = driver;
        if (d != null) {
            d.stop();
        }
        interruption.countDown();
    }

    /**
     * The trial's phase and the time left in it ({@code -1} when the phase counts requests, or
     * before the trial started).
     */
    public record PhaseNow(ProgressSample.Phase phase, long leftNanos) {}

    /**
     * The phase now, without the recorder's snapshot that {@link #progress()} takes: cheap enough
     * to poll inside a measured window. {@code null} before the trial started.
     */
    public PhaseNow phaseNow() {
        TrialProgress p = progress;
        return p == null ? null : p.phaseNow();
    }

    /** Progress of the running trial, or {@code null} before it started. */
    public ProgressSample progress() {
        TrialProgress p = progress;
        return p == null ? null : p.sample();
    }

    /** Runs the trial to its end (or its interruption) and returns its result. */
    public TrialResult run() throws InterruptedException {
        // Files before the clock, and before the connections, which would idle meanwhile: every
        // arrival due while a trace is read would go out late.
        ArrivalTrace replayed = replayedTrace();
        compileRequestPath();
        // Connections for the load's peak, before its first instant: a jump then finds them idle.
        connections.openBeforeLoad();
        long trialStart = System.nanoTime() + START_LEAD_NANOS;
        Clock clock = new Clock(trialStart, System.nanoTime(), Instant.now());
        Window window = new Window(trialStart, spec.warmup(), spec.measurement());
        TrialRecorder rec = new TrialRecorder(
                spec.slo(),
                () -> {
                    long s = window.windowStart();
                    return s == Long.MIN_VALUE ? window.expectedWindowStart() : s;
                },
                window.timed() ? window.durationNanos() : Long.MAX_VALUE);
        TrialRequests requests = new TrialRequests(
                spec.id(),
                factory,
                prompts,
                clientTokens,
                client,
                records,
                log,
                rec,
                warmupHolds,
                windowHolds,
                endedListener,
                dispatchOnLoop);
        this.requests = requests;
        if (interrupted) {
            // Interrupted before its requests existed (interrupt() saw none): none is sent.
            requests.stopSending();
        }
        TrialProgress progress = new TrialProgress(spec, window, rec, trialStart, requests::ended);
        this.progress = progress;
        ExecutorService executor = RequestThreads.newExecutor("llmh-request");
        LoadDriver driver =
                LoadDriver.of(spec.load(), replayed, shard, spec.seed(), trialStart, window, executor, requests);
        this.driver = driver;
        if (interrupted) {
            driver.stop(); // interrupt() may have come before the driver was there to stop
        }
        progress.driving(driver);
        HarnessThreadsWindow harnessThreads = new HarnessThreadsWindow();
        try {
            return drive(new Parts(driver, window, rec, requests, progress, executor, harnessThreads), clock);
        } finally {
            // Normally a no-op; after an unexpected error, leave no thread or call running.
            harnessThreads.cancel();
            driver.stop();
            requests.stopSending();
            client.cancelAll(System.nanoTime());
            executor.shutdownNow();
            requests.finishWriting();
        }
    }

    /**
     * The trace the trial's load replays: the one the run gave ({@link #replaying}), else read now;
     * {@code null} when the load replays none. Called before the trial's start is fixed.
     *
     * @throws dev.llmharness.runtime.data.WorkloadException when a trace to read is missing or
     *     malformed
     */
    private ArrivalTrace replayedTrace() {
        java.util.Optional<String> path = spec.load().tracePath();
        if (trace != null || path.isEmpty()) {
            return trace;
        }
        return TraceReader.read(path.get());
    }

    /**
     * Compiles the request and event paths, the recorder's included, before the first instant: into
     * a recorder of its own, so that nothing of it reaches the trial's figures.
     */
    private void compileRequestPath() {
        TrialRecorder warm = new TrialRecorder(spec.slo(), System.nanoTime());
        client.warmUp(t -> {
            warm.onSent(t);
            warm.onEnded(t);
        });
    }

    /** The parts of one running trial that {@link #drive} works with, as {@link #run} made them. */
    private record Parts(
            LoadDriver driver,
            Window window,
            TrialRecorder rec,
            TrialRequests requests,
            TrialProgress progress,
            ExecutorService executor,
            HarnessThreadsWindow harnessThreads) {}

    /**
     * The trial's clock: its start ({@code nanoTime}), and the wall clock read at {@code
     * anchorNanos}, which dates the window in the result (durations stay on the monotonic clock).
     */
    private record Clock(long trialStart, long anchorNanos, Instant anchor) {
        /** The wall-clock instant of {@code nanoTime} {@code nanos}. */
        Instant wallAt(long nanos) {
            return anchor.plusNanos(nanos - anchorNanos);
        }
    }

    private TrialResult drive(Parts parts, Clock clock) throws InterruptedException {
        LoadDriver driver = parts.driver();
        Window window = parts.window();
        TrialRecorder rec = parts.rec();
        TrialRequests requests = parts.requests();
        HarnessThreadsWindow harnessThreads = parts.harnessThreads();
        long trialStart = clock.trialStart();
        if (!spec.warmup().countsRequests()) {
            // A timed warmup, or none: the window opens at a known instant. A counted one opens
            // with its first measured request, which awaitWindowEnd looks for.
            harnessThreads.opensAt(window.expectedWindowStart());
        }
        driver.start();

        // 1. Issue load until the window closes (or an interruption).
        long windowEnd = awaitWindowEnd(driver, window, trialStart, harnessThreads);
        driver.stop();
        harnessThreads.closesAt(windowEnd);

        // 2. Drain: wait for requests in flight, then cancel what is left.
        long drainStart = System.nanoTime();
        long drainEnd = drain(driver, requests, parts.progress(), drainStart);
        // Its second read ran as the window closed (in its last 0.1 s when timed); asked for
        // before the request threads are shut down, so that a late one still finds them.
        TrialResult.HarnessThreads threadsFigure = harnessThreads.figure();
        parts.executor().shutdown();
        if (!parts.executor().awaitTermination(5, TimeUnit.SECONDS)) {
            parts.executor().shutdownNow();
        }

        // 3. Summarise what the recorder measured, over the window as it ran.
        TrialMetrics m = rec.finish();
        TrialRecorder.WindowCounts inWindow = rec.windowCounts();
        long windowStart = windowStartAsRun(window, windowEnd);
        long measuredNanos;
        if (window.timed()) {
            measuredNanos = Math.max(0, windowEnd - windowStart);
        } else {
            long last = requests.lastMeasuredEnd();
            measuredNanos = Math.max(0, (last == Long.MIN_VALUE ? windowEnd : last) - windowStart);
        }
        windowStartNanos = windowStart;
        windowEndNanos = window.timed() ? windowEnd : windowStart + measuredNanos;
        TrialSummary.Phases phases = new TrialSummary.Phases(
                clock.wallAt(windowStart),
                Math.max(0, windowStart - trialStart) / 1e9,
                measuredNanos / 1e9,
                Math.max(0, drainEnd - drainStart) / 1e9);
        TrialWarnings warnings = new TrialWarnings(
                spec,
                client.target(),
                interrupted,
                requests.slowMethodCalls(),
                requests.slowestMethodNanos(),
                log,
                shard);
        return new TrialSummary(spec, client.target(), prompts, warnings)
                .result(m, inWindow, phases, connections.result(), threadsFigure);
    }

    /**
     * Where the window began, {@code nanoTime}: where its first measured request was due, or, when
     * none was, the end of a timed (or absent) warmup all the same. A closed loop thinking through
     * the whole window, or arrivals that all fall before it, still measured a window of its
     * declared length, and completions inside it are throughput over that length, not over zero.
     * After a counted warmup that never ended the window did not open ({@code windowEnd}).
     */
    private long windowStartAsRun(Window window, long windowEnd) {
        if (window.windowStart() != Long.MIN_VALUE) {
            return window.windowStart();
        }
        if (spec.warmup().countsRequests()) {
            return windowEnd;
        }
        // Interrupted during the warmup: the window closed before it opened.
        return Math.min(window.expectedWindowStart(), windowEnd);
    }

    /**
     * Waits while the load is issued until the window closes or the trial is interrupted, sizing
     * the connections from the warmup meanwhile ({@link TrialConnections#sizeFromWarmup}) and
     * telling {@code harnessThreads} when the window opens and when it is due to close; returns the
     * window's end ({@code nanoTime}).
     */
    private long awaitWindowEnd(LoadDriver driver, Window window, long trialStart, HarnessThreadsWindow harnessThreads)
            throws InterruptedException {
        if (!window.timed()) {
            while (!interrupted
                    && !driver.awaitIssuingEnded(noticeOpening(harnessThreads, window, pollNanos(Long.MAX_VALUE)))) {
                // A counted window ends when its last request has been issued.
                connections.sizeFromWarmup(window, trialStart);
            }
            noticeOpening(harnessThreads, window, 0);
            return System.nanoTime();
        }
        // The window's end is known once it has started: at once after a timed warmup, at the
        // first measured request after a counted one.
        long plannedEnd;
        while (true) {
            boolean started =
                    window.windowStart() != Long.MIN_VALUE || !spec.warmup().countsRequests();
            plannedEnd = started ? window.expectedWindowStart() + window.durationNanos() : Long.MAX_VALUE;
            long left = started ? plannedEnd - System.nanoTime() : 50_000_000L;
            if (started) {
                noticeOpening(harnessThreads, window, 0);
                harnessThreads.closesAt(plannedEnd);
            }
            if (interrupted || left <= 0) {
                break;
            }
            connections.sizeFromWarmup(window, trialStart);
            if (driver.awaitIssuingEnded(started ? pollNanos(left) : SIZING_POLL_NANOS) && started) {
                if (spec.load().windowEndsWithLastRequest()) {
                    plannedEnd = System.nanoTime(); // a trace: the window ends with its load
                    break;
                }
                // The last arrival inside the window has been issued, but the window lasts its
                // declared length: what completes before its end is still throughput.
                long rest;
                while (!interrupted && (rest = plannedEnd - System.nanoTime()) > 0) {
                    interruption.await(rest, TimeUnit.NANOSECONDS);
                }
                break;
            }
        }
        return Math.min(System.nanoTime(), plannedEnd);
    }

    /** How often the trial's thread looks at the warmup while it sizes the connections from it. */
    static final long SIZING_POLL_NANOS = 50_000_000L;

    /**
     * Tells {@code harnessThreads} the window's start once the window has one (a counted warmup's
     * window opens with its first measured request), and returns the next wait for the driver:
     * {@code wait}, or at most {@link #SIZING_POLL_NANOS} while the opening is still to be seen,
     * so that the first read is at most that late.
     */
    private static long noticeOpening(HarnessThreadsWindow harnessThreads, Window window, long wait) {
        if (!harnessThreads.awaitsOpening()) {
            return wait;
        }
        long start = window.windowStart();
        if (start != Long.MIN_VALUE) {
            harnessThreads.opensAt(start);
            return wait;
        }
        return Math.min(wait, SIZING_POLL_NANOS);
    }

    /**
     * Longest wait of the trial's thread for the driver once the connections are sized: the wait
     * ends anyway when the driver stops issuing, at the window's end and on {@link #interrupt()}
     * (which stops the driver), so this only bounds a wait that nothing would end.
     */
    static final long IDLE_POLL_NANOS = 1_000_000_000L;

    /**
     * The next wait for the driver, at most {@code left} ns: short while the connections are still
     * being sized from the warmup, else as long as {@link #IDLE_POLL_NANOS}. The trial's thread
     * polled every 50 ms throughout: 20 wake-ups a second on the harness's core for nothing, as
     * the window's end, the driver's and an interruption each end the wait by themselves.
     */
    private long pollNanos(long left) {
        return Math.min(left, connections.sizing() ? SIZING_POLL_NANOS : IDLE_POLL_NANOS);
    }

    /**
     * Waits for the requests in flight until the drain timeout (not when interrupted), then stops
     * sending and cancels what is left, so that every request issued ends: completed, failed or
     * cancelled. Returns the drain's end ({@code nanoTime}).
     *
     * @param drainStart {@code nanoTime} at which the window closed and the drain began
     */
    private long drain(LoadDriver driver, TrialRequests requests, TrialProgress progress, long drainStart)
            throws InterruptedException {
        long drainDeadline = drainStart + spec.drainTimeout().toNanos();
        progress.draining(drainDeadline);
        // Issued, not ended: running, queued for a slot, or on its way to a request thread.
        while (!interrupted && driver.issued() > requests.ended() && System.nanoTime() - drainDeadline < 0) {
            Thread.sleep(5);
        }
        requests.stopSending();
        long abandonedAt = System.nanoTime();
        requests.cancelNeverStarted(driver.abandoned(), abandonedAt);
        long graceEnd = System.nanoTime() + CANCEL_GRACE_NANOS;
        while (driver.issued() > requests.ended() && System.nanoTime() - graceEnd < 0) {
            client.cancelAll(System.nanoTime());
            Thread.sleep(5);
        }
        return System.nanoTime();
    }
}
