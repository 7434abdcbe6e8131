package dev.llmharness.runtime.result;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.llmharness.runtime.metrics.Metric;
import java.util.List;
import java.util.Map;

/**
 * One trial's outcome.
 *
 * @param id stable identifier, benchmark plus parameters; comparisons match trials on it
 * @param benchmark {@code <class>.<method>}
 * @param params trial parameters in declaration order
 * @param api API spoken
 * @param streamed whether requests asked for a streamed answer ({@code @Endpoint(stream)}, {@code
 *     --stream}); a non-streamed trial records E2E only. {@code null} in files written before it
 *     was recorded (those trials streamed unless their API was told otherwise)
 * @param load the load model
 * @param workload the prompts
 * @param seed seed of every random choice
 * @param window the phases as run
 * @param counts request accounting: {@code sent == completed + failed + cancelled}
 * @param tokens token totals over completed requests
 * @param throughput rates over the measurement window
 * @param errorRate failed / (completed + failed), {@code null} when both are zero
 * @param metrics distributions by name: {@code ttft}, {@code ttftFromSend}, {@code dispatchLag},
 *     {@code itl}, {@code tpot}, {@code e2e}, {@code inputTokens}, {@code outputTokens}, {@code
 *     requestBuild}
 * @param slo one verdict per objective, empty when the trial has none
 * @param timeline per-second counts, rates and latency histograms over the measurement window
 * @param warnings anything the reader should know (harness overload, accounting violations...)
 * @param server the server's own metrics scraped during the trial, {@code null} when none was
 *     scraped (and in files written before scraping existed)
 * @param cost what the throughput costs, {@code null} without an instance price
 * @param analysis the trial's Automatic Analysis limits from {@code @AnalysisLimits}, by name
 *     ({@code ttftP90} to {@code "500ms,2s"}); absent (empty) when it has none
 * @param harnessLimit whether the harness itself limited the measurement, with its figures ({@link
 *     HarnessLimit}); a file written before it was recorded reads with one derived from its
 *     warnings ({@link ResultJson}); {@code null} only in a result built in memory without one
 */
public record TrialResult(
        String id,
        String benchmark,
        Map<String, String> params,
        String api,
        Boolean streamed,
        LoadInfo load,
        WorkloadInfo workload,
        long seed,
        WindowInfo window,
        Counts counts,
        Tokens tokens,
        Throughput throughput,
        Double errorRate,
        Map<String, MetricResult> metrics,
        List<SloVerdict> slo,
        List<Interval> timeline,
        List<String> warnings,
        ServerMetrics server,
        Cost cost,

        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
        Map<String, String> analysis,

        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        HarnessLimit harnessLimit) {

    @JsonCreator
    public TrialResult {
        analysis = analysis == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(analysis));
    }

    /** A trial with server metrics and cost, and the default analysis limits. */
    public TrialResult(
            String id,
            String benchmark,
            Map<String, String> params,
            String api,
            LoadInfo load,
            WorkloadInfo workload,
            long seed,
            WindowInfo window,
            Counts counts,
            Tokens tokens,
            Throughput throughput,
            Double errorRate,
            Map<String, MetricResult> metrics,
            List<SloVerdict> slo,
            List<Interval> timeline,
            List<String> warnings,
            ServerMetrics server,
            Cost cost) {
        this(
                id,
                benchmark,
                params,
                api,
                null,
                load,
                workload,
                seed,
                window,
                counts,
                tokens,
                throughput,
                errorRate,
                metrics,
                slo,
                timeline,
                warnings,
                server,
                cost,
                Map.of(),
                null);
    }

    /** A trial without server metrics or cost, with the default analysis limits. */
    public TrialResult(
            String id,
            String benchmark,
            Map<String, String> params,
            String api,
            LoadInfo load,
            WorkloadInfo workload,
            long seed,
            WindowInfo window,
            Counts counts,
            Tokens tokens,
            Throughput throughput,
            Double errorRate,
            Map<String, MetricResult> metrics,
            List<SloVerdict> slo,
            List<Interval> timeline,
            List<String> warnings) {
        this(
                id,
                benchmark,
                params,
                api,
                load,
                workload,
                seed,
                window,
                counts,
                tokens,
                throughput,
                errorRate,
                metrics,
                slo,
                timeline,
                warnings,
                null,
                null);
    }

    /** This trial with its answers recorded as streamed or not ({@code null}: not recorded). */
    public TrialResult withStreamed(Boolean answersStreamed) {
        return copy(id, params, load, answersStreamed, window, warnings, server, cost, harnessLimit);
    }

    /** This trial with its verdict on whether the harness limited it. */
    public TrialResult withHarnessLimit(HarnessLimit limit) {
        return copy(id, params, load, streamed, window, warnings, server, cost, limit);
    }

    /**
     * This trial with its harness threads' figure replaced ({@link WindowInfo#harnessThreads()};
     * {@code null}: not measured), everything else as it was.
     */
    public TrialResult withHarnessThreads(HarnessThreads figure) {
        return copy(
                id,
                params,
                load,
                streamed,
                window == null ? null : window.withHarnessThreads(figure),
                warnings,
                server,
                cost,
                harnessLimit);
    }

    /** This trial under another id, parameters and load record (a file's old load names, renamed). */
    TrialResult withLoadId(String newId, Map<String, String> newParams, LoadInfo newLoad) {
        return copy(newId, newParams, newLoad, streamed, window, warnings, server, cost, harnessLimit);
    }

    /** This trial with another record of its phases (a file's declared window, derived). */
    TrialResult withWindow(WindowInfo phases) {
        return copy(id, params, load, streamed, phases, warnings, server, cost, harnessLimit);
    }

    /** Whether the harness itself limited this trial's measurement ({@link #harnessLimit}). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean harnessLimited() {
        return harnessLimit != null && harnessLimit.limited();
    }

    /** This trial with its server metrics, cost and extra warnings. */
    public TrialResult withObservations(ServerMetrics server, Cost cost, List<String> moreWarnings) {
        List<String> w = new java.util.ArrayList<>(warnings);
        w.addAll(moreWarnings);
        return copy(id, params, load, streamed, window, w, server, cost, harnessLimit);
    }

    /**
     * This trial with the fields a wither may change replaced: the one place the copy names every
     * field, so that a new field is carried by every wither at once.
     */
    private TrialResult copy(
            String newId,
            Map<String, String> newParams,
            LoadInfo newLoad,
            Boolean answersStreamed,
            WindowInfo phases,
            List<String> w,
            ServerMetrics observed,
            Cost costs,
            HarnessLimit limit) {
        return new TrialResult(
                newId,
                benchmark,
                newParams,
                api,
                answersStreamed,
                newLoad,
                workload,
                seed,
                phases,
                counts,
                tokens,
                throughput,
                errorRate,
                metrics,
                slo,
                timeline,
                w,
                observed,
                costs,
                analysis,
                limit);
    }

    /**
     * The load model as run.
     *
     * @param model {@code "open"} or {@code "closed"}
     * @param arrival {@code "CONSTANT"} or {@code "POISSON"} (open loop, but not a trace), else
     *     {@code null}
     * @param rate requests per second after scaling (open loop): the rate, or a shape's peak rate;
     *     {@code null} for a trace and a closed loop
     * @param maxInFlight cap on requests in flight, {@code 0} for none (open loop), else {@code null}
     * @param concurrency workers (closed loop): the number, or a shape's peak; else {@code null}
     * @param thinkTimeMs pause between a worker's requests in ms (closed loop), else {@code null}
     * @param shape the shape's name ({@code ramp}, {@code stages}, {@code step}, {@code spike},
     *     {@code soak}, {@code trace}), or {@code null} for one constant rate or a fixed number of
     *     workers
     * @param burstiness gamma shape of POISSON gaps, 1 for Poisson (open loop, but not a trace),
     *     else {@code null}
     * @param description the whole load in one line, as {@code llmh list} prints it
     */
    public record LoadInfo(
            String model,
            String arrival,
            Double rate,
            Integer maxInFlight,
            Integer concurrency,
            Double thinkTimeMs,
            String shape,
            Double burstiness,
            String description) {

        /**
         * The load in one line for messages: its {@link #description()}, or, in a file written
         * before descriptions were recorded, its model and size, after its shape's name when it
         * has one (a shape's rate or workers are its peak; a trace has neither).
         */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public String describe() {
            if (description != null) {
                return description;
            }
            String size;
            if ("closed".equals(model)) {
                size = "closed loop, " + concurrency + " workers";
            } else if (rate == null) {
                size = "open loop";
            } else {
                size = "open loop, " + (arrival == null ? "" : arrival + " ") + rate + " requests/s";
            }
            if (shape == null) {
                return size;
            }
            return shape + " (" + size + (rate == null && concurrency == null ? "" : " at its peak") + ")";
        }

        /**
         * Whether the load offered changes over the trial by design: an open loop whose rate
         * follows a shape (a ramp, stages, a step, a spike, a trace) and closed-loop workers in
         * stages or ramped up ({@code worker-stages}, {@code worker-ramp}). One rate, a soak
         * (one rate held for long, {@link dev.llmharness.api.spi.ShapedLoadModel#SOAK}) and a
         * fixed number of workers do not. What {@code compare} asks before it reads a one-run
         * throughput's noise from the per-second timeline, where designed swings are not noise.
         */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean offeredLoadVaries() {
            return shape != null && !dev.llmharness.api.spi.ShapedLoadModel.SOAK.equals(shape);
        }

        /** Whether this is a closed loop (workers), not an open loop (a schedule of starts). */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean closedLoop() {
            return "closed".equals(model);
        }
    }

    /**
     * The prompts as configured.
     *
     * @param kind {@code "shape"} or {@code "dataset"}
     * @param description human-readable, e.g. {@code "CHAT: input 256, output 128"} or {@code
     *     "SHAREGPT data/sharegpt.json"}
     * @param encoding tokenizer encoding
     */
    public record WorkloadInfo(String kind, String description, String encoding) {}

    /**
     * The phases as run.
     *
     * @param startTime wall-clock start of the measurement window, ISO-8601 UTC
     * @param warmupSeconds warmup length actually run
     * @param measurementSeconds length of the measurement window actually run (the denominator of
     *     every throughput)
     * @param drainSeconds time spent waiting for in-flight requests after the window
     * @param completedInWindow requests that completed inside a timed window, warmup requests
     *     included: the numerator of {@code throughput.requestsPerSecond}; {@code null} for a window
     *     bounded by a request count and in files written before it was recorded
     * @param completedInDrain measured requests that completed after a timed window closed, while
     *     it drained: counted in {@code counts.completed}, not in throughput; {@code null} likewise
     * @param connections the connections opened before the load and by its requests; {@code null}
     *     in merged results and in files written before it was recorded
     * @param declaredWarmup the warmup as configured for the run (the trial's declaration after
     *     {@code --warmup} and {@code --duration-scale}): a duration such as {@code "2s"} or {@code
     *     "1m30s"} ({@code "0s"}: none), or a request count such as {@code "50 requests"}; {@code
     *     null} in files written before it was recorded
     * @param declaredMeasurement the measurement window as configured for the run (after {@code
     *     --duration} and {@code --duration-scale}), written as {@code declaredWarmup}; a file
     *     written before it was recorded reads with one derived from a timed window's {@code
     *     measurementSeconds} ({@link ResultJson}), else {@code null}
     * @param harnessThreads what the harness's own threads got from the CPU over the window, how
     *     long they waited for one above all ({@link HarnessThreads}); {@code null} where it cannot
     *     be measured (not Linux), and in files written before it was recorded
     */
    public record WindowInfo(
            String startTime,
            double warmupSeconds,
            double measurementSeconds,
            double drainSeconds,
            Long completedInWindow,
            Long completedInDrain,
            Connections connections,
            String declaredWarmup,
            String declaredMeasurement,
            HarnessThreads harnessThreads) {
        @com.fasterxml.jackson.annotation.JsonCreator
        public WindowInfo {}

        /** A window without its declared phases (built in memory). */
        public WindowInfo(
                String startTime,
                double warmupSeconds,
                double measurementSeconds,
                double drainSeconds,
                Long completedInWindow,
                Long completedInDrain,
                Connections connections) {
            this(
                    startTime,
                    warmupSeconds,
                    measurementSeconds,
                    drainSeconds,
                    completedInWindow,
                    completedInDrain,
                    connections,
                    null,
                    null,
                    null);
        }

        /** This window with the harness threads' figure {@code figure} ({@code null}: not measured). */
        public WindowInfo withHarnessThreads(HarnessThreads figure) {
            return new WindowInfo(
                    startTime,
                    warmupSeconds,
                    measurementSeconds,
                    drainSeconds,
                    completedInWindow,
                    completedInDrain,
                    connections,
                    declaredWarmup,
                    declaredMeasurement,
                    figure);
        }

        /** A window without its connections (a merged result). */
        public WindowInfo(
                String startTime,
                double warmupSeconds,
                double measurementSeconds,
                double drainSeconds,
                Long completedInWindow,
                Long completedInDrain) {
            this(startTime, warmupSeconds, measurementSeconds, drainSeconds, completedInWindow, completedInDrain, null);
        }

        /** A window without in-window accounting (bounded by a request count, or an older file). */
        public WindowInfo(String startTime, double warmupSeconds, double measurementSeconds, double drainSeconds) {
            this(startTime, warmupSeconds, measurementSeconds, drainSeconds, null, null, null);
        }

        /** The same window with its declared phases. */
        public WindowInfo withDeclared(String warmup, String measurement) {
            return new WindowInfo(
                    startTime,
                    warmupSeconds,
                    measurementSeconds,
                    drainSeconds,
                    completedInWindow,
                    completedInDrain,
                    connections,
                    warmup,
                    measurement,
                    harnessThreads);
        }
    }

    /**
     * A trial's HTTP connections to its target ({@code --preopen}).
     *
     * @param wanted connections to have open for the load's peak: its peak in flight by Little's law
     *     with the hold time measured against the target (or its workers), a number given, or 0
     *     when pre-opening is off or the peak is unknown beforehand (a trace)
     * @param preopened new connections opened for {@code wanted} before the trial's first scheduled
     *     instant, or during its warmup once warmup requests measured how long requests take
     *     (connections already open count towards {@code wanted})
     * @param failedPreopens connects that failed while pre-opening: not request failures
     * @param openedByRequests connections the trial's own requests opened (warmup, window and
     *     drain), each after its request's {@code sent}: 0 when every request found one idle
     * @param basis why {@code wanted} is what it is, with the estimate's inputs (e.g. {@code "peak 800
     *     req/s x 9.8 ms (2 x p99 4.9 ms of 32 warmup requests)"}); {@code null} in files written
     *     before it was recorded
     */
    public record Connections(int wanted, int preopened, int failedPreopens, long openedByRequests, String basis) {}

    /**
     * What the harness's own threads got from the CPU over a trial's measurement window (Linux): the
     * scheduler's counters ({@link dev.llmharness.runtime.metrics.SchedulerCounters}) of every thread
     * that can delay a send or a read (the event loop, the dispatcher, request threads or their
     * carriers, the garbage collector; not the JIT compilers, idle-priority housekeeping or a
     * simulator inside the JVM), read once in the last 0.1 s before the window opens and once in
     * its last 0.1 s. A thread that waits, runnable, for a CPU reads the tokens that arrive meanwhile
     * late and sends late: on a busy machine that moves TPOT, ITL and a closed loop's throughput,
     * which the dispatch-lag mark ({@link HarnessLimit}) cannot see (it sees late sends only), and
     * TTFT and E2E too. A thread that ended between the two reads is missing, so the figures are
     * lower bounds. Recorded, shown by {@code llmh compare} and warned about beyond {@link
     * #BUSY_MEAN_WAIT_MS}; it decides no verdict.
     *
     * @param seconds the span between the two reads, s: the window's length give or take the reads'
     *     own delays; the denominator of {@code runQueueWaitShare}
     * @param onCpuMs the threads' CPU time over the span, ms, {@code >= 0} (divided by the completed
     *     requests: the harness's CPU per request)
     * @param runQueueWaitMs the time the threads spent runnable, waiting for a CPU, over the span,
     *     ms, summed over the threads, {@code >= 0}
     * @param runQueueWaitShare {@code runQueueWaitMs} over the span, {@code >= 0}: the mean number of
     *     harness threads waiting for a CPU at any instant (above 1 when several wait at once)
     * @param timeslices the times one of the threads was put on a CPU over the span, each after a
     *     wake-up or a preemption; {@link #meanWaitMs()} divides the wait by it
     */
    public record HarnessThreads(
            double seconds, double onCpuMs, double runQueueWaitMs, double runQueueWaitShare, long timeslices) {
        /**
         * How late, on average, a harness thread may run once it is ready ({@link #meanWaitMs()}),
         * ms, before the trial is warned and {@code llmh compare} notes its run: the 1 ms that makes
         * a send late ({@link HarnessLimit}), now for every wake-up. The mean wait per timeslice
         * rather than the share of the window, because the share grows with the rate and the number
         * of threads where the mean does not, and a trial at 1 request/s whose every read waits
         * behind another process has a small share but late reads throughout. Calibrated on the
         * project's 2-core VM (2026-12-07, harness pinned to CPU 0 and the simulator to CPU 1 by
         * {@code --cpu-split}, {@code llmh run} of {@code OpenLoopBenchmarks.poisson{rate=40}} and
         * {@code ClosedLoopBenchmarks.workers{concurrency=8}}, 3 s warmup, 15 s window): 0.11 and
         * 0.31-0.34 ms on the quietest machine available (load 3, other builds at nice 19), 0.38-1.44
         * ms beside other helpers' builds (load 16-19), 0.72 and 1.49 ms with a busy loop on the
         * simulator's core ({@code taskset -c 1}), 2.2-3.9 ms with it on the harness's core
         * ({@code taskset -c 0}). On a quiet machine the open loop's ~100 platform request threads
         * (JDK 17, one per stream) queue behind each other on their one core, which is the 0.3 ms.
         */
        public static final double BUSY_MEAN_WAIT_MS = 1.0;

        /**
         * The figure from the counters' sums ({@link
         * dev.llmharness.runtime.metrics.SchedulerCounters.Delta}), rounded: seconds to the
         * millisecond, milliseconds to the microsecond, the share to 6 decimals.
         *
         * @param spanNanos from the first read to the second, ns, {@code >= 0}
         */
        public static HarnessThreads of(long spanNanos, long onCpuNanos, long runQueueWaitNanos, long timeslices) {
            return new HarnessThreads(
                    Math.round(spanNanos / 1e6) / 1e3,
                    Math.round(onCpuNanos / 1e3) / 1e3,
                    Math.round(runQueueWaitNanos / 1e3) / 1e3,
                    spanNanos <= 0 ? 0.0 : Math.round(1e6 * runQueueWaitNanos / spanNanos) / 1e6,
                    timeslices);
        }

        /**
         * {@code runQueueWaitMs / timeslices}: how late, on average, a harness thread ran once it was
         * ready, ms; {@code null} when no thread ran.
         */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public Double meanWaitMs() {
            return timeslices <= 0 ? null : runQueueWaitMs / timeslices;
        }

        /** Whether the threads waited beyond {@link #BUSY_MEAN_WAIT_MS}. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean busy() {
            Double mean = meanWaitMs();
            return mean != null && mean > BUSY_MEAN_WAIT_MS;
        }

        /**
         * The figure for people: {@code "0.412 ms on average each time one was ready to run, 81.3 ms
         * in all (0.3 % of the 30.0 s window)"}.
         */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public String describe() {
            Double mean = meanWaitMs();
            return String.format(
                    java.util.Locale.ROOT,
                    "%s, %.1f ms in all (%.1f %% of the %.1f s window)",
                    mean == null
                            ? "no thread ran"
                            : String.format(
                                    java.util.Locale.ROOT, "%.3f ms on average each time one was ready to run", mean),
                    runQueueWaitMs,
                    100 * runQueueWaitShare,
                    seconds);
        }
    }

    /**
     * Request accounting for requests whose intended start fell inside the measurement window.
     *
     * @param sent requests started
     * @param completed requests that ended normally
     * @param failed requests that failed, all categories
     * @param cancelled requests still in flight at the drain timeout, or interrupted
     * @param failures failed requests by category key ({@code http_429}, {@code timeout}...)
     * @param delayedStarts open-loop requests that waited for an in-flight slot
     * @param failureMessages why requests failed, by category key, for the categories that had
     *     failures; empty in files written before it existed
     */
    public record Counts(
            long sent,
            long completed,
            long failed,
            long cancelled,
            Map<String, Long> failures,
            long delayedStarts,
            Map<String, FailureMessages> failureMessages) {
        @JsonCreator
        public Counts {
            failureMessages = failureMessages == null ? Map.of() : failureMessages;
        }

        /** Counts without failure messages. */
        public Counts(
                long sent,
                long completed,
                long failed,
                long cancelled,
                Map<String, Long> failures,
                long delayedStarts) {
            this(sent, completed, failed, cancelled, failures, delayedStarts, Map.of());
        }
    }

    /**
     * The distinct failure messages of one category. Per trial, {@code sum(messages[].count) +
     * others} equals the category's count in {@code failures}.
     *
     * @param messages at most 10 distinct messages, most frequent first
     * @param others failed requests of the category whose message is not listed (a bound keeps the
     *     list short whatever the server sends)
     */
    public record FailureMessages(List<FailureMessage> messages, long others) {
        @JsonCreator
        public FailureMessages {
            messages = messages == null ? List.of() : List.copyOf(messages);
        }
    }

    /**
     * One distinct failure message.
     *
     * @param message the message with request-specific numbers and ids replaced by {@code <n>} and
     *     {@code <id>}, so that the failures it groups read as one
     * @param example the first such message as the request reported it
     * @param count failed requests with this message
     */
    public record FailureMessage(String message, String example, long count) {}

    /**
     * Token totals over completed requests. {@code input} and {@code output} are the figures the
     * metrics and throughputs use (the server's count when it reported one, else the harness's);
     * the other fields keep each source apart, {@code null} when no completed request had that
     * figure (and in files written before they existed).
     *
     * @param input prompt tokens: the server's {@code usage.prompt_tokens}, else the intended length
     * @param output generated tokens: the server's {@code usage.completion_tokens}, else counted
     * @param requestedOutput output tokens requested ({@code max_tokens}): the intended output
     * @param source where output counts came from: {@code "usage"} (the server), {@code
     *     "tokenizer"} (counted by the harness), {@code "events"} (one per content event, when no
     *     tokenizer is configured), or {@code "mixed"}
     * @param intendedInput prompt lengths as the workload built them, by the trial's encoding
     * @param serverInput prompt tokens the server reported ({@code usage.prompt_tokens})
     * @param countedOutput output tokens the harness counted itself (it skips a tokenizer once the
     *     server reports usage, so this covers fewer requests than {@code output} then)
     * @param serverOutput output tokens the server reported ({@code usage.completion_tokens})
     * @param serverTokenizer the server tokenizer asked before the trial, e.g. {@code "llama.cpp POST
     *     /tokenize"}, with {@code " (sized)"} when prompts were sized in it ({@code --tokenizer
     *     server}); {@code null} when the server has none
     * @param templateInput of {@code serverInput}, the tokens the chat template added (measured by
     *     the server's messages tokenization, or the server-reported input beyond its own tokenizer's
     *     count of the raw prompts); {@code null} without a server tokenizer
     * @param clientInput prompt tokens the harness counted in the requests as sent (every message's
     *     content, or the prompt text, in the trial's encoding; no chat template); differs from
     *     {@code intendedInput} when the benchmark method adds text or prompts were sized in the
     *     server's tokenizer; {@code null} when not counted (and in files written before it was)
     */
    public record Tokens(
            long input,
            long output,
            long requestedOutput,
            String source,
            Long intendedInput,
            Long serverInput,
            Long countedOutput,
            Long serverOutput,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            String serverTokenizer,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            Long templateInput,

            Long clientInput) {
        @JsonCreator
        public Tokens {}

        /** Totals without the harness's count of the prompts as sent. */
        public Tokens(
                long input,
                long output,
                long requestedOutput,
                String source,
                Long intendedInput,
                Long serverInput,
                Long countedOutput,
                Long serverOutput,
                String serverTokenizer,
                Long templateInput) {
            this(
                    input,
                    output,
                    requestedOutput,
                    source,
                    intendedInput,
                    serverInput,
                    countedOutput,
                    serverOutput,
                    serverTokenizer,
                    templateInput,
                    null);
        }

        /** Totals without the server tokenizer's figures. */
        public Tokens(
                long input,
                long output,
                long requestedOutput,
                String source,
                Long intendedInput,
                Long serverInput,
                Long countedOutput,
                Long serverOutput) {
            this(
                    input,
                    output,
                    requestedOutput,
                    source,
                    intendedInput,
                    serverInput,
                    countedOutput,
                    serverOutput,
                    null,
                    null);
        }

        /** Totals without the per-source figures. */
        public Tokens(long input, long output, long requestedOutput, String source) {
            this(input, output, requestedOutput, source, null, null, null, null);
        }
    }

    /**
     * Rates over the measurement window.
     *
     * @param requestsPerSecond completed requests per second
     * @param outputTokensPerSecond generated tokens per second
     * @param totalTokensPerSecond prompt plus generated tokens per second
     * @param goodputRequestsPerSecond completed requests per second that met every latency SLO,
     *     {@code null} when the trial has none
     */
    public record Throughput(
            double requestsPerSecond,
            double outputTokensPerSecond,
            double totalTokensPerSecond,
            Double goodputRequestsPerSecond) {}

    /**
     * One SLO objective's verdict.
     *
     * @param objective the objective as written, e.g. {@code "ttft p99 <= 2s"} or {@code
     *     "errorRate <= 0.01"}; a label for readers, never parsed back when {@link #metric} is set
     * @param limit the bound, in ms for latencies
     * @param actual the measured value, {@code null} when nothing was measured
     * @param passed whether the trial met it (a missing measurement fails)
     * @param metric the metric bounded, as result files name it ({@code "ttft"}, {@code
     *     "errorRate"}...); {@code null} in files written before it was recorded
     * @param percentile the percentile bounded, in (0, 100), {@code null} for the error rate
     * @param windowSeconds for the per-window objective ({@code metric} {@code "windows"}), the
     *     window length in seconds; then {@code limit} is the smallest acceptable share of windows
     *     that met the other objectives, {@code actual} the share that did, and the objective passes
     *     when {@code actual >= limit}. For the throughput objective ({@code metric} {@code
     *     "requestsPerSecond"}, {@link #onThroughput()}) the window length of its windows. {@code
     *     null} (and left out of the file) for other objectives
     */
    public record SloVerdict(
            String objective,
            double limit,
            Double actual,
            boolean passed,
            String metric,
            Double percentile,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            Integer windowSeconds) {
        /** The metric name of the per-window objective. */
        public static final String WINDOWS = "windows";

        @com.fasterxml.jackson.annotation.JsonCreator
        public SloVerdict {}

        /** A verdict on a latency percentile or the error rate. */
        public SloVerdict(
                String objective, double limit, Double actual, boolean passed, String metric, Double percentile) {
            this(objective, limit, actual, passed, metric, percentile, null);
        }

        /** A verdict without its metric and percentile as fields (as files before they were recorded). */
        public SloVerdict(String objective, double limit, Double actual, boolean passed) {
            this(objective, limit, actual, passed, null, null, null);
        }

        /**
         * A verdict on the share of windows that met the other objectives: {@code actual} is {@code
         * null} when no window had a request end (nothing to judge), which fails.
         */
        public static SloVerdict windows(String objective, double attainment, int seconds, Double actual) {
            return new SloVerdict(
                    objective, attainment, actual, actual != null && actual >= attainment, WINDOWS, null, seconds);
        }

        /** The objective text of a latency bound, {@code "<metric> p<percentile> <= <limit>"}. */
        private static final java.util.regex.Pattern LEGACY_LATENCY =
                java.util.regex.Pattern.compile("(\\w+) p([0-9]+(?:\\.[0-9]+)?) <= .*");

        /** The objective text of the error-rate bound. */
        private static final java.util.regex.Pattern LEGACY_ERROR_RATE =
                java.util.regex.Pattern.compile("errorRate <= .*");

        /**
         * The metric bounded, as result files name it: {@link #metric}, or, in a file written before
         * verdicts carried it, read from the objective's text. The only place that reads the text.
         *
         * @return e.g. {@code "ttft"} or {@code "errorRate"}; {@code null} when neither says
         */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public String boundMetric() {
            if (metric != null || objective == null) {
                return metric;
            }
            java.util.regex.Matcher latency = LEGACY_LATENCY.matcher(objective);
            if (latency.matches()) {
                return latency.group(1).toLowerCase(java.util.Locale.ROOT);
            }
            return LEGACY_ERROR_RATE.matcher(objective).matches() ? Metric.ERROR_RATE.key() : null;
        }

        /**
         * The percentile bounded, in (0, 100): {@link #percentile}, or, in a file written before
         * verdicts carried their metric, read from the objective's text; {@code null} for the error
         * rate and the per-window objective.
         */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public Double boundPercentile() {
            if (metric != null || objective == null) {
                return percentile;
            }
            java.util.regex.Matcher latency = LEGACY_LATENCY.matcher(objective);
            return latency.matches() ? Double.valueOf(latency.group(2)) : null;
        }

        /** Whether this bounds the error rate (a fraction, shown as a percentage). */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean onErrorRate() {
            return Metric.ERROR_RATE.key().equals(boundMetric());
        }

        /** Whether this is the per-window objective. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean perWindow() {
            return WINDOWS.equals(metric);
        }

        /**
         * Whether this is the throughput objective ({@code @Slo(minThroughput)}): {@code metric}
         * {@code requestsPerSecond} with a {@code windowSeconds}; then {@code limit} is the least
         * share of the offered requests each window must complete and {@code actual} the share the
         * window that fell shortest completed ({@link ThroughputFloor}).
         */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean onThroughput() {
            return ThroughputFloor.METRIC.equals(metric) && windowSeconds != null;
        }

        /** Whether {@code limit} and {@code actual} are shares, shown as percentages. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean onShare() {
            return onErrorRate() || perWindow() || onThroughput();
        }

        /**
         * A verdict on the throughput objective from its check: {@code actual} is {@code null} when
         * too few requests were offered to judge (which passes, as {@link ThroughputFloor} says).
         */
        public static SloVerdict throughput(String objective, int seconds, ThroughputFloor.Check check) {
            return new SloVerdict(
                    objective, check.bound(), check.measured(), check.passed(), check.metric(), null, seconds);
        }

        /** A verdict on a latency percentile: {@code "<metric> p<percentile> <= <limit>"}. */
        public static SloVerdict latency(
                String metric, double percentile, String objective, double limitMs, Double actual) {
            return new SloVerdict(objective, limitMs, actual, actual != null && actual <= limitMs, metric, percentile);
        }

        /** A verdict on the error rate: {@code "errorRate <= <max>"}. */
        public static SloVerdict errorRate(double max, Double actual) {
            return new SloVerdict(
                    "errorRate <= " + max, max, actual, actual != null && actual <= max, Metric.ERROR_RATE.key(), null);
        }
    }

    /**
     * One second of the measurement window (from the window start; seconds of the drain follow).
     * Each value is filed under the second in which it was observed; how every field merges is in
     * {@link ResultMerger}. The fields after {@code outputTokens} are {@code null} in files written
     * before they existed.
     *
     * @param second offset from the window start, from {@code 0}
     * @param completed requests that completed in this second
     * @param failed requests that failed in this second
     * @param outputTokens tokens received in this second
     * @param started measured requests whose intended start fell in this second: the offered load
     * @param inFlightMicros the microseconds that measured requests spent between send and end
     *     within this second, summed over the requests: divided by 1,000,000 it is the mean number
     *     of requests in flight over the second (an integer, so that shards add exactly)
     * @param latencies per-second latency histograms by metric ({@code ttft} filed by its first
     *     token, {@code itl} by the end of each gap, {@code e2e} by its last token): nanoseconds,
     *     HdrHistogram compressed V2 in base64 with 2 significant digits, only metrics with a value
     *     in this second
     * @param percentiles p50, p90 and p99 of each of {@code latencies}, milliseconds to the
     *     microsecond, so that a per-second percentile reads without decoding ({@code jq
     *     '.trials[0].timeline[].percentiles.ttft.p99'}): always derived from {@code latencies}
     *     (given {@code null}, they are computed; a file written before they existed reads with
     *     them), never averaged; {@code null} when {@code latencies} is
     */
    public record Interval(
            int second,
            long completed,
            long failed,
            long outputTokens,
            Long started,
            Long inFlightMicros,
            Map<String, String> latencies,
            Map<String, LatencyPercentiles> percentiles) {

        @JsonCreator
        public Interval {
            if (percentiles == null && latencies != null) {
                percentiles = LatencyPercentiles.of(latencies);
            }
        }

        /** A second whose percentiles are computed from {@code latencies}. */
        public Interval(
                int second,
                long completed,
                long failed,
                long outputTokens,
                Long started,
                Long inFlightMicros,
                Map<String, String> latencies) {
            this(second, completed, failed, outputTokens, started, inFlightMicros, latencies, null);
        }

        /** A second with counts only (no offered load, in-flight time or latencies). */
        public Interval(int second, long completed, long failed, long outputTokens) {
            this(second, completed, failed, outputTokens, null, null, null, null);
        }

        /** Mean number of measured requests in flight over this second, or {@code null} if unknown. */
        public Double meanInFlight() {
            return inFlightMicros == null ? null : inFlightMicros / 1e6;
        }
    }

    /**
     * Three percentiles of one per-second latency histogram ({@link Interval#percentiles()}),
     * milliseconds rounded to the microsecond: HdrHistogram's {@code getValueAtPercentile} on the
     * second's histogram (2 significant digits, so within 1 % of the exact sample percentile).
     *
     * @param p50 median, ms
     * @param p90 90th percentile, ms
     * @param p99 99th percentile, ms
     */
    public record LatencyPercentiles(double p50, double p90, double p99) {
        /**
         * The percentiles of each histogram of {@code latencies}, by metric in name order. A
         * histogram that does not decode is left out: {@link ResultChecks} names it when the file
         * is read, and an empty one has no percentiles.
         */
        static Map<String, LatencyPercentiles> of(Map<String, String> latencies) {
            Map<String, LatencyPercentiles> out = new java.util.TreeMap<>();
            for (Map.Entry<String, String> e : latencies.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    continue;
                }
                org.HdrHistogram.Histogram h;
                try {
                    h = dev.llmharness.runtime.metrics.Histograms.decode(e.getValue());
                } catch (IllegalArgumentException bad) {
                    continue;
                }
                if (h.getTotalCount() > 0) {
                    out.put(e.getKey(), new LatencyPercentiles(ms(h, 50), ms(h, 90), ms(h, 99)));
                }
            }
            return java.util.Collections.unmodifiableMap(out);
        }

        private static double ms(org.HdrHistogram.Histogram h, double percentile) {
            return Math.round(h.getValueAtPercentile(percentile) / 1e3) / 1e3;
        }
    }
}
