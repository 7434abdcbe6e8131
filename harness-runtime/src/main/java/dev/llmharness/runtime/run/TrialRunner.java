package dev.llmharness.runtime.run;

import dev.llmharness.api.LlmRequest;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.spi.RequestFactory;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.LlmClient;
import dev.llmharness.runtime.client.PreparedRequest;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.load.LoadDriver;
import dev.llmharness.runtime.load.RequestRunner;
import dev.llmharness.runtime.load.RequestThreads;
import dev.llmharness.runtime.load.Ticket;
import dev.llmharness.runtime.load.Window;
import dev.llmharness.runtime.metrics.FailureCategory;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.TrialMetrics;
import dev.llmharness.runtime.metrics.TrialRecorder;
import dev.llmharness.runtime.report.ProgressSample;
import dev.llmharness.runtime.result.RequestSink;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.tokenize.ClientTokens;
import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs one trial: drives its load against the client, records every measured request, drains,
 * and summarises into a {@link TrialResult}. The path of one request reads straight through {@link
 * #runRequest}: ticket -> prompt -> benchmark method -> HTTP body -> send -> stream -> record; on
 * the event loop the same steps are split at the send ({@link #startRequest}).
 */
public final class TrialRunner {
    /** A benchmark method slower than this per call is reported. */
    static final long SLOW_FACTORY_NANOS = 1_000_000L;

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
    private final AtomicLong ended = new AtomicLong();
    private final LongAccumulator lastMeasuredEnd = new LongAccumulator(Math::max, Long.MIN_VALUE);
    private final LongAdder slowFactory = new LongAdder();
    private final LongAccumulator maxFactoryNanos = new LongAccumulator(Math::max, 0);
    /**
     * Benchmark-method calls in a row that took longer than the open loop's lead, up to {@link
     * #LEAD_OVERRUNS_FOR_THREADS}, where it stays ({@link Requests#asynchronous()}).
     */
    private final java.util.concurrent.atomic.AtomicInteger leadOverruns =
            new java.util.concurrent.atomic.AtomicInteger();
    /** Whether the client's transport ends requests by itself (the event loop). */
    private final boolean async;
    /**
     * The one thread that writes per-request files when requests end on the event loop; {@code
     * null} otherwise (each request thread writes its own line).
     */
    private volatile ExecutorService recordWriter;

    private volatile boolean interrupted;
    private volatile boolean cancelling;
    private volatile TrialRecorder recorder;
    private volatile java.util.function.Consumer<RequestTiming> endedListener;
    private volatile long windowStartNanos = Long.MIN_VALUE;
    private volatile long windowEndNanos = Long.MIN_VALUE;
    /** The running trial's phase and progress, once its window and recorder exist; {@code null} before. */
    private volatile TrialProgress progress;
    /**
     * Whether the open loop walks its schedule on the event loop ({@link Requests#dispatchLoop()})
     * rather than on a dispatcher thread; default {@value #LOOP_DISPATCH_PROPERTY} {@code =thread}.
     */
    private boolean dispatchOnLoop = LoopDispatch.SETTING.fromProperty() == LoopDispatch.LOOP;
    /** How long this trial's warmup requests held their connection. */
    private final HoldTimes warmupHolds = new HoldTimes();
    /** How long this trial's measured requests held their connection. */
    private final HoldTimes windowHolds = new HoldTimes();
    /** The connections opened before the load and by its requests. */
    private final TrialConnections connections;

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
        this.async = client.startsAsynchronously();
        this.connections = new TrialConnections(spec, client, log, warmupHolds);
    }

    /**
     * Sees every request as it ends (warmup and measured, on the thread that ended it: the
     * request's, or the event loop's), after the recorder. For the harness's own measurements (selfbench); must be cheap and thread-safe.
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
        // Compile the request and event paths, the recorder's included, before the first instant:
        // into a recorder of its own, so that nothing of it reaches the trial's figures.
        TrialRecorder warm = new TrialRecorder(spec.slo(), System.nanoTime());
        client.warmUp(t -> {
            warm.onSent(t);
            warm.onEnded(t);
        });
        // Connections for the load's peak, before its first instant: a jump then finds them idle.
        connections.openBeforeLoad();
        long trialStart = System.nanoTime() + START_LEAD_NANOS;
        long wallAnchorNanos = System.nanoTime();
        Instant wallAnchor = Instant.now();
        Window window = new Window(trialStart, spec.warmup(), spec.measurement());
        TrialRecorder rec = new TrialRecorder(
                spec.slo(),
                () -> {
                    long s = window.windowStart();
                    return s == Long.MIN_VALUE ? window.expectedWindowStart() : s;
                },
                window.timed() ? window.durationNanos() : Long.MAX_VALUE);
        recorder = rec;
        TrialProgress progress = new TrialProgress(spec, window, rec, trialStart, ended::get);
        this.progress = progress;
        ExecutorService executor = RequestThreads.newExecutor("llmh-request");
        if (async && records != null) {
            recordWriter = java.util.concurrent.Executors.newSingleThreadExecutor(
                    RequestThreads.daemonFactory("llmh-records"));
        }
        LoadDriver driver = LoadDriver.of(spec.load(), spec.seed(), trialStart, window, executor, new Requests());
        progress.driving(driver);
        try {
            return drive(driver, window, rec, progress, executor, trialStart, wallAnchorNanos, wallAnchor);
        } finally {
            // Normally a no-op; after an unexpected error, leave no thread or call running.
            driver.stop();
            cancelling = true;
            client.cancelAll(System.nanoTime());
            executor.shutdownNow();
            ExecutorService writer = recordWriter;
            if (writer != null) {
                writer.shutdown(); // the lines already handed over are still written
                writer.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private TrialResult drive(
            LoadDriver driver,
            Window window,
            TrialRecorder rec,
            TrialProgress progress,
            ExecutorService executor,
            long trialStart,
            long wallAnchorNanos,
            Instant wallAnchor)
            throws InterruptedException {
        driver.start();

        // 1. Issue load until the window closes (or an interruption).
        long windowEnd;
        if (window.timed()) {
            // The window's end is known once it has started: at once after a timed warmup, at the
            // first measured request after a counted one.
            long plannedEnd;
            while (true) {
                boolean started =
                        window.windowStart() != Long.MIN_VALUE || !spec.warmup().countsRequests();
                plannedEnd = started ? window.expectedWindowStart() + window.durationNanos() : Long.MAX_VALUE;
                long left = started ? plannedEnd - System.nanoTime() : 50_000_000L;
                if (interrupted || left <= 0) {
                    break;
                }
                connections.sizeFromWarmup(window, trialStart);
                if (driver.awaitIssuingEnded(Math.min(left, 50_000_000L)) && started) {
                    if (spec.load().windowEndsWithLastRequest()) {
                        plannedEnd = System.nanoTime(); // a trace: the window ends with its load
                        break;
                    }
                    // The last arrival inside the window has been issued, but the window lasts its
                    // declared length: what completes before its end is still throughput.
                    while (!interrupted && plannedEnd - System.nanoTime() > 0) {
                        Thread.sleep(Math.max(1, Math.min(50, (plannedEnd - System.nanoTime()) / 1_000_000L)));
                    }
                    break;
                }
            }
            windowEnd = Math.min(System.nanoTime(), plannedEnd);
        } else {
            while (!interrupted && !driver.awaitIssuingEnded(50_000_000L)) {
                // A counted window ends when its last request has been issued.
                connections.sizeFromWarmup(window, trialStart);
            }
            windowEnd = System.nanoTime();
        }
        driver.stop();

        // 2. Drain: wait for requests in flight, then cancel what is left.
        long drainStart = System.nanoTime();
        long drainDeadline = drainStart + spec.drainTimeout().toNanos();
        progress.draining(drainDeadline);
        // Issued, not ended: running, queued for a slot, or on its way to a request thread.
        while (!interrupted && driver.issued() > ended.get() && System.nanoTime() - drainDeadline < 0) {
            Thread.sleep(5);
        }
        cancelling = true;
        long abandonedAt = System.nanoTime();
        for (Ticket t : driver.abandoned()) {
            RequestTiming timing = newTiming(t);
            rec.onSent(timing);
            timing.cancel(abandonedAt);
            ended(timing);
            ended.incrementAndGet();
        }
        long graceEnd = System.nanoTime() + CANCEL_GRACE_NANOS;
        while (driver.issued() > ended.get() && System.nanoTime() - graceEnd < 0) {
            client.cancelAll(System.nanoTime());
            Thread.sleep(5);
        }
        long drainEnd = System.nanoTime();
        executor.shutdown();
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }

        TrialMetrics m = rec.finish();
        TrialRecorder.WindowCounts inWindow = rec.windowCounts();
        long windowStart = window.windowStart() == Long.MIN_VALUE ? windowEnd : window.windowStart();
        long measuredNanos;
        if (window.timed()) {
            measuredNanos = Math.max(0, windowEnd - windowStart);
        } else {
            long last = lastMeasuredEnd.get();
            measuredNanos = Math.max(0, (last == Long.MIN_VALUE ? windowEnd : last) - windowStart);
        }
        windowStartNanos = windowStart;
        windowEndNanos = window.timed() ? windowEnd : windowStart + measuredNanos;
        TrialSummary.Phases phases = new TrialSummary.Phases(
                wallAnchor.plusNanos(windowStart - wallAnchorNanos),
                Math.max(0, windowStart - trialStart) / 1e9,
                measuredNanos / 1e9,
                Math.max(0, drainEnd - drainStart) / 1e9);
        TrialWarnings warnings = new TrialWarnings(
                spec, client.target(), interrupted, slowFactory.sum(), maxFactoryNanos.get(), log);
        return new TrialSummary(spec, client.target(), prompts, warnings)
                .result(m, inWindow, phases, connections.result());
    }

    private static RequestTiming newTiming(Ticket ticket) {
        RequestTiming t = new RequestTiming(ticket.index(), ticket.intendedStart(), ticket.measured());
        if (ticket.delayed()) {
            t.markDelayedStart();
        }
        if (ticket.worker() >= 0) {
            t.setWorker(ticket.worker());
        }
        return t;
    }

    /**
     * The trial's requests as the load driver runs them: on a thread each ({@link #runRequest}), or,
     * when the client's transport ends requests by itself (the event loop), built on the calling
     * thread and ended and recorded on the transport's thread ({@link #startRequest}).
     */
    private final class Requests implements RequestRunner {
        @Override
        public void run(Ticket ticket) {
            runRequest(ticket);
        }

        /**
         * Asynchronous on a transport that ends requests by itself, until the benchmark method has
         * overrun the open loop's lead in {@value #LEAD_OVERRUNS_FOR_THREADS} requests one after
         * another: built on the dispatcher (or on the event loop, when the open loop walks its
         * schedule there), a slow method would delay the requests after it (on the loop: every
         * other request's sends and reads) as well as its own, so from then on each request gets
         * its own thread again. The times are wall
         * time, so an overrun now and then is the dispatcher preempted on a busy core (or a first
         * call into cold code), not a slow method: only a run of them counts.
         */
        @Override
        public boolean asynchronous() {
            return async && leadOverruns.get() < LEAD_OVERRUNS_FOR_THREADS;
        }

        @Override
        public void start(Ticket ticket, Runnable ended) {
            startRequest(ticket, ended);
        }

        /**
         * The event loop, which then builds each request as well as sending it (no dispatcher
         * thread), when {@link #dispatchOnLoop(boolean) chosen}.
         */
        @Override
        public java.util.concurrent.ScheduledExecutorService dispatchLoop() {
            return async && dispatchOnLoop ? client.sendingLoop() : null;
        }
    }

    /** See {@link Requests#asynchronous()}. */
    static final int LEAD_OVERRUNS_FOR_THREADS = 5;

    /** A request built and ready to send, with what its client-counted input tokens need. */
    private record Built(Prompt prompt, LlmRequest request, PreparedRequest http) {}

    /** One request, on a request thread: build, send, read, record. Never throws. */
    private void runRequest(Ticket ticket) {
        RequestTiming t = newTiming(ticket);
        recorder.onSent(t);
        Built built = build(ticket, t);
        if (built != null) {
            client.send(built.http(), t);
        }
        requestEnded(t, built);
    }

    /**
     * One request handed to an asynchronous transport: built here (the open loop's dispatcher, or
     * the event loop when it walks the schedule, up to the lead before its instant), sent and read by the transport, recorded by {@link
     * #requestEnded} on the transport's thread. Never throws.
     */
    private void startRequest(Ticket ticket, Runnable ended) {
        RequestTiming t = newTiming(ticket);
        recorder.onSent(t);
        Built built = build(ticket, t);
        if (built == null) {
            requestEnded(t, null);
            ended.run();
            return;
        }
        client.start(built.http(), t, () -> {
            requestEnded(t, built);
            ended.run();
        });
    }

    /**
     * Builds the request ahead of its instant: prompt, benchmark method, HTTP request. {@code null}
     * when the request will not be sent: building failed, or the trial is cancelling (its outcome is
     * then set).
     */
    private Built build(Ticket ticket, RequestTiming t) {
        try {
            long buildStart = System.nanoTime();
            Prompt prompt = prompts.prompt(ticket.index());
            if (records != null && records.textChars() > 0 && ticket.measured()) {
                t.keepText(records.textChars());
                t.setPromptText(prompt.text());
            }
            long factoryStart = System.nanoTime();
            LlmRequest request = factory.create(prompt);
            long factoryNanos = System.nanoTime() - factoryStart;
            if (request == null) {
                throw new IllegalStateException("the benchmark method returned null");
            }
            PreparedRequest http = client.prepare(request, ticket.index());
            t.setRequested(request.inputTokens(), request.maxTokens(), request.exactOutput());
            long buildNanos = System.nanoTime() - buildStart;
            t.setBuildNanos(buildNanos);
            if (factoryNanos > SLOW_FACTORY_NANOS) {
                slowFactory.increment();
                maxFactoryNanos.accumulate(factoryNanos);
            }
            if (factoryNanos > LoadDriver.PREPARE_LEAD_NANOS) {
                leadOverruns.incrementAndGet();
            } else if (leadOverruns.get() < LEAD_OVERRUNS_FOR_THREADS) {
                leadOverruns.set(0); // not yet one after another: a preempted build, not a slow method
            }
            // Built ahead of its instant (the open loop hands tickets over early): the client's
            // transport waits for the instant, then sends, so that building never shows as
            // dispatch lag unless it overran the lead.
            if (cancelling || interrupted) {
                t.cancel(System.nanoTime());
                return null;
            }
            return new Built(prompt, request, http);
        } catch (RuntimeException | Error e) {
            t.fail(System.nanoTime(), FailureCategory.CLIENT, "building the request failed: " + e);
            return null;
        }
    }

    /**
     * The request has ended (or was never sent): counts its input tokens the client's way and
     * records it. On the event loop this runs on the loop thread: what it does is in memory and
     * holds no lock across I/O (the per-request files are written by {@link #recordWriter}).
     * Never throws.
     */
    private void requestEnded(RequestTiming t, Built built) {
        try {
            if (built != null && t.outcome() != null) {
                t.setClientInputTokens(clientTokens.count(built.request(), built.prompt()));
            }
        } catch (RuntimeException | Error e) {
            t.fail(System.nanoTime(), FailureCategory.CLIENT, "building the request failed: " + e);
        }
        try {
            if (t.outcome() == null) {
                t.fail(System.nanoTime(), FailureCategory.CLIENT, "the request ended without an outcome");
            }
            ended(t);
        } catch (RuntimeException | Error e) {
            log.println("recording request " + t.index() + " failed: " + e);
        } finally {
            ended.incrementAndGet();
        }
    }

    private void ended(RequestTiming t) {
        recorder.onEnded(t);
        (t.measured() ? windowHolds : warmupHolds).record(t);
        java.util.function.Consumer<RequestTiming> listener = endedListener;
        if (listener != null) {
            listener.accept(t);
        }
        if (t.measured()) {
            lastMeasuredEnd.accumulate(t.end());
            if (records != null) {
                writeRecord(t);
            }
        }
    }

    /**
     * Writes a request's line to the per-request files: on {@link #recordWriter}'s thread when there
     * is one (the files' writers hold their lock while they write to disk, which must not stall
     * the event loop), else here.
     */
    private void writeRecord(RequestTiming t) {
        ExecutorService writer = recordWriter;
        if (writer != null) {
            try {
                writer.execute(() -> records.write(spec.id(), t));
                return;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The trial has been summarised (a request that ended after the drain): write here.
            }
        }
        records.write(spec.id(), t);
    }
}
