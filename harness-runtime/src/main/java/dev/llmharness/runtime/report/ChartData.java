package dev.llmharness.runtime.report;

import dev.llmharness.runtime.metrics.Histograms;
import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.TrialResult;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Turns trials into {@link Chart}s: distributions from the stored whole-trial histograms, time
 * series from the per-second timeline. Several inputs of one trial share each chart, one line (or
 * one set of lines) per input. Plotted values keep 4 significant digits, which keeps the page small
 * and is finer than a chart shows.
 */
final class ChartData {
    /** Distribution metrics, in chart order. */
    static final List<String> DISTRIBUTIONS = Stream.of(Metric.TTFT, Metric.ITL, Metric.TPOT, Metric.E2E)
            .map(Metric::key)
            .toList();

    /** Metrics with per-second percentiles, in chart order. */
    static final List<String> PER_SECOND =
            Stream.of(Metric.TTFT, Metric.ITL, Metric.E2E).map(Metric::key).toList();

    /** Percentiles drawn per second. */
    static final double[] SECOND_PERCENTILES = {50, 90, 99};

    /** Points per decade of {@code 1 / (1 - q)} on a percentile chart. */
    static final int PERCENTILE_STEPS_PER_DECADE = 10;

    /** Decades of {@code 1 / (1 - q)} drawn at most: up to the 99.9999th percentile. */
    static final int MAX_PERCENTILE_DECADES = 6;

    /** Points of a CDF chart. */
    static final int CDF_POINTS = 80;

    private static final double NANOS_PER_MILLI = 1e6;

    private ChartData() {}

    /** One input's view of a trial: its label index and the trial, or {@code null} if absent. */
    record Part(int input, String label, TrialResult trial) {}

    /** Every chart of one trial, in page order; {@code prefix} makes the ids unique. */
    static List<Chart> trialCharts(String prefix, List<Part> parts) {
        List<Chart> charts = new ArrayList<>();
        for (String m : DISTRIBUTIONS) {
            charts.add(percentiles(prefix + "pct-" + m, m, parts));
        }
        for (String m : DISTRIBUTIONS) {
            charts.add(cdf(prefix + "cdf-" + m, m, parts));
        }
        int seconds = 0;
        for (Part p : parts) {
            seconds = Math.max(
                    seconds,
                    p.trial().timeline().stream()
                            .mapToInt(i -> i.second() + 1)
                            .max()
                            .orElse(0));
        }
        List<Double> x = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            x.add((double) s);
        }
        charts.add(rates(prefix + "rate", parts, x));
        charts.add(timeSeries(
                prefix + "inflight",
                "Requests in flight (mean per second)",
                "requests",
                parts,
                x,
                List.of(new Line("in flight", TrialResult.Interval::meanInFlight))));
        for (String m : PER_SECOND) {
            List<Line> lines = new ArrayList<>();
            for (int k = 0; k < SECOND_PERCENTILES.length; k++) {
                double q = SECOND_PERCENTILES[k];
                lines.add(new Line(label(q), i -> secondPercentile(i, m, q)));
            }
            charts.add(
                    timeSeries(prefix + "lat-" + m, title(m) + " per second (p50, p90, p99)", "ms", parts, x, lines));
        }
        charts.add(timeSeries(
                prefix + "tokens",
                "Output tokens per second",
                "tokens/s",
                parts,
                x,
                List.of(new Line("output tok/s", i -> (double) i.outputTokens()))));
        charts.addAll(ServerCharts.of(prefix, parts));
        return charts;
    }

    /**
     * The x values of a percentile chart for at most {@code count} values: {@code 1 / (1 - q)} at
     * {@value #PERCENTILE_STEPS_PER_DECADE} steps per decade, from 1 (q = 0) to the first step at
     * or past {@code count} (the maximum), capped at {@value #MAX_PERCENTILE_DECADES} decades.
     */
    static List<Double> percentileAxis(long count) {
        List<Double> x = new ArrayList<>();
        int max = PERCENTILE_STEPS_PER_DECADE * MAX_PERCENTILE_DECADES;
        for (int k = 0; k <= max; k++) {
            double v = Math.pow(10, k / (double) PERCENTILE_STEPS_PER_DECADE);
            x.add(round(v));
            if (v >= count) {
                break;
            }
        }
        return x;
    }

    private static Chart percentiles(String id, String metric, List<Part> parts) {
        long count = 1;
        List<Histogram> histograms = new ArrayList<>();
        for (Part p : parts) {
            Histogram h = histogram(p.trial(), metric);
            histograms.add(h);
            count = Math.max(count, h == null ? 0 : h.getTotalCount());
        }
        List<Double> x = percentileAxis(count);
        List<Chart.Series> series = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Histogram h = histograms.get(i);
            List<Double> values = new ArrayList<>();
            boolean reachedMax = false;
            for (double v : x) {
                if (h == null || h.getTotalCount() == 0 || reachedMax) {
                    values.add(null);
                } else if (v >= h.getTotalCount() || v == x.get(x.size() - 1)) {
                    values.add(ms(h.getMaxValue()));
                    reachedMax = true;
                } else {
                    values.add(ms(h.getValueAtPercentile(100.0 * (1 - 1 / v))));
                }
            }
            series.add(new Chart.Series(
                    parts.get(i).label(), parts.get(i).input(), parts.get(i).input(), 0, values));
        }
        return new Chart(
                id,
                title(metric) + " by percentile",
                "percentile",
                "percentile (log scale of 1 / (1 - q))",
                "ms",
                x,
                series);
    }

    private static Chart cdf(String id, String metric, List<Part> parts) {
        long lo = Long.MAX_VALUE;
        long hi = 0;
        List<Histogram> histograms = new ArrayList<>();
        for (Part p : parts) {
            Histogram h = histogram(p.trial(), metric);
            histograms.add(h);
            if (h != null && h.getTotalCount() > 0) {
                lo = Math.min(lo, Math.max(h.getMinValue(), Histograms.LATENCY_LOWEST_NANOS));
                hi = Math.max(hi, h.getMaxValue());
            }
        }
        List<Double> x = new ArrayList<>();
        if (hi > 0) {
            hi = Math.max(hi, lo);
            double ratio = (double) hi / lo;
            int points = hi == lo ? 1 : CDF_POINTS;
            for (int k = 0; k < points; k++) {
                double v = points == 1 ? lo : lo * Math.pow(ratio, k / (double) (points - 1));
                Double rounded = ms(Math.round(v));
                if (x.isEmpty() || rounded > x.get(x.size() - 1)) {
                    x.add(rounded);
                }
            }
        }
        List<Chart.Series> series = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Histogram h = histograms.get(i);
            List<Double> values = new ArrayList<>();
            for (double v : x) {
                values.add(
                        h == null || h.getTotalCount() == 0
                                ? null
                                : round(h.getPercentileAtOrBelowValue(Math.round(v * NANOS_PER_MILLI)) / 100.0));
            }
            series.add(new Chart.Series(
                    parts.get(i).label(), parts.get(i).input(), parts.get(i).input(), 0, values));
        }
        return new Chart(id, title(metric) + " CDF", "cdf", "ms (log scale)", "fraction at or below", x, series);
    }

    private static Chart rates(String id, List<Part> parts, List<Double> x) {
        List<Line> lines = new ArrayList<>();
        lines.add(new Line("offered/s", i -> i.started() == null ? null : (double) i.started()));
        lines.add(new Line("achieved/s", i -> (double) i.completed()));
        lines.add(new Line("errors/s", i -> (double) i.failed()));
        return timeSeries(id, "Offered and achieved rate, errors", "requests/s", parts, x, lines);
    }

    /** One input's sweep of one name: its label index and its curve. */
    record SweepPart(int input, String label, dev.llmharness.runtime.capacity.CapacityCurve curve) {}

    /**
     * The two charts of a sweep against the offered rate (x: every rate any input ran): latency
     * (TTFT and E2E, p50 and p99) and throughput (offered, achieved, and goodput when the points
     * have a latency SLO). Several inputs overlay, one colour each.
     */
    static List<Chart> sweepCharts(String prefix, List<SweepPart> parts) {
        java.util.TreeSet<Double> rates = new java.util.TreeSet<>();
        for (SweepPart p : parts) {
            p.curve().points().forEach(pt -> rates.add(pt.offered()));
        }
        List<Double> x = new ArrayList<>(rates);
        List<SweepLine> latency = List.of(
                new SweepLine("TTFT p50", dev.llmharness.runtime.capacity.SweepPoint::ttftP50),
                new SweepLine("TTFT p99", dev.llmharness.runtime.capacity.SweepPoint::ttftP99),
                new SweepLine("E2E p50", dev.llmharness.runtime.capacity.SweepPoint::e2eP50),
                new SweepLine("E2E p99", dev.llmharness.runtime.capacity.SweepPoint::e2eP99));
        List<SweepLine> throughput = new ArrayList<>();
        throughput.add(new SweepLine("achieved/s", dev.llmharness.runtime.capacity.SweepPoint::achieved));
        boolean goodput =
                parts.stream().flatMap(p -> p.curve().points().stream()).anyMatch(pt -> pt.goodput() != null);
        if (goodput) {
            throughput.add(new SweepLine("goodput/s", dev.llmharness.runtime.capacity.SweepPoint::goodput));
        }
        List<Chart.Series> offered = new ArrayList<>();
        offered.add(new Chart.Series("offered/s", 0, parts.size() == 1 ? 2 : 7, 2, new ArrayList<>(x)));
        return List.of(
                new Chart(
                        prefix + "latency",
                        "Latency against the offered rate",
                        "sweep",
                        "offered requests/s",
                        "ms",
                        x,
                        sweepSeries(parts, x, latency, List.of())),
                new Chart(
                        prefix + "throughput",
                        "Achieved rate" + (goodput ? " and goodput" : "") + " against the offered rate",
                        "sweep",
                        "offered requests/s",
                        "requests/s",
                        x,
                        sweepSeries(parts, x, throughput, offered)));
    }

    private record SweepLine(String label, Function<dev.llmharness.runtime.capacity.SweepPoint, Double> value) {}

    private static List<Chart.Series> sweepSeries(
            List<SweepPart> parts, List<Double> x, List<SweepLine> lines, List<Chart.Series> first) {
        List<Chart.Series> series = new ArrayList<>(first);
        for (SweepPart p : parts) {
            Map<Double, dev.llmharness.runtime.capacity.SweepPoint> byRate = new java.util.HashMap<>();
            p.curve().points().forEach(pt -> byRate.put(pt.offered(), pt));
            for (int k = 0; k < lines.size(); k++) {
                List<Double> values = new ArrayList<>();
                for (double r : x) {
                    dev.llmharness.runtime.capacity.SweepPoint pt = byRate.get(r);
                    Double v = pt == null ? null : lines.get(k).value().apply(pt);
                    values.add(v == null ? null : round(v));
                }
                boolean alone = parts.size() == 1;
                String label = alone
                        ? lines.get(k).label()
                        : p.label() + " " + lines.get(k).label();
                series.add(new Chart.Series(label, p.input(), alone ? k : p.input(), alone ? 0 : k % 3, values));
            }
        }
        return series;
    }

    /** One line drawn per input on a time chart. */
    private record Line(String label, Function<TrialResult.Interval, Double> value) {}

    private static Chart timeSeries(
            String id, String title, String unit, List<Part> parts, List<Double> x, List<Line> lines) {
        List<Chart.Series> series = new ArrayList<>();
        for (Part p : parts) {
            Map<Integer, TrialResult.Interval> bySecond = new java.util.HashMap<>();
            p.trial().timeline().forEach(i -> bySecond.put(i.second(), i));
            for (Line line : lines) {
                List<Double> values = new ArrayList<>();
                for (double s : x) {
                    TrialResult.Interval i = bySecond.get((int) s);
                    if (i == null) {
                        i = new TrialResult.Interval((int) s, 0, 0, 0, 0L, 0L, Map.of());
                    }
                    Double v = line.value().apply(i);
                    values.add(v == null ? null : round(v));
                }
                boolean alone = parts.size() == 1;
                String label = alone ? line.label() : p.label() + " " + line.label();
                int k = lines.indexOf(line);
                series.add(new Chart.Series(label, p.input(), alone ? k : p.input(), alone ? 0 : k, values));
            }
        }
        return new Chart(id, title, "time", "seconds from the window start", unit, x, series);
    }

    private static Double secondPercentile(TrialResult.Interval i, String metric, double q) {
        if (i.latencies() == null || i.latencies().get(metric) == null) {
            return null;
        }
        return Histograms.decode(i.latencies().get(metric)).getValueAtPercentile(q) / NANOS_PER_MILLI;
    }

    private static Histogram histogram(TrialResult t, String metric) {
        MetricResult m = t.metrics().get(metric);
        return m == null ? null : m.decodeHistogram();
    }

    static String title(String metric) {
        return Metric.byKey(metric).map(Metric::title).orElse(metric);
    }

    private static String label(double q) {
        return "p" + (q == Math.rint(q) ? String.valueOf((long) q) : String.valueOf(q));
    }

    private static Double ms(long nanos) {
        return round(nanos / NANOS_PER_MILLI);
    }

    /** {@code v} with 4 significant digits. */
    static Double round(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        return new BigDecimal(v).round(new MathContext(4)).doubleValue();
    }
}
