package dev.llmharness.runtime.metrics;

import dev.llmharness.api.spi.LatencyBound;
import dev.llmharness.api.spi.SloMetric;
import dev.llmharness.api.spi.SloSpec;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records the measured requests of one trial. Thread-safe: any number of request threads call
 * {@link #onSent} and {@link #onEnded}; recording goes into wait-free HdrHistogram {@link
 * Recorder}s (a request's ITL gaps, all at once, into a histogram under a short lock), and one
 * reader ({@link #snapshot()} for progress, {@link #finish()} at the end) adds their interval
 * histograms into running totals. Histograms combine by adding; nothing else is
 * aggregated.
 *
 * <p>Only requests with {@link RequestTiming#measured()} count; others (warmup) are ignored.
 */
public final class TrialRecorder {
    /** Metric names, in the order results list them ({@link Metric#distributions()}). */
    public static final List<String> METRICS =
            Metric.distributions().stream().map(Metric::key).toList();

    private final Recorder ttft = Histograms.newLatencyRecorder();
    private final Recorder ttftFromSend = Histograms.newLatencyRecorder();
    private final Recorder dispatchLag = Histograms.newLatencyRecorder();
    /**
     * The ITL gaps since the last {@link #collect()}: a plain histogram that requests record into
     * under {@link #itlLock}, not a {@link Recorder}. A request records all its gaps at once (127
     * for 128 tokens), and a recorder's value costs about six atomic operations (its phaser's and
     * its concurrent histogram's count, total and phaser), some 5 µs per such request on the event
     * loop, where one lock per request and a plain count per gap cost under 1 µs. The reader
     * swaps it for {@link #itlSpare} under the lock and adds it to the total outside, so that a
     * request never waits for more than the swap (the progress reader runs at idle priority).
     */
    private Histogram itlPending = Histograms.newLatency(); // guarded by itlLock

    /** The other ITL histogram, empty; {@link #collect()} only. */
    private Histogram itlSpare = Histograms.newLatency();

    private final Object itlLock = new Object();
    private final Recorder tpot = Histograms.newLatencyRecorder();
    private final Recorder e2e = Histograms.newLatencyRecorder();
    private final Recorder inputTokens = Histograms.newTokensRecorder();
    private final Recorder outputTokens = Histograms.newTokensRecorder();
    private final Recorder requestBuild = Histograms.newLatencyRecorder();

    /**
     * Metrics listed in the result only when at least one request recorded them, so that a server
     * that reports nothing of the kind adds no empty metric ({@link Metric#optionalDistributions()}).
     */
    public static final List<String> OPTIONAL_METRICS =
            Metric.optionalDistributions().stream().map(Metric::key).toList();

    private final Recorder serverPrompt = Histograms.newLatencyRecorder();
    private final Recorder serverTpot = Histograms.newLatencyRecorder();
    private final Recorder serverTotal = Histograms.newLatencyRecorder();
    private final Recorder serverQueue = Histograms.newLatencyRecorder();
    private final Recorder ttftOverhead = Histograms.newLatencyRecorder();
    private final Recorder e2eOverhead = Histograms.newLatencyRecorder();
    private final Recorder ttftReasoning = Histograms.newLatencyRecorder();
    private final Recorder ttftAnswer = Histograms.newLatencyRecorder();
    private final Recorder reasoningTokens = Histograms.newTokensRecorder();
    private final Recorder answerTokens = Histograms.newTokensRecorder();
    private final Map<String, Recorder> recorders = new LinkedHashMap<>();
    private final Map<String, Histogram> totals = new LinkedHashMap<>();
    /** Each recorder's previous interval histogram, handed back to it for reuse. */
    private final Map<String, Histogram> recycled = new LinkedHashMap<>();

    private final LongAdder sent = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder delayed = new LongAdder();
    private final LongAdder inTokens = new LongAdder();
    private final LongAdder outTokens = new LongAdder();
    private final LongAdder requestedTokens = new LongAdder();
    private final LongAdder good = new LongAdder();
    private final LongAdder unterminated = new LongAdder();
    private final LongAdder ignoredEvents = new LongAdder();
    private final EnumMap<FailureCategory, LongAdder> failures = new EnumMap<>(FailureCategory.class);
    private final FailureLog failureLog = new FailureLog();
    private final TokenTally tokenTally = new TokenTally();
    private final List<LatencyBound> bounds;
    private final Timeline timeline;
    private final java.util.function.LongSupplier windowStartNanos;
    private final long windowNanos;
    private final LongAdder windowCompleted = new LongAdder();
    private final LongAdder windowOutputTokens = new LongAdder();
    private final LongAdder windowInputTokens = new LongAdder();
    private final LongAdder drainCompleted = new LongAdder();
    private volatile String tokenSource;
    private volatile boolean mixedSources;

    /**
     * @param slo the trial's objectives; its latency bounds decide goodput per request
     * @param windowStartNanos {@code nanoTime} of the measurement window's start (timeline origin)
     */
    public TrialRecorder(SloSpec slo, long windowStartNanos) {
        this(slo, () -> windowStartNanos);
    }

    /**
     * @param slo the trial's objectives; its latency bounds decide goodput per request
     * @param windowStartNanos gives the window start once the first measured request has started
     *     (a window after a counted warmup starts with its first request)
     */
    public TrialRecorder(SloSpec slo, java.util.function.LongSupplier windowStartNanos) {
        this(slo, windowStartNanos, Long.MAX_VALUE);
    }

    /**
     * @param slo the trial's objectives; its latency bounds decide goodput per request
     * @param windowStartNanos gives the window start once the first measured request has started
     * @param windowNanos the declared window length in ns ({@link Long#MAX_VALUE} for a window
     *     bounded by a request count): completions after it are drain completions, not throughput
     */
    public TrialRecorder(SloSpec slo, java.util.function.LongSupplier windowStartNanos, long windowNanos) {
        this.windowStartNanos = windowStartNanos;
        this.windowNanos = windowNanos;
        this.bounds = slo.bounds();
        this.timeline = new Timeline(windowStartNanos);
        for (FailureCategory c : FailureCategory.values()) {
            failures.put(c, new LongAdder());
        }
        recorders.put(Metric.TTFT.key(), ttft);
        recorders.put(Metric.TTFT_FROM_SEND.key(), ttftFromSend);
        recorders.put(Metric.DISPATCH_LAG.key(), dispatchLag);
        recorders.put(Metric.TPOT.key(), tpot);
        recorders.put(Metric.E2E.key(), e2e);
        recorders.put(Metric.INPUT_TOKENS.key(), inputTokens);
        recorders.put(Metric.OUTPUT_TOKENS.key(), outputTokens);
        recorders.put(Metric.REQUEST_BUILD.key(), requestBuild);
        recorders.put(Metric.SERVER_PROMPT.key(), serverPrompt);
        recorders.put(Metric.SERVER_TPOT.key(), serverTpot);
        recorders.put(Metric.SERVER_TOTAL.key(), serverTotal);
        recorders.put(Metric.SERVER_QUEUE.key(), serverQueue);
        recorders.put(Metric.TTFT_OVERHEAD.key(), ttftOverhead);
        recorders.put(Metric.E2E_OVERHEAD.key(), e2eOverhead);
        recorders.put(Metric.TTFT_REASONING.key(), ttftReasoning);
        recorders.put(Metric.TTFT_ANSWER.key(), ttftAnswer);
        recorders.put(Metric.REASONING_TOKENS.key(), reasoningTokens);
        recorders.put(Metric.ANSWER_TOKENS.key(), answerTokens);
        // Each total's histogram settings (latency in ns or token counts) come from the registry.
        for (Metric m : Metric.distributions()) {
            totals.put(m.key(), m.newHistogram());
        }
        for (Metric m : Metric.optionalDistributions()) {
            totals.put(m.key(), m.newHistogram());
        }
    }

    /** Counts a measured request as started (its intended start is in the window). */
    public void onSent(RequestTiming t) {
        if (t.measured()) {
            sent.increment();
        }
    }

    /**
     * Records a request that has reached its outcome. Every completed request (warmup included)
     * counts towards the throughput of the window it completed in; only measured requests go into
     * the distributions and counts.
     */
    public void onEnded(RequestTiming t) {
        if (t.outcome() == Outcome.COMPLETED) {
            countThroughput(t);
        }
        if (!t.measured()) {
            return;
        }
        Outcome outcome = t.outcome();
        if (outcome == null) {
            throw new IllegalStateException("request " + t.index() + " recorded before it ended");
        }
        if (t.isSent()) {
            Histograms.recordLatency(dispatchLag, t.dispatchLagNanos());
        }
        if (t.delayedStart()) {
            delayed.increment();
        }
        if (t.buildNanos() >= 0) {
            Histograms.recordLatency(requestBuild, t.buildNanos());
        }
        if (t.ignoredEvents() > 0) {
            ignoredEvents.add(t.ignoredEvents());
        }
        switch (outcome) {
            case CANCELLED -> cancelled.increment();
            case FAILED -> {
                failed.increment();
                failures.get(t.failure()).increment();
                failureLog.record(t.failure(), t.failureDetail());
            }
            case COMPLETED -> recordCompleted(t);
        }
        timeline.ended(t);
    }

    private void recordCompleted(RequestTiming t) {
        completed.increment();
        if (t.unterminated()) {
            unterminated.increment();
        }
        long out = t.outputTokens();
        long in = t.inputTokens();
        outTokens.add(out);
        if (in >= 0) {
            inTokens.add(in);
            Histograms.recordTokens(inputTokens, in);
        }
        if (t.requestedOutputTokens() > 0) {
            requestedTokens.add(t.requestedOutputTokens());
        }
        Histograms.recordTokens(outputTokens, out);
        noteSource(t.tokenSource());
        tokenTally.add(t);
        if (t.nonStreamed()) {
            // A non-streamed answer has no events: its end is its only instant (no TTFT, ITL, TPOT).
            Histograms.recordLatency(e2e, t.e2eNanos());
        } else if (t.hasFirstToken()) {
            Histograms.recordLatency(ttft, t.ttftNanos());
            if (t.isSent()) {
                Histograms.recordLatency(ttftFromSend, t.ttftFromSendNanos());
            }
            Histograms.recordLatency(e2e, t.e2eNanos());
            int events = t.contentEvents();
            if (events > 1) {
                synchronized (itlLock) {
                    for (int i = 1; i < events; i++) {
                        Histograms.recordLatency(itlPending, t.eventNanos(i) - t.eventNanos(i - 1));
                    }
                }
            }
            long perToken = t.tpotNanos();
            if (perToken >= 0) {
                Histograms.recordLatency(tpot, perToken);
            }
        }
        if (t.reasoningEvents() > 0) {
            // A reasoning model: when thinking began, when the answer began, and how much of each.
            Histograms.recordLatency(ttftReasoning, t.firstReasoningNanos());
            if (t.firstAnswerNanos() >= 0) {
                Histograms.recordLatency(ttftAnswer, t.firstAnswerNanos());
            }
            Histograms.recordTokens(reasoningTokens, t.reasoningEvents());
            Histograms.recordTokens(answerTokens, t.answerEvents());
        }
        ServerTimings server = t.serverTimings();
        if (server != null) {
            recordServer(t, server);
        }
        if (meetsBounds(t)) {
            good.increment();
        }
    }

    /**
     * Throughput is what the server delivered inside the window: a request completed inside it
     * counts, whether it was issued during the warmup or the window; its output tokens count by the
     * content event they arrived with. A measured request completing after the window is a drain
     * completion, reported apart. In steady state the warmup requests finishing inside the window
     * stand in for the measured ones finishing after it, so a server that keeps up shows achieved =
     * offered.
     */
    private void countThroughput(RequestTiming t) {
        long start = windowStartNanos.getAsLong();
        long end = windowNanos == Long.MAX_VALUE ? Long.MAX_VALUE : start + windowNanos;
        long completedAt = t.end();
        if (completedAt - start >= 0 && (end == Long.MAX_VALUE || completedAt - end < 0)) {
            windowCompleted.increment();
            if (t.inputTokens() > 0) {
                windowInputTokens.add(t.inputTokens());
            }
        } else if (t.measured() && end != Long.MAX_VALUE && completedAt - end >= 0) {
            drainCompleted.increment();
        }
        long total = t.outputTokens();
        int n = t.contentEvents();
        int inside = 0;
        for (int i = 0; i < n; i++) {
            long at = t.eventNanos(i);
            if (at - start >= 0 && (end == Long.MAX_VALUE || at - end < 0)) {
                inside++;
            }
        }
        long inWindow = 0;
        if (inside == n && n > 0) {
            // Every event's share: they add up to the total exactly. Counted first, as most
            // requests lie wholly inside (or outside) the window: two divisions per event saved.
            inWindow = total;
        } else if (inside > 0) {
            for (int i = 0; i < n; i++) {
                long at = t.eventNanos(i);
                if (at - start >= 0 && (end == Long.MAX_VALUE || at - end < 0)) {
                    inWindow += total * (i + 1) / n - total * i / n;
                }
            }
        }
        windowOutputTokens.add(inWindow);
    }

    /**
     * What completed inside the declared window (warmup requests included) and, apart, the measured
     * requests that completed after it.
     *
     * @param completed requests completed inside the window
     * @param inputTokens prompt tokens of those requests
     * @param outputTokens output tokens that arrived inside the window
     * @param drainCompleted measured requests that completed after the window closed
     */
    public record WindowCounts(long completed, long inputTokens, long outputTokens, long drainCompleted) {}

    /** The window's throughput counts so far. */
    public WindowCounts windowCounts() {
        return new WindowCounts(
                windowCompleted.sum(), windowInputTokens.sum(), windowOutputTokens.sum(), drainCompleted.sum());
    }

    /**
     * The server's figures of one completed request, and how much longer the client saw: TTFT from
     * send minus the server's load and prompt time, and send to last token minus the server's
     * total (or prompt plus generation time when it reports no total). An overhead the server's
     * clock makes negative is recorded as 0.
     */
    private void recordServer(RequestTiming t, ServerTimings s) {
        if (s.promptNanos() >= 0) {
            Histograms.recordLatency(serverPrompt, s.promptNanos());
        }
        if (s.tpotNanos() >= 0) {
            Histograms.recordLatency(serverTpot, s.tpotNanos());
        }
        long total = s.totalNanos() >= 0
                ? s.totalNanos()
                : s.promptNanos() >= 0 && s.decodeNanos() >= 0 ? s.promptNanos() + s.decodeNanos() : -1;
        if (total >= 0) {
            Histograms.recordLatency(serverTotal, total);
        }
        if (s.queueNanos() >= 0) {
            Histograms.recordLatency(serverQueue, s.queueNanos());
        }
        long ttft = t.ttftFromSendNanos();
        if (ttft >= 0 && s.promptNanos() >= 0) {
            long beforeFirst = s.promptNanos() + Math.max(0, s.loadNanos());
            Histograms.recordLatency(ttftOverhead, Math.max(0, ttft - beforeFirst));
        }
        if (total >= 0 && t.hasFirstToken() && t.isSent()) {
            Histograms.recordLatency(e2eOverhead, Math.max(0, t.lastToken() - t.sent() - total));
        } else if (total >= 0 && t.nonStreamed() && t.isSent()) {
            Histograms.recordLatency(e2eOverhead, Math.max(0, t.end() - t.sent() - total));
        }
    }

    private void noteSource(String source) {
        String current = tokenSource;
        if (current == null) {
            tokenSource = source;
        } else if (!current.equals(source)) {
            mixedSources = true;
        }
    }

    /**
     * Whether one completed request met every latency bound: its own TTFT, TPOT and E2E each at
     * most the limit, and the bound's percentile of its own ITL gaps at most the limit. A value the
     * request does not have (TPOT of a one-token answer) does not fail it.
     */
    boolean meetsBounds(RequestTiming t) {
        for (LatencyBound b : bounds) {
            long limit = b.limit().toNanos();
            long value = switch (b.metric()) {
                case TTFT -> t.ttftNanos();
                case TPOT -> t.tpotNanos();
                case E2E -> t.e2eNanos();
                case ITL -> itlPercentile(t, b.percentile());
            };
            if (value > limit) {
                return false;
            }
            if (b.metric() == SloMetric.TTFT && value < 0) {
                return false;
            }
        }
        return true;
    }

    private static long itlPercentile(RequestTiming t, double percentile) {
        int n = t.contentEvents() - 1;
        if (n < 1) {
            return -1;
        }
        long[] gaps = new long[n];
        for (int i = 0; i < n; i++) {
            gaps[i] = t.eventNanos(i + 1) - t.eventNanos(i);
        }
        Arrays.sort(gaps);
        int rank = (int) Math.ceil(percentile / 100.0 * n);
        return gaps[Math.max(0, Math.min(n - 1, rank - 1))];
    }

    /** Adds what the recorders and the ITL gaps gathered since the last call into the running totals. */
    private synchronized void collect() {
        for (Map.Entry<String, Recorder> e : recorders.entrySet()) {
            Histogram interval = e.getValue().getIntervalHistogram(recycled.get(e.getKey()));
            totals.get(e.getKey()).add(interval);
            recycled.put(e.getKey(), interval);
        }
        Histogram gaps;
        synchronized (itlLock) {
            gaps = itlPending;
            itlPending = itlSpare;
        }
        // No request writes into it now: each wrote under the lock, before the swap.
        if (gaps.getTotalCount() > 0) {
            totals.get(Metric.ITL.key()).add(gaps);
            gaps.reset();
        }
        itlSpare = gaps;
    }

    /** A progress view; cheap enough to call every second. */
    public synchronized Snapshot snapshot() {
        collect();
        Histogram t = totals.get(Metric.TTFT.key());
        Histogram lag = totals.get(Metric.DISPATCH_LAG.key());
        return new Snapshot(
                sent.sum(),
                completed.sum(),
                failed.sum(),
                outTokens.sum(),
                t.getTotalCount() == 0 ? -1 : t.getValueAtPercentile(50),
                t.getTotalCount() == 0 ? -1 : t.getValueAtPercentile(99),
                lag.getTotalCount() == 0 ? -1 : lag.getValueAtPercentile(99));
    }

    /**
     * The trial's totals. Call once every measured request has been recorded; later recordings
     * are not included.
     */
    public synchronized TrialMetrics finish() {
        collect();
        Map<String, Histogram> copies = new LinkedHashMap<>();
        totals.forEach((k, v) -> {
            if (!OPTIONAL_METRICS.contains(k) || v.getTotalCount() > 0) {
                copies.put(k, v.copy());
            }
        });
        Map<String, Long> byCategory = new LinkedHashMap<>();
        failures.forEach((k, v) -> byCategory.put(k.key(), v.sum()));
        String source = mixedSources ? "mixed" : tokenSource;
        List<TrialMetrics.Second> seconds = timeline.seconds();
        return new TrialMetrics(
                copies,
                sent.sum(),
                completed.sum(),
                failed.sum(),
                cancelled.sum(),
                byCategory,
                delayed.sum(),
                inTokens.sum(),
                outTokens.sum(),
                requestedTokens.sum(),
                source,
                good.sum(),
                seconds,
                unterminated.sum(),
                ignoredEvents.sum(),
                failureLog.snapshot(),
                tokenTally.totals());
    }

    /**
     * Progress so far.
     *
     * @param ttftP50Nanos TTFT median so far, ns, {@code -1} when none
     * @param ttftP99Nanos TTFT p99 so far, ns, {@code -1} when none
     * @param dispatchLagP99Nanos dispatch lag p99 so far, ns, {@code -1} when none
     */
    public record Snapshot(
            long sent,
            long completed,
            long failed,
            long outputTokens,
            long ttftP50Nanos,
            long ttftP99Nanos,
            long dispatchLagP99Nanos) {}
}
