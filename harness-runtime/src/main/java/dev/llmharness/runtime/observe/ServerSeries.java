package dev.llmharness.runtime.observe;

import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.ServerMetrics;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Turns a trial's scrapes into its {@link ServerMetrics}: concepts per scrape, latencies over the window. */
public final class ServerSeries {
    /** Series no concept names beyond this many are left out of the result (with a warning). */
    static final int MAX_OTHER_SERIES = 200;

    private ServerSeries() {}

    /**
     * @param windowStartNanos {@code nanoTime} at which the measurement window started
     * @param windowEndNanos {@code nanoTime} at which it ended
     * @param clientTtft the client's TTFT, to set the server's beside it, or {@code null}
     * @param warnings receives what the reader should know (failed scrapes, series left out)
     */
    public static ServerMetrics build(
            MetricsScraper scraper,
            long windowStartNanos,
            long windowEndNanos,
            MetricResult clientTtft,
            List<String> warnings) {
        return build(scraper.scrapes(), scraper, windowStartNanos, windowEndNanos, clientTtft, warnings);
    }

    static ServerMetrics build(
            List<MetricsScraper.Scrape> scrapes,
            MetricsScraper scraper,
            long windowStartNanos,
            long windowEndNanos,
            MetricResult clientTtft,
            List<String> warnings) {
        List<Double> t = new ArrayList<>();
        Set<String> engines = new LinkedHashSet<>();
        List<Map<String, List<PromText.Sample>>> byName = new ArrayList<>();
        for (MetricsScraper.Scrape s : scrapes) {
            t.add(round((s.nanos() - windowStartNanos) / 1e9, 3));
            Map<String, List<PromText.Sample>> names = new LinkedHashMap<>();
            for (PromText.Sample sample : s.samples()) {
                names.computeIfAbsent(sample.name(), k -> new ArrayList<>()).add(sample);
                String engine = ServerConcept.engineOf(sample.name());
                if (engine != null) {
                    engines.add(engine);
                }
            }
            byName.add(names);
        }
        Set<String> known = new HashSet<>();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        Map<ServerConcept, List<Double>> raw = new LinkedHashMap<>();
        for (ServerConcept c : ServerConcept.values()) {
            known.addAll(c.names());
            List<Double> values = new ArrayList<>();
            boolean seen = false;
            for (Map<String, List<PromText.Sample>> names : byName) {
                Double v = value(c, names);
                seen |= v != null;
                values.add(v);
            }
            if (!seen) {
                continue;
            }
            if (c.kind() == ServerConcept.Kind.COUNTER_RATE) {
                raw.put(c, values);
                values = rates(values, t);
            }
            if (c != ServerConcept.PREFIX_CACHE_HITS && c != ServerConcept.PREFIX_CACHE_QUERIES) {
                series.put(c.key(), values);
            }
        }
        if (!series.containsKey(ServerConcept.PREFIX_CACHE_HIT_RATE.key())
                && raw.containsKey(ServerConcept.PREFIX_CACHE_HITS)
                && raw.containsKey(ServerConcept.PREFIX_CACHE_QUERIES)) {
            series.put(
                    ServerConcept.PREFIX_CACHE_HIT_RATE.key(),
                    ratioOfIncrements(
                            raw.get(ServerConcept.PREFIX_CACHE_HITS), raw.get(ServerConcept.PREFIX_CACHE_QUERIES)));
        }
        for (ServerConcept.Latency l : ServerConcept.Latency.values()) {
            for (String family : l.families()) {
                known.add(family + "_bucket");
                known.add(family + "_sum");
                known.add(family + "_count");
            }
        }
        Map<String, List<Double>> other = new TreeMap<>();
        int leftOut = 0;
        for (int i = 0; i < byName.size(); i++) {
            for (List<PromText.Sample> samples : byName.get(i).values()) {
                for (PromText.Sample s : samples) {
                    if (known.contains(s.name()) || s.name().endsWith("_bucket")) {
                        continue;
                    }
                    String key = s.key();
                    List<Double> values = other.get(key);
                    if (values == null) {
                        if (other.size() >= MAX_OTHER_SERIES) {
                            leftOut++;
                            continue;
                        }
                        values = new ArrayList<>();
                        other.put(key, values);
                    }
                    while (values.size() < i) {
                        values.add(null);
                    }
                    values.add(finite(s.value()));
                }
            }
        }
        other.values().forEach(v -> {
            while (v.size() < byName.size()) {
                v.add(null);
            }
        });
        if (leftOut > 0) {
            warnings.add("server metrics: only the first " + MAX_OTHER_SERIES
                    + " series that no concept names were kept; the others were left out");
        }
        ServerMetrics.ServerLatency ttft =
                latency(ServerConcept.Latency.TTFT, byName, t, (windowEndNanos - windowStartNanos) / 1e9);
        ServerMetrics.ServerLatency e2e =
                latency(ServerConcept.Latency.E2E, byName, t, (windowEndNanos - windowStartNanos) / 1e9);
        ServerMetrics.ServerLatency difference = null;
        if (ttft != null && clientTtft != null && clientTtft.count() > 0) {
            difference = new ServerMetrics.ServerLatency(
                    null,
                    minus(clientTtft.mean(), ttft.mean()),
                    minus(clientTtft.p50(), ttft.p50()),
                    minus(clientTtft.p90(), ttft.p90()),
                    minus(clientTtft.p99(), ttft.p99()));
        }
        if (scraper.failed() > 0) {
            for (String line : scraper.failureLines()) {
                warnings.add("server metrics: " + scraper.failed() + " scrapes failed; " + line);
            }
        }
        List<String> sources = scraper.urls().stream().map(URI::toString).toList();
        return new ServerMetrics(
                sources,
                List.copyOf(engines),
                scraper.interval().toMillis() / 1000.0,
                scrapes.size(),
                scraper.failed(),
                t,
                series,
                other,
                ttft,
                e2e,
                difference);
    }

    private static Double value(ServerConcept c, Map<String, List<PromText.Sample>> names) {
        for (String name : c.names()) {
            List<PromText.Sample> samples = names.get(name);
            if (samples == null || samples.isEmpty()) {
                continue;
            }
            double sum = 0;
            int n = 0;
            for (PromText.Sample s : samples) {
                if (Double.isFinite(s.value())) {
                    sum += s.value() * c.scale();
                    n++;
                }
            }
            if (n == 0) {
                return null;
            }
            return c.kind() == ServerConcept.Kind.GAUGE_MEAN ? sum / n : sum;
        }
        return null;
    }

    /** Per second between consecutive scrapes; {@code null} first, across gaps and counter resets. */
    private static List<Double> rates(List<Double> cumulative, List<Double> t) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < cumulative.size(); i++) {
            Double now = cumulative.get(i);
            Double before = i == 0 ? null : cumulative.get(i - 1);
            double dt = i == 0 ? 0 : t.get(i) - t.get(i - 1);
            out.add(now == null || before == null || dt <= 0 || now < before ? null : round((now - before) / dt, 3));
        }
        return out;
    }

    private static List<Double> ratioOfIncrements(List<Double> hits, List<Double> queries) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            if (i == 0
                    || hits.get(i) == null
                    || hits.get(i - 1) == null
                    || queries.get(i) == null
                    || queries.get(i - 1) == null) {
                out.add(null);
                continue;
            }
            double dq = queries.get(i) - queries.get(i - 1);
            double dh = hits.get(i) - hits.get(i - 1);
            out.add(dq <= 0 || dh < 0 ? null : round(dh / dq, 4));
        }
        return out;
    }

    /**
     * The histogram's increase between the last scrape at or before the window's start (else the
     * first) and the first scrape at or after its end (else the last).
     */
    private static ServerMetrics.ServerLatency latency(
            ServerConcept.Latency l, List<Map<String, List<PromText.Sample>>> byName, List<Double> t, double end) {
        for (String family : l.families()) {
            int from = -1;
            int to = -1;
            for (int i = 0; i < byName.size(); i++) {
                if (!byName.get(i).containsKey(family + "_bucket")) {
                    continue;
                }
                if (from < 0 || t.get(i) <= 0) {
                    from = i;
                }
                if (to < 0 || t.get(to) < end) {
                    to = i;
                }
            }
            if (from < 0) {
                continue;
            }
            TreeMap<Double, Double> before =
                    from == to ? new TreeMap<>() : buckets(byName.get(from).get(family + "_bucket"));
            TreeMap<Double, Double> after = buckets(byName.get(to).get(family + "_bucket"));
            TreeMap<Double, Double> delta = new TreeMap<>();
            after.forEach((le, count) -> delta.put(le, count - before.getOrDefault(le, 0.0)));
            double count = delta.isEmpty() ? 0 : delta.lastEntry().getValue();
            double sum = total(byName.get(to).get(family + "_sum"))
                    - (from == to ? 0 : total(byName.get(from).get(family + "_sum")));
            if (count <= 0) {
                return new ServerMetrics.ServerLatency(0L, null, null, null, null);
            }
            return new ServerMetrics.ServerLatency(
                    Math.round(count),
                    round(1000 * sum / count, 3),
                    ms(quantile(delta, 0.50)),
                    ms(quantile(delta, 0.90)),
                    ms(quantile(delta, 0.99)));
        }
        return null;
    }

    /** Cumulative counts by upper bound, summed over label sets other than {@code le}. */
    private static TreeMap<Double, Double> buckets(List<PromText.Sample> samples) {
        TreeMap<Double, Double> out = new TreeMap<>();
        if (samples == null) {
            return out;
        }
        for (PromText.Sample s : samples) {
            String le = s.labels().get("le");
            if (le == null) {
                continue;
            }
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            out.merge(bound, s.value(), Double::sum);
        }
        return out;
    }

    private static double total(List<PromText.Sample> samples) {
        if (samples == null) {
            return 0;
        }
        return samples.stream().mapToDouble(PromText.Sample::value).sum();
    }

    /**
     * Prometheus' {@code histogram_quantile}: linear within the bucket that holds the rank; a rank in
     * the {@code +Inf} bucket answers the highest finite bound.
     */
    static double quantile(TreeMap<Double, Double> cumulative, double q) {
        double total = cumulative.lastEntry().getValue();
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= rank) {
                if (Double.isInfinite(e.getKey())) {
                    return lowerBound;
                }
                double inBucket = e.getValue() - lowerCount;
                return inBucket <= 0
                        ? e.getKey()
                        : lowerBound + (e.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = e.getKey();
            lowerCount = e.getValue();
        }
        return lowerBound;
    }

    private static Double ms(double seconds) {
        return round(seconds * 1000, 3);
    }

    private static Double minus(Double a, Double b) {
        return a == null || b == null ? null : round(a - b, 3);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
