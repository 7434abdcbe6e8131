package dev.llmharness.api.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One trial: one benchmark method with one fixed set of parameters.
 *
 * @param benchmark benchmark name, {@code <fully qualified class>.<method>}
 * @param params trial parameters in declaration order: {@code rate} or {@code concurrency}, then
 *     {@code input} / {@code output} when the token shape lists several values, then the {@code
 *     @Param} fields; values are strings as written (rates without a trailing {@code .0})
 * @param load the load model
 * @param warmup the warmup phase (may be {@link Phase#NONE})
 * @param measurement the measurement window
 * @param drainTimeout wait after the window for requests still in flight, {@code > 0}
 * @param workload synthetic token shape or dataset
 * @param endpoint the server under test (defaults; run-time options override)
 * @param slo objectives ({@link SloSpec#NONE} when none)
 * @param seed the seed of every random choice in the trial
 * @param analysis Automatic Analysis limits of {@code @AnalysisLimits} by name ({@code ttftP90} to
 *     {@code "500ms,2s"}, see {@link AnalysisLimit}); empty for the defaults
 */
public record TrialSpec(
        String benchmark,
        Map<String, String> params,
        LoadModel load,
        Phase warmup,
        Phase measurement,
        java.time.Duration drainTimeout,
        Workload workload,
        EndpointSpec endpoint,
        SloSpec slo,
        long seed,
        Map<String, String> analysis) {

    public TrialSpec {
        Objects.requireNonNull(benchmark, "benchmark");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(measurement, "measurement");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(slo, "slo");
        if (measurement.isEmpty()) {
            throw new IllegalArgumentException("the measurement window must be longer than 0s or count requests");
        }
        if (drainTimeout.isNegative() || drainTimeout.isZero()) {
            throw new IllegalArgumentException("drainTimeout must be > 0, got " + drainTimeout);
        }
        analysis = analysis == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(analysis));
        analysis.forEach(AnalysisLimit::parse);
    }

    /** A trial with the default analysis limits. */
    public TrialSpec(
            String benchmark,
            Map<String, String> params,
            LoadModel load,
            Phase warmup,
            Phase measurement,
            java.time.Duration drainTimeout,
            Workload workload,
            EndpointSpec endpoint,
            SloSpec slo,
            long seed) {
        this(benchmark, params, load, warmup, measurement, drainTimeout, workload, endpoint, slo, seed, Map.of());
    }

    /** This trial with another load, warmup, window, objectives and seed (its other parts kept). */
    public TrialSpec with(
            Map<String, String> params, LoadModel load, Phase warmup, Phase measurement, SloSpec slo, long seed) {
        return new TrialSpec(
                benchmark, params, load, warmup, measurement, drainTimeout, workload, endpoint, slo, seed, analysis);
    }

    /** This trial with another workload (its other parts kept). */
    public TrialSpec withWorkload(Workload other) {
        return new TrialSpec(
                benchmark, params, load, warmup, measurement, drainTimeout, other, endpoint, slo, seed, analysis);
    }

    /** This trial with another endpoint (its other parts kept). */
    public TrialSpec withEndpoint(EndpointSpec other) {
        return new TrialSpec(
                benchmark, params, load, warmup, measurement, drainTimeout, workload, other, slo, seed, analysis);
    }

    /** The benchmark method's simple name (after the last dot of {@link #benchmark()}). */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /**
     * The trial's unique, stable identifier: {@code benchmark} followed by its parameters, e.g.
     * {@code com.example.Chat.chat{rate=2, temperature=0.7}}. Result comparison matches on it.
     */
    public String id() {
        if (params.isEmpty()) {
            return benchmark;
        }
        return params.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", benchmark + "{", "}"));
    }

    /** Formats a rate as trials name it: shortest decimal form, no trailing {@code .0}. */
    public static String formatRate(double rate) {
        return new java.math.BigDecimal(Double.toString(rate))
                .stripTrailingZeros()
                .toPlainString();
    }
}
