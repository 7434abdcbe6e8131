package dev.llmharness.runtime.run;

import dev.llmharness.api.LlmRequest;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.spi.RequestFactory;
import dev.llmharness.runtime.client.LlmClient;
import dev.llmharness.runtime.client.PreparedRequest;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.load.LoadDriver;
import dev.llmharness.runtime.load.RequestRunner;
import dev.llmharness.runtime.load.RequestThreads;
import dev.llmharness.runtime.load.Ticket;
import dev.llmharness.runtime.metrics.FailureCategory;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.TrialRecorder;
import dev.llmharness.runtime.result.RequestSink;
import dev.llmharness.runtime.tokenize.ClientTokens;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A trial's requests as its load driver runs them, each from ticket to record. The path of one
 * request reads straight through {@link #run}: ticket -> prompt -> benchmark method -> HTTP body ->
 * send -> stream -> record; on a transport that ends requests by itself (the event loop) the same
 * steps are split at the send ({@link #start}): built on the calling thread, ended and recorded on
 * the transport's. Every request it is given ends here exactly once, completed, failed (with its
 * category) or cancelled, and is counted in {@link #ended()}: the only count the drain trusts for
 * what is still in flight.
 *
 * <p>This is the per-request hot path, whose CPU per request selfbench measures in microseconds:
 * every collaborator is a final field, made once per trial before its first request, and a request
 * reads one volatile flag ({@link #stopSending()}) on its way to the send.
 */
final class TrialRequests implements RequestRunner {
    /** A benchmark method slower than this per call, 1 ms in nanoseconds, is reported. */
    static final long SLOW_FACTORY_NANOS = 1_000_000L;

    /** Overruns of the open loop's lead in a row after which requests get threads again ({@link #asynchronous()}). */
    static final int LEAD_OVERRUNS_FOR_THREADS = 5;

    private final String trialId;
    private final RequestFactory factory;
    private final PromptSource prompts;
    /** The client's count of each request's input tokens, made after the request ended. */
    private final ClientTokens clientTokens;

    private final LlmClient client;
    /** Where each measured request is written as it ends, or {@code null}. */
    private final RequestSink records;

    private final PrintStream log;
    private final TrialRecorder recorder;
    private final HoldTimes warmupHolds;
    private final HoldTimes windowHolds;
    /** Sees every request as it ends, after the recorder, or {@code null}. */
    private final Consumer<RequestTiming> endedListener;
    /** Whether the client's transport ends requests by itself (the event loop). */
    private final boolean async;
    /** Whether the open loop walks its schedule on the event loop ({@link #dispatchLoop()}). */
    private final boolean dispatchOnLoop;
    /**
     * The one thread that writes per-request files when requests end on the event loop; {@code
     * null} otherwise (each request thread writes its own line).
     */
    private final ExecutorService recordWriter;

    /** Requests ended so far, warmup and measured, recorded or not. */
    private final AtomicLong ended = new AtomicLong();
    /** {@code nanoTime} at which the last measured request ended, {@link Long#MIN_VALUE} before. */
    private final LongAccumulator lastMeasuredEnd = new LongAccumulator(Math::max, Long.MIN_VALUE);
    /** Benchmark-method calls slower than {@link #SLOW_FACTORY_NANOS}. */
    private final LongAdder slowFactory = new LongAdder();
    /** The slowest of those, in nanoseconds. */
    private final LongAccumulator maxFactoryNanos = new LongAccumulator(Math::max, 0);
    /**
     * Benchmark-method calls in a row that took longer than the open loop's lead, up to {@link
     * #LEAD_OVERRUNS_FOR_THREADS}, where it stays ({@link #asynchronous()}).
     */
    private final AtomicInteger leadOverruns = new AtomicInteger();
    /** Whether no request is sent any more: the trial is cancelling or was interrupted. */
    private volatile boolean stopped;

    /**
     * @param clientTokens the client's count of each request's input tokens
     * @param records where each measured request is written as it ends (per-request CSV,
     *     inter-token JSONL), or {@code null}
     * @param log where a request that could not be recorded is said
     * @param recorder the trial's recorder: every request is sent and ended into it
     * @param warmupHolds how long the warmup's requests held their connection, for {@link TrialConnections}
     * @param windowHolds how long the measured requests held their connection, for a later trial
     * @param endedListener sees every request as it ends, after the recorder, or {@code null}
     * @param dispatchOnLoop whether the open loop walks its schedule on the event loop
     */
    TrialRequests(
            String trialId,
            RequestFactory factory,
            PromptSource prompts,
            ClientTokens clientTokens,
            LlmClient client,
            RequestSink records,
            PrintStream log,
            TrialRecorder recorder,
            HoldTimes warmupHolds,
            HoldTimes windowHolds,
            Consumer<RequestTiming> endedListener,
            boolean dispatchOnLoop) {
        this.trialId = trialId;
        this.factory = factory;
        this.prompts = prompts;
        this.clientTokens = clientTokens;
        this.client = client;
        this.records = records;
        this.log = log;
        this.recorder = recorder;
        this.warmupHolds = warmupHolds;
        this.windowHolds = windowHolds;
        this.endedListener = endedListener;
        this.async = client.startsAsynchronously();
        this.dispatchOnLoop = dispatchOnLoop;
        this.recordWriter = async && records != null
                ? Executors.newSingleThreadExecutor(RequestThreads.daemonFactory("llmh-records"))
                : null;
    }

    /**
     * Asynchronous on a transport that ends requests by itself, until the benchmark method has
     * overrun the open loop's lead in {@value #LEAD_OVERRUNS_FOR_THREADS} requests one after
     * another: built on the dispatcher (or on the event loop, when the open loop walks its
     * schedule there), a slow method would delay the requests after it (on the loop: every
     * other request's sends and reads) as well as its own, so from then on each request gets
     * its own thread again. The times are wall time, so an overrun now and then is the dispatcher
     * preempted on a busy core (or a first call into cold code), not a slow method: only a run of
     * them counts.
     */
    @Override
    public boolean asynchronous() {
        return async && leadOverruns.get() < LEAD_OVERRUNS_FOR_THREADS;
    }

    /**
     * The event loop, which then builds each request as well as sending it (no dispatcher thread),
     * when {@link TrialRunner#dispatchOnLoop(boolean) chosen}.
     */
    @Override
    public ScheduledExecutorService dispatchLoop() {
        return async && dispatchOnLoop ? client.sendingLoop() : null;
    }

    /** A request built and ready to send, with what its client-counted input tokens need. */
    private record Built(Prompt prompt, LlmRequest request, PreparedRequest http) {}

    /** One request, on a request thread: build, send, read, record. Never throws. */
    @Override
    public void run(Ticket ticket) {
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
     * the event loop when it walks the schedule, up to the lead before its instant), sent and read
     * by the transport, recorded by {@link #requestEnded} on the transport's thread. Never throws.
     */
    @Override
    public void start(Ticket ticket, Runnable whenEnded) {
        RequestTiming t = newTiming(ticket);
        recorder.onSent(t);
        Built built = build(ticket, t);
        if (built == null) {
            requestEnded(t, null);
            whenEnded.run();
            return;
        }
        client.start(built.http(), t, () -> {
            requestEnded(t, built);
            whenEnded.run();
        });
    }

    /**
     * From now on no request is sent: one built after this is cancelled before its send. Called
     * when the trial cancels what is left after its drain, and when it is interrupted.
     */
    void stopSending() {
        stopped = true;
    }

    /**
     * Records tickets the driver issued but never started (they waited for an in-flight slot) as
     * sent and cancelled at {@code atNanos} ({@code nanoTime}), so that the accounting holds.
     */
    void cancelNeverStarted(List<Ticket> abandoned, long atNanos) {
        for (Ticket ticket : abandoned) {
            RequestTiming t = newTiming(ticket);
            recorder.onSent(t);
            t.cancel(atNanos);
            record(t);
            ended.incrementAndGet();
        }
    }

    /** Requests ended so far, warmup and measured: with the driver's issued count, what is in flight. */
    long ended() {
        return ended.get();
    }

    /** {@code nanoTime} at which the last measured request ended, or {@link Long#MIN_VALUE} when none did. */
    long lastMeasuredEnd() {
        return lastMeasuredEnd.get();
    }

    /** Benchmark-method calls that took more than {@link #SLOW_FACTORY_NANOS} (1 ms). */
    long slowMethodCalls() {
        return slowFactory.sum();
    }

    /** The longest benchmark-method call among {@link #slowMethodCalls()}, in nanoseconds; 0 when none. */
    long slowestMethodNanos() {
        return maxFactoryNanos.get();
    }

    /**
     * Waits up to 5 s for the per-request lines already handed to the record writer to be written,
     * and ends its thread. A request that ends later writes its own line.
     */
    void finishWriting() throws InterruptedException {
        if (recordWriter != null) {
            recordWriter.shutdown(); // the lines already handed over are still written
            recordWriter.awaitTermination(5, TimeUnit.SECONDS);
        }
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
            if (stopped) {
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
            record(t);
        } catch (RuntimeException | Error e) {
            log.println("recording request " + t.index() + " failed: " + e);
        } finally {
            ended.incrementAndGet();
        }
    }

    /** Records an ended request: the recorder, its hold time, the listener, its per-request line. */
    private void record(RequestTiming t) {
        recorder.onEnded(t);
        (t.measured() ? windowHolds : warmupHolds).record(t);
        if (endedListener != null) {
            endedListener.accept(t);
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
                writer.execute(() -> records.write(trialId, t));
                return;
            } catch (RejectedExecutionException e) {
                // The trial has been summarised (a request that ended after the drain): write here.
            }
        }
        records.write(trialId, t);
    }
}
