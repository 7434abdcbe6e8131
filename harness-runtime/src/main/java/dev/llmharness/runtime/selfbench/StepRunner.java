package dev.llmharness.runtime.selfbench;

import dev.llmharness.api.Api;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.Defaults;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.ClosedLoopModel;
import dev.llmharness.api.spi.EndpointSpec;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.ClientTimeouts;
import dev.llmharness.runtime.client.ClientTransport;
import dev.llmharness.runtime.client.HttpClients;
import dev.llmharness.runtime.client.LlmClient;
import dev.llmharness.runtime.client.Target;
import dev.llmharness.runtime.data.PromptSources;
import dev.llmharness.runtime.data.Tokenizers;
import dev.llmharness.runtime.load.ArrivalSchedule;
import dev.llmharness.runtime.load.IdlePriority;
import dev.llmharness.runtime.load.ScheduleCursor;
import dev.llmharness.runtime.metrics.Outcome;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.run.TrialRunner;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import okhttp3.OkHttpClient;

/**
 * Runs one step: one trial of the real engine ({@link TrialRunner}, the same client, load drivers
 * and recorder as {@code llmh run}) against a simulator process, then compares what the harness
 * read with what the simulator wrote.
 */
final class StepRunner {
    /** The benchmark name steps are recorded under. */
    static final String BENCHMARK = "dev.llmharness.runtime.selfbench.SelfBench.chat";

    private static final TokenCounter COUNTER =
            TokenCounter.ofFunction(Tokenizers.forEncoding(Defaults.ENCODING)::count, "tokenizer");

    private final SelfBenchConfig config;
    private final SimSetup setup;
    private final String baseUrl;
    private final long simPid;
    private final PrintStream log;

    StepRunner(SelfBenchConfig config, SimSetup setup, String baseUrl, long simPid, PrintStream log) {
        this.config = config;
        this.setup = setup;
        this.baseUrl = baseUrl;
        this.simPid = simPid;
        this.log = log;
    }

    /** Runs the step at {@code level} (requests/s or concurrency) of {@code load}. */
    StepFigures run(String load, double level) throws InterruptedException {
        boolean open = load.equals("open");
        LoadModel model =
                open ? new OpenLoopModel(config.arrival(), level, 0) : new ClosedLoopModel((int) level, Duration.ZERO);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("sim", setup.label());
        params.put(open ? "rate" : "concurrency", open ? TrialSpec.formatRate(level) : Integer.toString((int) level));
        long requestNanos = setup.requestNanos(config.outputTokens());
        int peak = open ? (int) Math.min(20_000, Math.ceil(level * (requestNanos / 1e9 + 1))) : (int) level;
        TrialRun run = trial(
                model,
                params,
                config.warmup().isZero() ? Phase.NONE : Phase.ofDuration(config.warmup()),
                Phase.ofDuration(config.step()),
                peak);
        return figures(load, level, run);
    }

    /**
     * What one trial left for the figures: its result, its window, every request's timing, the
     * simulator's ground truth of the same requests, and the resources sampled while it ran.
     *
     * @param trialStart {@code nanoTime} of the trial start (schedule offset 0)
     * @param windowStart {@code nanoTime} of the measurement window's start
     * @param windowEnd {@code nanoTime} of its end
     * @param timings every request that ended, warmup ones included
     * @param truth the simulator's records of the trial's requests
     * @param sampler CPU samples over the whole trial (closed: it still answers for any span of it)
     * @param peakThreads most live threads of this JVM during the trial
     * @param connections HTTP connections open at its end
     */
    record TrialRun(
            TrialResult result,
            long trialStart,
            long windowStart,
            long windowEnd,
            List<RequestTiming> timings,
            List<GroundTruthClient.Truth> truth,
            ResourceSampler sampler,
            int peakThreads,
            int connections) {}

    /**
     * Runs one trial of {@code model} against the simulator, with an HTTP client sized for {@code
     * peak} requests in flight, and collects what the figures are made of.
     */
    TrialRun trial(LoadModel model, Map<String, String> params, Phase warmup, Phase measurement, int peak)
            throws InterruptedException {
        long requestNanos = setup.requestNanos(config.outputTokens());
        Duration drain = Duration.ofNanos(Math.max(10_000_000_000L, 2 * requestNanos));
        TrialSpec spec = new TrialSpec(
                BENCHMARK,
                params,
                model,
                warmup,
                measurement,
                drain,
                new ShapeWorkload(
                        ShapePreset.NONE,
                        LengthSpec.fixed(config.inputTokens()),
                        LengthSpec.fixed(config.outputTokens()),
                        0,
                        true,
                        Defaults.ENCODING,
                        null),
                new EndpointSpec(Api.OPENAI_CHAT, baseUrl, "sim-llm", ""),
                SloSpec.NONE,
                config.seed());
        OkHttpClient http = HttpClients.forLoad(peak, ClientTimeouts.defaults());
        // The ground-truth reads stay on OkHttp; the trial's requests go through the chosen transport.
        ClientTransport transport = config.transport().openSharing(http, peak, ClientTimeouts.defaults());
        try {
            GroundTruthClient truthClient = new GroundTruthClient(http, baseUrl);
            truthClient.drain(); // request ids are trial-local indices: start every trial empty
            Target target = new Target(baseUrl, Api.OPENAI_CHAT, "sim-llm", null, null, true);
            LlmClient client = new LlmClient(transport, target, COUNTER, ClientTimeouts.defaults());
            ConcurrentLinkedQueue<RequestTiming> ended = new ConcurrentLinkedQueue<>();
            TrialRunner runner = new TrialRunner(
                            spec,
                            ChatRequest::of,
                            PromptSources.forWorkload(spec.workload(), spec.seed()),
                            client,
                            null,
                            log)
                    // As llmh run: a JFR event per request, a flag test unless a recording enables it.
                    .onRequestEnded(dev.llmharness.runtime.observe.JfrEvents.requests(spec.id(), baseUrl)
                            .andThen(ended::add));
            TrialResult result;
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            threads.resetPeakThreadCount();
            int connections;
            ResourceSampler sampler = new ResourceSampler(simPid);
            try (sampler) {
                // Before every trial: compiler threads the JVM added since are demoted too.
                IdlePriority.demoteCompilerThreads();
                result = runner.run();
                connections = transport.connectionCount();
            }
            List<GroundTruthClient.Truth> truth = truthClient.drain();
            // A timed warmup ends exactly warmup after the trial start (Window), so the start
            // follows from the window's; a counted one is not used here.
            long trialStart = runner.windowStartNanos() - warmup.duration().toNanos();
            return new TrialRun(
                    result,
                    trialStart,
                    runner.windowStartNanos(),
                    runner.windowEndNanos(),
                    List.copyOf(ended),
                    truth,
                    sampler,
                    threads.getPeakThreadCount(),
                    connections);
        } finally {
            transport.close();
            HttpClients.close(http);
        }
    }

    StepFigures figures(String load, double level, TrialRun run) {
        boolean open = load.equals("open");
        int out = config.outputTokens();
        long requestNanos = setup.requestNanos(out);
        double offeredRate;
        double offeredEvents;
        if (open) {
            offeredRate = level;
            offeredEvents = level * out;
        } else if (setup.fixed()) {
            offeredRate = level / (requestNanos / 1e9);
            offeredEvents = offeredRate * out;
        } else {
            offeredRate = Double.NaN;
            offeredEvents = Double.NaN;
        }
        long windowStart = run.windowStart();
        long windowEnd = run.windowEnd();
        double windowSeconds = Math.max(1e-9, (windowEnd - windowStart) / 1e9);
        // The completions the window can hold are those of the arrivals one request duration
        // earlier; the schedule is a pure function of the seed, so they can be counted exactly.
        double scheduledRate = open
                ? scheduledIn(
                                ArrivalSchedule.of(new OpenLoopModel(config.arrival(), level, 0), config.seed()),
                                windowStart - run.trialStart() - requestNanos,
                                windowEnd - run.trialStart() - requestNanos)
                        / windowSeconds
                : offeredRate;
        Matched m = Matched.of(setup, run.timings(), run.truth());
        TrialResult result = run.result();
        MetricResult lag = result.metrics().get("dispatchLag");
        MetricResult build = result.metrics().get("requestBuild");
        // The harness threads' scheduler figures of the window, as llmh run records them: read in
        // the last 0.1 s of the warmup and of the window.
        TrialResult.HarnessThreads sched =
                result.window() == null ? null : result.window().harnessThreads();
        long requests = result.counts().completed();
        return new FigureRow(
                        setup.label(),
                        load,
                        level,
                        offeredRate,
                        result.throughput().requestsPerSecond(),
                        offeredEvents,
                        eventsIn(run.timings(), windowStart, windowEnd) / windowSeconds,
                        orNaN(lag.p50()),
                        orNaN(lag.p99()),
                        orNaN(lag.max()),
                        orNaN(build.p50()),
                        orNaN(build.p99()),
                        run.peakThreads(),
                        loadAverage(),
                        sched == null || requests <= 0 ? Double.NaN : (double) sched.timeslices() / requests,
                        sched == null || requests <= 0 ? Double.NaN : sched.runQueueWaitMs() / requests,
                        result.harnessLimit(),
                        scheduledRate)
                .figures(run, m, windowStart, windowEnd);
    }

    /**
     * How many of {@code schedule}'s arrivals fall in [{@code fromOffset}, {@code toOffset}),
     * nanoseconds after the trial start.
     */
    static long scheduledIn(ArrivalSchedule schedule, long fromOffset, long toOffset) {
        ScheduleCursor cursor = new ScheduleCursor(schedule, 0, 1);
        long n = 0;
        for (long at = cursor.next(); at != ArrivalSchedule.END && at < toOffset; at = cursor.next()) {
            if (at >= fromOffset) {
                n++;
            }
        }
        return n;
    }

    /** Content events read in [from, to), of every request in {@code timings}. */
    static long eventsIn(List<RequestTiming> timings, long from, long to) {
        long events = 0;
        for (RequestTiming t : timings) {
            int n = t.contentEvents();
            for (int i = 0; i < n; i++) {
                long e = t.eventNanos(i);
                if (e >= from && e < to) {
                    events++;
                }
            }
        }
        return events;
    }

    /**
     * The measured requests of a trial matched with the simulator's records of them by request id:
     * the samples the read-lag, send-path and TTFT-error figures are percentiles of (ns).
     *
     * @param ttftError first-token read lag: harness read minus simulator write
     * @param tokenDelay every token: harness read minus simulator write
     * @param simLate fixed-itl: every token of {@code truth}, how late the simulator wrote it
     *     against its own schedule
     * @param sendDelay send path: simulator receipt minus harness send
     * @param itlError every gap: |harness read gap - simulator write gap|
     * @param ttftVsServer the peers' TTFT error: the harness's TTFT minus the simulator's own
     * @param measured measured requests among the timings
     * @param matched of those, found in the ground truth with a first token
     * @param failed of those, failed
     */
    record Matched(
            LongSamples ttftError,
            LongSamples tokenDelay,
            LongSamples simLate,
            LongSamples sendDelay,
            LongSamples itlError,
            LongSamples ttftVsServer,
            long measured,
            long matched,
            long failed) {

        /** Matches the measured requests among {@code timings} with {@code truth}. */
        static Matched of(SimSetup setup, List<RequestTiming> timings, List<GroundTruthClient.Truth> truth) {
            Map<String, GroundTruthClient.Truth> byId = new HashMap<>();
            for (GroundTruthClient.Truth g : truth) {
                if (g.requestId() != null) {
                    byId.put(g.requestId(), g);
                }
            }
            Matched m = new Matched(
                    new LongSamples(),
                    new LongSamples(),
                    new LongSamples(),
                    new LongSamples(),
                    new LongSamples(),
                    new LongSamples(),
                    0,
                    0,
                    0);
            if (setup.fixed()) {
                for (GroundTruthClient.Truth g : truth) {
                    if (g.receivedNanos() == null || g.tokenNanos() == null) {
                        continue;
                    }
                    for (int k = 0; k < g.tokenNanos().length; k++) {
                        long due = g.receivedNanos()
                                + setup.ttft().toNanos()
                                + k * setup.itl().toNanos();
                        m.simLate.add(Math.max(0, g.tokenNanos()[k] - due));
                    }
                }
            }
            long measured = 0;
            long matched = 0;
            long failed = 0;
            for (RequestTiming t : timings) {
                if (!t.measured()) {
                    continue;
                }
                measured++;
                if (t.outcome() == Outcome.FAILED) {
                    failed++;
                }
                GroundTruthClient.Truth g = byId.get(Long.toString(t.index()));
                if (g == null || g.tokenNanos() == null || !t.hasFirstToken() || g.firstTokenNanos() == null) {
                    continue;
                }
                matched++;
                m.ttftError.add(t.firstToken() - g.firstTokenNanos());
                if (g.receivedNanos() != null) {
                    m.sendDelay.add(g.receivedNanos() - t.sent());
                    // The peers' TTFT error: the harness's TTFT minus the server's own.
                    m.ttftVsServer.add(
                            (t.firstToken() - t.intendedStart()) - (g.firstTokenNanos() - g.receivedNanos()));
                }
                int n = Math.min(t.contentEvents(), g.tokenNanos().length);
                for (int i = 0; i < n; i++) {
                    m.tokenDelay.add(t.eventNanos(i) - g.tokenNanos()[i]);
                    if (i > 0) {
                        long read = t.eventNanos(i) - t.eventNanos(i - 1);
                        long written = g.tokenNanos()[i] - g.tokenNanos()[i - 1];
                        m.itlError.add(Math.abs(read - written));
                    }
                }
            }
            return new Matched(
                    m.ttftError,
                    m.tokenDelay,
                    m.simLate,
                    m.sendDelay,
                    m.itlError,
                    m.ttftVsServer,
                    measured,
                    matched,
                    failed);
        }
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .split(" ")[0]);
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }

    /** One line on the console, among the step's. */
    void note(String line) {
        log.println(line);
    }
}
