package dev.llmharness.runtime.report;

import dev.llmharness.runtime.result.ServerMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Time charts of the server's own metrics (scraped from its {@code /metrics}), drawn under the
 * client's: requests running and waiting, and KV-cache use. None when no input has server metrics.
 */
final class ServerCharts {
    private ServerCharts() {}

    static List<Chart> of(String prefix, List<ChartData.Part> parts) {
        List<Chart> charts = new ArrayList<>();
        if (parts.stream().noneMatch(p -> p.trial().server() != null)) {
            return charts;
        }
        TreeSet<Double> times = new TreeSet<>();
        for (ChartData.Part p : parts) {
            if (p.trial().server() != null) {
                times.addAll(p.trial().server().t());
            }
        }
        List<Double> x = new ArrayList<>(times);
        Chart requests = chart(
                prefix + "server-requests",
                "Server: requests running and waiting (its /metrics)",
                "requests",
                parts,
                x,
                List.of("running", "waiting"),
                1);
        if (!requests.series().isEmpty()) {
            charts.add(requests);
        }
        Chart kv = chart(
                prefix + "server-kv",
                "Server: KV-cache use (its /metrics)",
                "%",
                parts,
                x,
                List.of("kvCacheUsage", "prefixCacheHitRate", "gpuUtilization"),
                100);
        if (!kv.series().isEmpty()) {
            charts.add(kv);
        }
        return charts;
    }

    private static Chart chart(
            String id,
            String title,
            String unit,
            List<ChartData.Part> parts,
            List<Double> x,
            List<String> concepts,
            double scale) {
        List<Chart.Series> series = new ArrayList<>();
        boolean alone = parts.size() == 1;
        for (ChartData.Part p : parts) {
            ServerMetrics s = p.trial().server();
            if (s == null) {
                continue;
            }
            for (int k = 0; k < concepts.size(); k++) {
                List<Double> values = s.series().get(concepts.get(k));
                if (values == null) {
                    continue;
                }
                List<Double> aligned = new ArrayList<>();
                for (double t : x) {
                    int i = s.t().indexOf(t);
                    Double v = i < 0 ? null : values.get(i);
                    aligned.add(v == null ? null : Math.round(v * scale * 1000) / 1000.0);
                }
                String label = alone ? concepts.get(k) : p.label() + " " + concepts.get(k);
                series.add(new Chart.Series(label, p.input(), alone ? k : p.input(), alone ? 0 : k, aligned));
            }
        }
        return new Chart(id, title, "time", "seconds from the window start", unit, x, series);
    }
}
