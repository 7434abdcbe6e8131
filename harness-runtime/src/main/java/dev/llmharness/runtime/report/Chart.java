package dev.llmharness.runtime.report;

import java.util.List;

/**
 * One chart of the HTML report, as data: the page's script draws it with uPlot, and tests check
 * what the browser drew against it.
 *
 * @param id unique in the page, e.g. {@code t0-pct-ttft}
 * @param title shown above the chart
 * @param kind {@code "percentile"} (x: {@code 1 / (1 - q)}, log-scaled, labelled as percentiles, as
 *     HdrHistogram's plotter draws them), {@code "cdf"} (x: value, log-scaled; y: fraction at or
 *     below), {@code "time"} (x: seconds from the window start) or {@code "sweep"} (x: offered
 *     requests per second)
 * @param xLabel the x axis's label
 * @param yLabel the y axis's label, with its unit
 * @param x the shared x values, ascending
 * @param series one entry per line, each with one value (or {@code null} for none) per x
 */
public record Chart(
        String id, String title, String kind, String xLabel, String yLabel, List<Double> x, List<Series> series) {

    /**
     * One line.
     *
     * @param label legend text
     * @param input index of the report input it belongs to
     * @param color index into the page's palette: the input's when several inputs share a chart,
     *     the line's own when one input draws several lines
     * @param dash {@code 0} solid, {@code 1} dashed, {@code 2} dotted: distinguishes the lines of
     *     one input when several inputs share a chart (p50, p90, p99), else {@code 0}
     * @param values one per x, {@code null} where the line has no point
     */
    public record Series(String label, int input, int color, int dash, List<Double> values) {}
}
