package dev.llmharness.runtime.report;

import dev.llmharness.api.DurationText;
import dev.llmharness.runtime.metrics.Metric;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The limits of the Automatic Analysis: every default in one place, each overridable by a system
 * property {@code llmh.analysis.<name>=<warn>,<fail>} (durations for latencies, e.g. {@code
 * -Dllmh.analysis.ttftP90=500ms,2s}; fractions for {@code errorRate}; ratios for {@code
 * saturation}). A value above {@code warn} is a WARNING, above {@code fail} a FAIL. The table is in
 * {@code docs/reports.md}.
 *
 * @param errorRate failed / (completed + failed), fractions in [0, 1]
 * @param latency one check per latency percentile, in report order
 * @param saturation how much the second half of a trial's window (after its ramp) exceeds the first,
 *     in median TTFT or mean in-flight requests (a ratio, 1 = steady)
 */
public record AnalysisThresholds(Limits errorRate, List<LatencyCheck> latency, Limits saturation) {

    /**
     * A warn and a fail limit, inclusive: a value equal to a limit does not exceed it.
     *
     * @param warn above this: WARNING
     * @param fail above this: FAIL ({@code >= warn})
     */
    public record Limits(double warn, double fail) {
        public Limits {
            if (!(warn >= 0) || !(fail >= warn)) {
                throw new IllegalArgumentException(
                        "analysis limits need 0 <= warn <= fail, got warn " + warn + ", fail " + fail);
            }
        }
    }

    /**
     * A latency percentile with its limits.
     *
     * @param name the property suffix and the line's label, e.g. {@code ttftP90}
     * @param metric the result metric, e.g. {@code ttft}
     * @param percentile in (0, 100]
     * @param limitsMs warn and fail limits in milliseconds
     * @param subject how a line names it, e.g. {@code "TTFT p90"}
     */
    public record LatencyCheck(String name, String metric, double percentile, Limits limitsMs, String subject) {}

    /** The documented defaults. */
    public static AnalysisThresholds defaults() {
        return new AnalysisThresholds(
                new Limits(0.01, 0.05),
                List.of(
                        new LatencyCheck("ttftP90", Metric.TTFT.key(), 90, new Limits(1_000, 5_000), "TTFT p90"),
                        new LatencyCheck("itlP99", Metric.ITL.key(), 99, new Limits(100, 500), "ITL p99"),
                        new LatencyCheck(
                                "e2eP90", Metric.E2E.key(), 90, new Limits(10_000, 30_000), "E2E latency p90")),
                new Limits(1.5, 3.0));
    }

    /** The defaults with every {@code llmh.analysis.*} property of {@code properties} applied. */
    public static AnalysisThresholds fromProperties(Properties properties) {
        AnalysisThresholds d = defaults();
        Limits errorRate = ratio(properties, "errorRate", d.errorRate());
        Limits saturation = ratio(properties, "saturation", d.saturation());
        List<LatencyCheck> latency = new ArrayList<>();
        for (LatencyCheck c : d.latency()) {
            String text = properties.getProperty("llmh.analysis." + c.name());
            latency.add(
                    text == null || text.isBlank()
                            ? c
                            : new LatencyCheck(
                                    c.name(), c.metric(), c.percentile(), durations(c.name(), text), c.subject()));
        }
        return new AnalysisThresholds(errorRate, latency, saturation);
    }

    /** The defaults with the JVM's system properties applied. */
    public static AnalysisThresholds fromSystemProperties() {
        return fromProperties(System.getProperties());
    }

    /**
     * These limits with a trial's {@code @AnalysisLimits} (by name, {@code "<warn>,<fail>"}) in
     * place, except those that a {@code llmh.analysis.<name>} property of {@code properties} sets:
     * a run-time override wins over the annotation, as every {@code llmh.*} property does.
     */
    public AnalysisThresholds forTrial(java.util.Map<String, String> limits, Properties properties) {
        if (limits.isEmpty()) {
            return this;
        }
        Limits error = errorRate;
        Limits sat = saturation;
        List<LatencyCheck> lat = new ArrayList<>(latency);
        for (java.util.Map.Entry<String, String> e : limits.entrySet()) {
            String name = e.getKey();
            String property = properties.getProperty("llmh.analysis." + name);
            if (property != null && !property.isBlank()) {
                continue;
            }
            double[] v = dev.llmharness.api.spi.AnalysisLimit.parse(name, e.getValue());
            Limits l = new Limits(v[0], v[1]);
            if (name.equals("errorRate")) {
                error = l;
            } else if (name.equals("saturation")) {
                sat = l;
            } else {
                for (int i = 0; i < lat.size(); i++) {
                    LatencyCheck c = lat.get(i);
                    if (c.name().equals(name)) {
                        lat.set(i, new LatencyCheck(c.name(), c.metric(), c.percentile(), l, c.subject()));
                    }
                }
            }
        }
        return new AnalysisThresholds(error, lat, sat);
    }

    private static Limits ratio(Properties properties, String name, Limits fallback) {
        String text = properties.getProperty("llmh.analysis." + name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String[] parts = split(name, text);
        try {
            return limits(name, Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("llmh.analysis." + name + "=\"" + text
                    + "\": write two numbers, warn and fail, e.g. " + example(name));
        }
    }

    private static Limits durations(String name, String text) {
        String[] parts = split(name, text);
        try {
            Duration warn = DurationText.parse(parts[0]);
            Duration fail = DurationText.parse(parts[1]);
            return limits(name, warn.toNanos() / 1e6, fail.toNanos() / 1e6);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("llmh.analysis." + name + "=\"" + text
                    + "\": write two durations, warn and fail, e.g. " + example(name) + " (" + e.getMessage() + ")");
        }
    }

    private static Limits limits(String name, double warn, double fail) {
        if (!(warn >= 0) || !(fail >= warn)) {
            throw new IllegalArgumentException("llmh.analysis." + name + ": the warn limit (" + warn
                    + ") must be >= 0 and at most the fail limit (" + fail + "), e.g. " + example(name));
        }
        return new Limits(warn, fail);
    }

    private static String[] split(String name, String text) {
        String[] parts = text.strip().split("\\s*,\\s*");
        if (parts.length != 2) {
            throw new IllegalArgumentException("llmh.analysis." + name + "=\"" + text
                    + "\": write the warn and the fail limit separated by a comma, e.g. " + example(name));
        }
        return parts;
    }

    private static String example(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "errorrate" -> "-Dllmh.analysis.errorRate=0.01,0.05";
            case "saturation" -> "-Dllmh.analysis.saturation=1.5,3";
            default -> "-Dllmh.analysis." + name + "=500ms,2s";
        };
    }
}
