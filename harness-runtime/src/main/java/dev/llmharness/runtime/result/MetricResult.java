package dev.llmharness.runtime.result;

import dev.llmharness.runtime.metrics.Histograms;
import dev.llmharness.runtime.metrics.Metric;
import org.HdrHistogram.Histogram;

/**
 * One metric of one trial: its summary and its full histogram.
 *
 * @param unit unit of the summary values: {@code "ms"} for latencies, {@code "tokens"} for counts
 * @param direction which way the metric improves
 * @param count number of recorded values
 * @param min smallest value, {@code null} when {@code count == 0} (likewise for every statistic)
 * @param mean arithmetic mean
 * @param stddev standard deviation
 * @param p50 median
 * @param p90 90th percentile
 * @param p95 95th percentile
 * @param p99 99th percentile
 * @param p999 99.9th percentile
 * @param max largest value
 * @param histogramUnit unit of the values inside {@code histogram}: {@code "ns"} or {@code "tokens"}
 * @param histogram the whole distribution, HdrHistogram compressed V2, base64 (starts with {@code
 *     "HISTF"})
 */
public record MetricResult(
        String unit,
        Direction direction,
        long count,
        Double min,
        Double mean,
        Double stddev,
        Double p50,
        Double p90,
        Double p95,
        Double p99,
        Double p999,
        Double max,
        String histogramUnit,
        String histogram) {

    private static final double NANOS_PER_MILLI = 1_000_000.0;

    /** Summarises a histogram of {@code metric} in the metric's unit and direction. */
    public static MetricResult of(Metric metric, Histogram h) {
        return summarise(metric.unit(), metric.histogramUnit(), metric.direction(), h, metric.histogramScale());
    }

    /** Summarises a latency histogram (nanoseconds) with values in milliseconds. */
    public static MetricResult ofLatency(Histogram nanos) {
        return summarise("ms", "ns", Direction.LOWER_IS_BETTER, nanos, NANOS_PER_MILLI);
    }

    /** Summarises a token-count histogram. */
    public static MetricResult ofTokens(Histogram tokens, Direction direction) {
        return summarise("tokens", "tokens", direction, tokens, 1.0);
    }

    /** Decodes {@link #histogram()}. */
    public Histogram decodeHistogram() {
        return Histograms.decode(histogram);
    }

    /** The value at a percentile in (0, 100], in {@link #unit()}, or {@code null} when empty. */
    public Double percentile(double percentile) {
        if (count == 0) {
            return null;
        }
        double scale = "ns".equals(histogramUnit) ? NANOS_PER_MILLI : 1.0;
        return decodeHistogram().getValueAtPercentile(percentile) / scale;
    }

    private static MetricResult summarise(
            String unit, String histogramUnit, Direction direction, Histogram h, double scale) {
        long n = h.getTotalCount();
        if (n == 0) {
            return new MetricResult(
                    unit,
                    direction,
                    0,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    histogramUnit,
                    Histograms.encode(h));
        }
        return new MetricResult(
                unit,
                direction,
                n,
                h.getMinValue() / scale,
                h.getMean() / scale,
                h.getStdDeviation() / scale,
                h.getValueAtPercentile(50) / scale,
                h.getValueAtPercentile(90) / scale,
                h.getValueAtPercentile(95) / scale,
                h.getValueAtPercentile(99) / scale,
                h.getValueAtPercentile(99.9) / scale,
                h.getMaxValue() / scale,
                histogramUnit,
                Histograms.encode(h));
    }
}
