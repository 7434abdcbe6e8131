package dev.llmharness.runtime.result;

import dev.llmharness.runtime.metrics.FailureCategory;
import dev.llmharness.runtime.metrics.FailureLog;
import dev.llmharness.runtime.metrics.Histograms;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Builds results from synthetic requests, as the engine would: real histograms with the harness's
 * settings, per-second timelines, counts. Deterministic for a seed (java.util.Random and StrictMath
 * give the same numbers on every JVM).
 */
public final class SyntheticResults {
    private SyntheticResults() {}

    /**
     * What to generate for one trial.
     *
     * @param id trial id
     * @param ttftMedianMs median TTFT (lognormal)
     * @param ttftSigma sigma of log TTFT
     * @param itlMedianMs median gap between tokens (lognormal)
     * @param itlSigma sigma of log ITL
     * @param outputTokens tokens per request, >= 2
     * @param requestsPerSecond mean arrival rate (per-second counts vary as Poisson)
     * @param seconds measurement window
     * @param errorProbability chance that a request fails (category http_5xx)
     */
    public record Spec(
            String id,
            double ttftMedianMs,
            double ttftSigma,
            double itlMedianMs,
            double itlSigma,
            int outputTokens,
            double requestsPerSecond,
            int seconds,
            double errorProbability) {

        /** 150 requests/s for 120 s, TTFT median 200 ms, ITL median 20 ms, 13 tokens, no errors. */
        public static Spec of(String id) {
            return new Spec(id, 200, 0.35, 20, 0.3, 13, 150, 120, 0);
        }

        public Spec itlScaled(double factor) {
            return new Spec(
                    id,
                    ttftMedianMs,
                    ttftSigma,
                    itlMedianMs * factor,
                    itlSigma,
                    outputTokens,
                    requestsPerSecond,
                    seconds,
                    errorProbability);
        }

        public Spec ttftScaled(double factor) {
            return new Spec(
                    id,
                    ttftMedianMs * factor,
                    ttftSigma,
                    itlMedianMs,
                    itlSigma,
                    outputTokens,
                    requestsPerSecond,
                    seconds,
                    errorProbability);
        }

        public Spec rate(double perSecond, int windowSeconds) {
            return new Spec(
                    id,
                    ttftMedianMs,
                    ttftSigma,
                    itlMedianMs,
                    itlSigma,
                    outputTokens,
                    perSecond,
                    windowSeconds,
                    errorProbability);
        }

        public Spec errors(double probability) {
            return new Spec(
                    id,
                    ttftMedianMs,
                    ttftSigma,
                    itlMedianMs,
                    itlSigma,
                    outputTokens,
                    requestsPerSecond,
                    seconds,
                    probability);
        }
    }

    /** {@code t} with its SLO verdicts replaced by {@code slo}, everything else as it was. */
    public static TrialResult withSlo(TrialResult t, List<TrialResult.SloVerdict> slo) {
        return edit(t).slo(slo).build();
    }

    /** A copy of {@code t} to change a field or two of: {@code edit(t).timeline(list).build()}. */
    public static TrialEdit edit(TrialResult t) {
        return new TrialEdit(t);
    }

    /**
     * The fields of a trial that tests replace, every other field carried as it was (the one place
     * in the tests that names the record's whole constructor).
     */
    public static final class TrialEdit {
        private final TrialResult t;
        private TrialResult.LoadInfo load;
        private TrialResult.WorkloadInfo workload;
        private long seed;
        private TrialResult.WindowInfo window;
        private TrialResult.Throughput throughput;
        private Map<String, MetricResult> metrics;
        private List<TrialResult.SloVerdict> slo;
        private List<TrialResult.Interval> timeline;
        private Map<String, String> analysis;

        private TrialEdit(TrialResult t) {
            this.t = t;
            this.load = t.load();
            this.workload = t.workload();
            this.seed = t.seed();
            this.window = t.window();
            this.throughput = t.throughput();
            this.metrics = t.metrics();
            this.slo = t.slo();
            this.timeline = t.timeline();
            this.analysis = t.analysis();
        }

        public TrialEdit load(TrialResult.LoadInfo newLoad) {
            this.load = newLoad;
            return this;
        }

        public TrialEdit workload(TrialResult.WorkloadInfo newWorkload) {
            this.workload = newWorkload;
            return this;
        }

        public TrialEdit seed(long newSeed) {
            this.seed = newSeed;
            return this;
        }

        public TrialEdit window(TrialResult.WindowInfo newWindow) {
            this.window = newWindow;
            return this;
        }

        public TrialEdit throughput(TrialResult.Throughput newThroughput) {
            this.throughput = newThroughput;
            return this;
        }

        public TrialEdit metrics(Map<String, MetricResult> newMetrics) {
            this.metrics = newMetrics;
            return this;
        }

        public TrialEdit slo(List<TrialResult.SloVerdict> newSlo) {
            this.slo = newSlo;
            return this;
        }

        public TrialEdit timeline(List<TrialResult.Interval> newTimeline) {
            this.timeline = newTimeline;
            return this;
        }

        public TrialEdit analysis(Map<String, String> newAnalysis) {
            this.analysis = newAnalysis;
            return this;
        }

        public TrialResult build() {
            return new TrialResult(
                    t.id(),
                    t.benchmark(),
                    t.params(),
                    t.api(),
                    t.streamed(),
                    load,
                    workload,
                    seed,
                    window,
                    t.counts(),
                    t.tokens(),
                    throughput,
                    t.errorRate(),
                    metrics,
                    slo,
                    timeline,
                    t.warnings(),
                    t.server(),
                    t.cost(),
                    analysis,
                    t.harnessLimit());
        }
    }

    /**
     * The seed every synthetic trial records, whatever seed drew its requests: the harness records
     * a trial's declared seed, the same in every run of it ({@code llmh.seed} changes it), and a
     * comparison names a difference in it.
     */
    public static final long DECLARED_SEED = 42;

    /** A run of the given trials; trial i draws its requests with seed {@code seed + 1000 i}. */
    public static RunResult run(long seed, Spec... specs) {
        List<TrialResult> trials = new ArrayList<>();
        for (int i = 0; i < specs.length; i++) {
            trials.add(trial(specs[i], seed + 1000L * i));
        }
        return new RunResult(RunResult.SCHEMA_VERSION, runInfo("0/1"), target(), trials, false);
    }

    public static RunInfo runInfo(String shard) {
        return RunInfo.of(
                "0.1.0",
                "0123456789abcdef0123456789abcdef01234567",
                false,
                "2026-01-01T00:00:00Z",
                "bench-1",
                "Linux 6.1 amd64",
                2,
                "Eclipse Adoptium 17.0.15",
                shard);
    }

    public static TargetInfo target() {
        return new TargetInfo("http://127.0.0.1:8000", "OPENAI_CHAT", "llama-3-8b", "b4500", false);
    }

    /** One trial from the spec, its requests drawn with {@code seed}, recording {@link #DECLARED_SEED}. */
    public static TrialResult trial(Spec spec, long seed) {
        Random random = new Random(seed);
        TrialBuilder b = new TrialBuilder(spec.id(), spec.seconds());
        for (int s = 0; s < spec.seconds(); s++) {
            long arrivals = Math.max(
                    0,
                    Math.round(spec.requestsPerSecond() + Math.sqrt(spec.requestsPerSecond()) * random.nextGaussian()));
            for (long r = 0; r < arrivals; r++) {
                if (random.nextDouble() < spec.errorProbability()) {
                    b.failure(s, "http_5xx");
                    continue;
                }
                long ttft = lognormalNanos(random, spec.ttftMedianMs(), spec.ttftSigma());
                long[] gaps = new long[spec.outputTokens() - 1];
                for (int g = 0; g < gaps.length; g++) {
                    gaps[g] = lognormalNanos(random, spec.itlMedianMs(), spec.itlSigma());
                }
                b.request(s, ttft, 20_000 + random.nextInt(80_000), gaps, 256);
            }
        }
        return b.build(DECLARED_SEED);
    }

    private static long lognormalNanos(Random random, double medianMs, double sigma) {
        return Math.round(medianMs * 1_000_000 * StrictMath.exp(sigma * random.nextGaussian()));
    }

    /** Accumulates requests the way the engine's recorders do, then builds the trial. */
    public static final class TrialBuilder {
        private final String id;
        private final int seconds;
        private final Histogram ttft = Histograms.newLatency();
        private final Histogram ttftFromSend = Histograms.newLatency();
        private final Histogram dispatchLag = Histograms.newLatency();
        private final Histogram itl = Histograms.newLatency();
        private final Histogram tpot = Histograms.newLatency();
        private final Histogram e2e = Histograms.newLatency();
        private final Histogram inputTokens = Histograms.newTokens();
        private final Histogram outputTokens = Histograms.newTokens();
        private final TreeMap<Integer, Second> timeline = new TreeMap<>();
        private long completed;
        private long failed;
        private long inputTotal;
        private long outputTotal;
        private final Map<String, Long> failures = new TreeMap<>();
        private final FailureLog failureLog = new FailureLog();
        private final List<TrialResult.SloVerdict> slo = new ArrayList<>();

        public TrialBuilder(String id, int seconds) {
            this.id = id;
            this.seconds = seconds;
        }

        /** A completed request: TTFT and dispatch lag in ns, one gap per token after the first. */
        public TrialBuilder request(int second, long ttftNanos, long lagNanos, long[] gapsNanos, int input) {
            Histograms.recordLatency(ttft, ttftNanos);
            Histograms.recordLatency(ttftFromSend, Math.max(0, ttftNanos - lagNanos));
            Histograms.recordLatency(dispatchLag, lagNanos);
            long sum = 0;
            for (long g : gapsNanos) {
                Histograms.recordLatency(itl, g);
                sum += g;
            }
            if (gapsNanos.length > 0) {
                Histograms.recordLatency(tpot, sum / gapsNanos.length);
            }
            Histograms.recordLatency(e2e, ttftNanos + sum);
            int output = gapsNanos.length + 1;
            inputTokens.recordValue(input);
            outputTokens.recordValue(output);
            completed++;
            inputTotal += input;
            outputTotal += output;
            Second t = timeline.computeIfAbsent(second, s -> new Second());
            t.started++;
            t.completed++;
            t.tokens += output;
            // Synthetic requests live inside their second: the in-flight time is all filed there.
            t.busyMicros += (ttftNanos + sum) / 1000;
            Histograms.recordLatency(t.ttft, ttftNanos);
            Histograms.recordLatency(t.e2e, ttftNanos + sum);
            for (long g : gapsNanos) {
                Histograms.recordLatency(t.itl, g);
            }
            return this;
        }

        public TrialBuilder failure(int second, String category) {
            return failure(second, category, "simulated " + category + " failure");
        }

        /** A failed request of a category key ({@code "timeout"}) with its message. */
        public TrialBuilder failure(int second, String category, String message) {
            for (FailureCategory c : FailureCategory.values()) {
                if (c.key().equals(category)) {
                    failureLog.record(c, message);
                }
            }
            failed++;
            failures.merge(category, 1L, Long::sum);
            Second t = timeline.computeIfAbsent(second, s -> new Second());
            t.started++;
            t.failed++;
            return this;
        }

        /** Adds an SLO verdict as the engine would have evaluated it. */
        public TrialBuilder slo(TrialResult.SloVerdict verdict) {
            slo.add(verdict);
            return this;
        }

        /** One second's figures, as the engine's timeline keeps them. */
        private static final class Second {
            long started;
            long completed;
            long failed;
            long tokens;
            long busyMicros;
            final Histogram ttft = Histograms.newTimelineLatency();
            final Histogram itl = Histograms.newTimelineLatency();
            final Histogram e2e = Histograms.newTimelineLatency();

            TrialResult.Interval toInterval(int second) {
                Map<String, String> latencies = new LinkedHashMap<>();
                put(latencies, "ttft", ttft);
                put(latencies, "itl", itl);
                put(latencies, "e2e", e2e);
                return new TrialResult.Interval(second, completed, failed, tokens, started, busyMicros, latencies);
            }

            private static void put(Map<String, String> latencies, String name, Histogram h) {
                if (h.getTotalCount() > 0) {
                    latencies.put(name, Histograms.encode(h));
                }
            }
        }

        public TrialResult build(long seed) {
            Map<String, MetricResult> metrics = new LinkedHashMap<>();
            metrics.put("ttft", MetricResult.ofLatency(ttft));
            metrics.put("ttftFromSend", MetricResult.ofLatency(ttftFromSend));
            metrics.put("dispatchLag", MetricResult.ofLatency(dispatchLag));
            metrics.put("itl", MetricResult.ofLatency(itl));
            metrics.put("tpot", MetricResult.ofLatency(tpot));
            metrics.put("e2e", MetricResult.ofLatency(e2e));
            metrics.put("inputTokens", MetricResult.ofTokens(inputTokens, Direction.LOWER_IS_BETTER));
            metrics.put("outputTokens", MetricResult.ofTokens(outputTokens, Direction.HIGHER_IS_BETTER));
            List<TrialResult.Interval> intervals = new ArrayList<>();
            timeline.forEach((s, v) -> intervals.add(v.toInterval(s)));
            Double errorRate = completed + failed == 0 ? null : (double) failed / (completed + failed);
            return new TrialResult(
                            id,
                            id.contains("[") ? id.substring(0, id.indexOf('[')) : id,
                            Map.of(),
                            "OPENAI_CHAT",
                            new TrialResult.LoadInfo(
                                    "open", "POISSON", 150.0, 0, null, null, null, 1.0, "open POISSON 150 req/s"),
                            new TrialResult.WorkloadInfo("shape", "CHAT: input 256, output 13", "cl100k_base"),
                            seed,
                            new TrialResult.WindowInfo("2026-01-01T00:00:10Z", 10, seconds, 0.5),
                            new TrialResult.Counts(
                                    completed + failed,
                                    completed,
                                    failed,
                                    0,
                                    failures,
                                    0,
                                    ResultRecords.failureMessages(failureLog.snapshot())),
                            new TrialResult.Tokens(
                                    inputTotal,
                                    outputTotal,
                                    outputTotal,
                                    "usage",
                                    inputTotal,
                                    completed == 0 ? null : inputTotal,
                                    null,
                                    completed == 0 ? null : outputTotal),
                            new TrialResult.Throughput(
                                    (double) completed / seconds,
                                    (double) outputTotal / seconds,
                                    (double) (inputTotal + outputTotal) / seconds,
                                    null),
                            errorRate,
                            metrics,
                            slo,
                            intervals,
                            List.of())
                    // As llmh run decides it, from the lag histogram.
                    .withHarnessLimit(HarnessLimit.of(dispatchLag));
        }
    }
}
