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
import dev.llmharness.runtime.client.HttpClients;
import dev.llmharness.runtime.client.LlmClient;
import dev.llmharness.runtime.client.Target;
import dev.llmharness.runtime.data.PromptSources;
import dev.llmharness.runtime.data.Tokenizers;
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
        long requestNanos = setup.requestNanos(config.outputTokens());
        Duration drain = Duration.ofNanos(Math.max(10_000_000_000L, 2 * requestNanos));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("sim", setup.label());
        params.put(open ? "rate" : "concurrency", open ? TrialSpec.formatRate(level) : Integer.toString((int) level));
        TrialSpec spec = new TrialSpec(
                BENCHMARK,
                params,
                model,
                config.warmup().isZero() ? Phase.NONE : Phase.ofDuration(config.warmup()),
                Phase.ofDuration(config.step()),
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
        int peak = open ? (int) Math.min(20_000, Math.ceil(level * (requestNanos / 1e9 + 1))) : (int) level;
        OkHttpClient http = HttpClients.forLoad(peak, ClientTimeouts.defaults());
        try {
            GroundTruthClient truthClient = new GroundTruthClient(http, baseUrl);
            truthClient.drain(); // request ids are trial-local indices: start every step empty
            Target target = new Target(baseUrl, Api.OPENAI_CHAT, "sim-llm", null, null, true);
            LlmClient client = new LlmClient(http, target, COUNTER, ClientTimeouts.defaults());
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
            double harnessCpu;
            double simCpu;
            long heapUsedMax;
            long heapMax;
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            threads.resetPeakThreadCount();
            int connections;
            java.util.concurrent.atomic.AtomicReferenceArray<SchedulerCounters> sched =
                    new java.util.concurrent.atomic.AtomicReferenceArray<>(2);
            Thread schedReader = schedulerReader(runner, sched);
            try (ResourceSampler sampler = new ResourceSampler(simPid)) {
                result = runner.run();
                schedReader.interrupt();
                schedReader.join(1_000);
                connections = http.connectionPool().connectionCount();
                harnessCpu = sampler.harnessCores(runner.windowStartNanos(), runner.windowEndNanos());
                simCpu = sampler.simulatorCores(runner.windowStartNanos(), runner.windowEndNanos());
                heapUsedMax = sampler.heapUsedMax();
                heapMax = sampler.heapMax();
            }
            List<GroundTruthClient.Truth> truth = truthClient.drain();
            SchedulerCounters before = sched.get(0);
            SchedulerCounters after = sched.get(1);
            long requests = result.counts().completed();
            return figures(
                    load,
                    level,
                    result,
                    runner.windowStartNanos(),
                    runner.windowEndNanos(),
                    List.copyOf(ended),
                    truth,
                    harnessCpu,
                    simCpu,
                    heapUsedMax,
                    heapMax,
                    threads.getPeakThreadCount(),
                    connections,
                    before == null || after == null ? Double.NaN : before.switchesPerRequest(after, requests),
                    before == null || after == null
                            ? Double.NaN
                            : before.runQueueWaitMillisPerRequest(after, requests));
        } finally {
            HttpClients.close(http);
        }
    }

    /**
     * Reads the scheduler's counters twice while the trial runs: just before its window (the last
     * 0.1 s of warmup) and just before its end (its last 0.1 s, or the drain's start), while the
     * request threads are alive (the trial
     * ends them after its drain, and a thread's counters die with it). Reading costs about 10 µs
     * per thread, so it stays out of the window.
     */
    private static Thread schedulerReader(
            TrialRunner runner, java.util.concurrent.atomic.AtomicReferenceArray<SchedulerCounters> sched) {
        Thread t = new Thread(
                () -> {
                    try {
                        while (true) {
                            // phaseNow, not progress(): progress snapshots the recorder's histograms,
                            // about 30 ms of CPU a second at this poll rate, inside the measured window.
                            TrialRunner.PhaseNow p = runner.phaseNow();
                            if (p != null) {
                                var phase = p.phase();
                                if (sched.get(0) == null
                                        && (phase == dev.llmharness.runtime.report.ProgressSample.Phase.MEASUREMENT
                                                || phase == dev.llmharness.runtime.report.ProgressSample.Phase.WARMUP
                                                        && p.leftNanos() >= 0
                                                        && p.leftNanos() < 100_000_000L)) {
                                    sched.set(0, SchedulerCounters.read());
                                }
                                if (sched.get(0) != null
                                        && (phase == dev.llmharness.runtime.report.ProgressSample.Phase.DRAIN
                                                || phase
                                                                == dev.llmharness.runtime.report.ProgressSample.Phase
                                                                        .MEASUREMENT
                                                        && p.leftNanos() >= 0
                                                        && p.leftNanos() < 100_000_000L)) {
                                    sched.set(1, SchedulerCounters.read());
                                    return;
                                }
                            }
                            Thread.sleep(ResourceSampler.PERIOD_MILLIS);
                        }
                    } catch (InterruptedException e) {
                        // the trial ended
                    }
                },
                "llmh-selfbench-scheduler");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private StepFigures figures(
            String load,
            double level,
            TrialResult result,
            long windowStart,
            long windowEnd,
            List<RequestTiming> timings,
            List<GroundTruthClient.Truth> truth,
            double harnessCpu,
            double simCpu,
            long heapUsedMax,
            long heapMax,
            int peakThreads,
            int connections,
            double switchesPerRequest,
            double runQueueWaitMillisPerRequest) {
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
        double windowSeconds = Math.max(1e-9, (windowEnd - windowStart) / 1e9);
        long eventsInWindow = 0;
        for (RequestTiming t : timings) {
            int n = t.contentEvents();
            for (int i = 0; i < n; i++) {
                long e = t.eventNanos(i);
                if (e >= windowStart && e < windowEnd) {
                    eventsInWindow++;
                }
            }
        }
        Map<String, GroundTruthClient.Truth> byId = new HashMap<>();
        for (GroundTruthClient.Truth g : truth) {
            if (g.requestId() != null) {
                byId.put(g.requestId(), g);
            }
        }
        LongSamples ttftError = new LongSamples();
        LongSamples tokenDelay = new LongSamples();
        LongSamples simLate = new LongSamples();
        LongSamples sendDelay = new LongSamples();
        LongSamples itlError = new LongSamples();
        LongSamples ttftVsServer = new LongSamples();
        if (setup.fixed()) {
            for (GroundTruthClient.Truth g : truth) {
                if (g.receivedNanos() == null || g.tokenNanos() == null) {
                    continue;
                }
                for (int k = 0; k < g.tokenNanos().length; k++) {
                    long due = g.receivedNanos()
                            + setup.ttft().toNanos()
                            + k * setup.itl().toNanos();
                    simLate.add(Math.max(0, g.tokenNanos()[k] - due));
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
            ttftError.add(t.firstToken() - g.firstTokenNanos());
            if (g.receivedNanos() != null) {
                sendDelay.add(g.receivedNanos() - t.sent());
                // The peers' TTFT error: the harness's TTFT minus the server's own.
                ttftVsServer.add((t.firstToken() - t.intendedStart()) - (g.firstTokenNanos() - g.receivedNanos()));
            }
            int n = Math.min(t.contentEvents(), g.tokenNanos().length);
            for (int i = 0; i < n; i++) {
                tokenDelay.add(t.eventNanos(i) - g.tokenNanos()[i]);
                if (i > 0) {
                    long read = t.eventNanos(i) - t.eventNanos(i - 1);
                    long written = g.tokenNanos()[i] - g.tokenNanos()[i - 1];
                    itlError.add(Math.abs(read - written));
                }
            }
        }
        MetricResult lag = result.metrics().get("dispatchLag");
        MetricResult build = result.metrics().get("requestBuild");
        return new StepFigures(
                setup.label(),
                load,
                level,
                offeredRate,
                result.throughput().requestsPerSecond(),
                offeredEvents,
                eventsInWindow / windowSeconds,
                orNaN(lag.p50()),
                orNaN(lag.p99()),
                orNaN(lag.max()),
                orNaN(build.p50()),
                orNaN(build.p99()),
                harnessCpu,
                simCpu,
                heapUsedMax / (1024.0 * 1024.0),
                heapMax / (1024.0 * 1024.0),
                peakThreads,
                connections,
                ttftError.percentileMillis(50),
                ttftError.percentileMillis(99),
                tokenDelay.percentileMillis(50),
                tokenDelay.percentileMillis(99),
                tokenDelay.percentileMillis(100),
                itlError.percentileMillis(50),
                itlError.percentileMillis(99),
                simLate.percentileMillis(99),
                sendDelay.percentileMillis(50),
                sendDelay.percentileMillis(99),
                loadAverage(),
                measured,
                matched,
                failed,
                ttftVsServer.percentileMillis(50),
                ttftVsServer.percentileMillis(99),
                result.throughput().requestsPerSecond() > 0
                        ? harnessCpu * 1e3 / result.throughput().requestsPerSecond()
                        : Double.NaN,
                switchesPerRequest,
                runQueueWaitMillisPerRequest);
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .split(" ")[0]);
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }
}
