package dev.llmharness.runtime.compare;

import dev.llmharness.runtime.metrics.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to compare.
 *
 * @param seed seed of every resampling; the same inputs and seed give the same report
 * @param resamples bootstrap replicates per metric, at least 200
 * @param confidence two-sided confidence level of the intervals, in (0.5, 1), e.g. 0.95
 * @param metrics figures reported, in order (see {@link #DEFAULT_METRICS}); gated metrics and
 *     metrics with a threshold are added when missing
 * @param gate the figures whose REGRESSION fails the comparison in every trial, or {@code null} to
 *     gate by each trial's load model ({@link #OPEN_LOOP_GATE}, {@link #CLOSED_LOOP_GATE})
 * @param thresholds noise thresholds overriding the defaults, by metric name: a fraction of the
 *     base value for ratios ({@code 0.15} = 15 %), an absolute difference for {@code errorRate}
 *     ({@code 0.01} = 1 percentage point)
 * @param strict whether differing environments make the comparison incomparable (exit code 3)
 *     rather than a warning
 * @param mixedRuns whether the runs of one side may differ in their environment (server, simulator
 *     options, model, harness, load): a warning then, not an input error ({@code --allow-mixed-runs})
 */
public record CompareOptions(
        long seed,
        int resamples,
        double confidence,
        List<String> metrics,
        Set<String> gate,
        Map<String, Double> thresholds,
        boolean strict,
        boolean mixedRuns) {

    /** Figures reported by default. */
    public static final List<String> DEFAULT_METRICS = List.of(
            MetricKey.name(Metric.TTFT, 50),
            MetricKey.name(Metric.TTFT, 90),
            MetricKey.name(Metric.TTFT, 99),
            MetricKey.name(Metric.ITL, 50),
            MetricKey.name(Metric.ITL, 99),
            MetricKey.name(Metric.TPOT, 50),
            MetricKey.name(Metric.TPOT, 90),
            MetricKey.name(Metric.TPOT, 99),
            MetricKey.name(Metric.E2E, 50),
            MetricKey.name(Metric.E2E, 99),
            MetricKey.OUTPUT_TOKENS_PER_SECOND,
            MetricKey.REQUESTS_PER_SECOND,
            MetricKey.ERROR_RATE);

    /**
     * What an open-loop trial gates by default: latencies and errors. Its throughput follows the
     * offered rate, not the server, so it cannot show a slower server. The median and p90 are
     * percentiles a default-length trial can decide (p99 needs at least 370 requests a side).
     */
    public static final Set<String> OPEN_LOOP_GATE = Set.of(
            MetricKey.name(Metric.TTFT, 50),
            MetricKey.name(Metric.TTFT, 90),
            MetricKey.name(Metric.TPOT, 50),
            MetricKey.name(Metric.TPOT, 90),
            MetricKey.ERROR_RATE);

    /** What a closed-loop trial gates by default: the open loop's latencies, plus its throughput. */
    public static final Set<String> CLOSED_LOOP_GATE = Set.of(
            MetricKey.name(Metric.TTFT, 50),
            MetricKey.name(Metric.TTFT, 90),
            MetricKey.name(Metric.TPOT, 50),
            MetricKey.name(Metric.TPOT, 90),
            MetricKey.OUTPUT_TOKENS_PER_SECOND,
            MetricKey.ERROR_RATE);

    /** The gate by load model: {@code null} in {@link #gate()}. */
    public static final Set<String> DEFAULT_GATE = null;

    /** Default resampling seed. */
    public static final long DEFAULT_SEED = 20_240_601L;

    /** Default bootstrap replicates per metric. */
    public static final int DEFAULT_RESAMPLES = 2_000;

    /** Most bootstrap replicates per metric. */
    public static final int MAX_RESAMPLES = 1_000_000;

    /** Default confidence level. */
    public static final double DEFAULT_CONFIDENCE = 0.95;

    public CompareOptions {
        if (resamples < 200) {
            throw new IllegalArgumentException(
                    "resamples must be at least 200 for a stable interval, got " + resamples);
        }
        if (resamples > MAX_RESAMPLES) {
            // Each metric holds its replicates in memory: 10^8 of them ran out of heap with a trace.
            throw new IllegalArgumentException("resamples must be at most " + MAX_RESAMPLES
                    + " (beyond 100000 an interval's ends move by less than its rounding), got " + resamples);
        }
        if (!(confidence > 0.5 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0.5, 1), e.g. 0.95, got " + confidence);
        }
        if (gate != null && gate.isEmpty()) {
            // A gate of nothing can never fail: an empty --gate "$VAR" would pass every comparison.
            throw new IllegalArgumentException("--gate names no metric, so nothing could fail the comparison: give"
                    + " at least one (e.g. --gate ttft.p50,tpot.p50), or --fail-on never to report without failing");
        }
        gate = gate == null ? null : Set.copyOf(new LinkedHashSet<>(gate));
        thresholds = Map.copyOf(thresholds);
        for (String g : gate == null ? CLOSED_LOOP_GATE : gate) {
            MetricKey.parse(g);
        }
        thresholds.forEach((name, value) -> {
            MetricKey.parse(name);
            if (!(value >= 0 && value < 10)) {
                throw new IllegalArgumentException(
                        "threshold of " + name + " must be a fraction >= 0 (e.g. 0.15 or 15%), got " + value);
            }
            if (name.equals(MetricKey.ERROR_RATE) && value >= 1) {
                // A difference of two rates is at most 100 points: such a threshold turns the gate off.
                throw new IllegalArgumentException("threshold of errorRate is a difference in percentage points,"
                        + " below 100% (e.g. 1% for one point), got " + value);
            }
        });
        List<String> all = new ArrayList<>();
        for (String m : metrics) {
            MetricKey.parse(m);
            if (!all.contains(m)) {
                all.add(m);
            }
        }
        for (String m :
                (gate == null ? CLOSED_LOOP_GATE : gate).stream().sorted().toList()) {
            if (!all.contains(m)) {
                all.add(m);
            }
        }
        for (String m : thresholds.keySet().stream().sorted().toList()) {
            if (!all.contains(m)) {
                all.add(m);
            }
        }
        metrics = List.copyOf(all);
    }

    /** Options whose sides' runs must share one environment ({@code mixedRuns} false). */
    public CompareOptions(
            long seed,
            int resamples,
            double confidence,
            List<String> metrics,
            Set<String> gate,
            Map<String, Double> thresholds,
            boolean strict) {
        this(seed, resamples, confidence, metrics, gate, thresholds, strict, false);
    }

    /** The defaults: seed {@value #DEFAULT_SEED}, 2000 resamples, 95 % intervals, not strict. */
    public static CompareOptions defaults() {
        return new CompareOptions(
                DEFAULT_SEED, DEFAULT_RESAMPLES, DEFAULT_CONFIDENCE, DEFAULT_METRICS, DEFAULT_GATE, Map.of(), false);
    }

    public CompareOptions withSeed(long newSeed) {
        return new CompareOptions(newSeed, resamples, confidence, metrics, gate, thresholds, strict, mixedRuns);
    }

    public CompareOptions withResamples(int newResamples) {
        return new CompareOptions(seed, newResamples, confidence, metrics, gate, thresholds, strict, mixedRuns);
    }

    public CompareOptions withConfidence(double newConfidence) {
        return new CompareOptions(seed, resamples, newConfidence, metrics, gate, thresholds, strict, mixedRuns);
    }

    public CompareOptions withGate(Set<String> newGate) {
        return new CompareOptions(seed, resamples, confidence, metrics, newGate, thresholds, strict, mixedRuns);
    }

    public CompareOptions withStrict(boolean newStrict) {
        return new CompareOptions(seed, resamples, confidence, metrics, gate, thresholds, newStrict, mixedRuns);
    }

    public CompareOptions withMixedRuns(boolean allowed) {
        return new CompareOptions(seed, resamples, confidence, metrics, gate, thresholds, strict, allowed);
    }

    /** These options with one more threshold (a fraction, or absolute for {@code errorRate}). */
    public CompareOptions withThreshold(String metric, double threshold) {
        Map<String, Double> t = new LinkedHashMap<>(thresholds);
        t.put(metric, threshold);
        return new CompareOptions(seed, resamples, confidence, metrics, gate, t, strict, mixedRuns);
    }

    /**
     * Whether a metric gates a trial of the given load model ({@code "open"} or {@code "closed"}):
     * the {@link #gate()} given, else the load model's default.
     */
    public boolean gates(String metric, String loadModel) {
        if (gate != null) {
            return gate.contains(metric);
        }
        return ("closed".equals(loadModel) ? CLOSED_LOOP_GATE : OPEN_LOOP_GATE).contains(metric);
    }

    /** The threshold applied to a metric: the override, else the metric's default. */
    public double thresholdOf(String metric) {
        Double t = thresholds.get(metric);
        return t != null ? t : MetricKey.parse(metric).defaultThreshold();
    }
}
