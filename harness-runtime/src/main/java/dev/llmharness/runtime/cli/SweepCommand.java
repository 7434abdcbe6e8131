package dev.llmharness.runtime.cli;

import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.capacity.CapacityCurve;
import dev.llmharness.runtime.capacity.PointRunner;
import dev.llmharness.runtime.capacity.Points;
import dev.llmharness.runtime.capacity.SloSearch;
import dev.llmharness.runtime.capacity.SweepPoint;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.run.TargetResolver;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmh sweep}: one trial at a series of open-loop rates, and the knee read from them (see
 * {@link CapacityCurve}); with {@code --search}, a bisection for the highest rate whose SLOs hold
 * (see {@link SloSearch}). Without rates, it first measures the synchronous point (one worker) and
 * the maximum-throughput point ({@code --max-concurrency} workers), then sweeps between them.
 */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        description = {
            "Run one trial at a series of open-loop rates and find the knee; with --search, find the highest"
                    + " rate whose SLOs hold.",
            "Exit codes: 0 done, 1 --search found no rate meeting the SLOs, 2 usage, 3 run error, 130 interrupted."
        })
public final class SweepCommand extends CapacityCommand {
    @Option(
            names = "--rates",
            split = ",",
            paramLabel = "RATE",
            description = "The rates to run, requests/s, e.g. 2,4,8,16.")
    List<Double> rates = new ArrayList<>();

    @Option(names = "--from", description = "Lowest rate, requests/s (with --to).")
    Double from;

    @Option(names = "--to", description = "Highest rate, requests/s (with --from).")
    Double to;

    @Option(
            names = "--points",
            defaultValue = "8",
            description = "Rates between --from and --to (or the measured synchronous and maximum-throughput"
                    + " rates), evenly spaced. Default: 8.")
    int points;

    @Option(
            names = "--max-concurrency",
            defaultValue = "32",
            description = "Workers of the maximum-throughput point, run when no rates are given. Default: 32.")
    int maxConcurrency;

    @Option(names = "--duration", description = "Measurement window of each point, e.g. 30s. Default: the trial's.")
    String duration;

    @Option(names = "--warmup", description = "Warmup of each point: 5s, 20req or none. Default: the trial's.")
    String warmup;

    @Option(
            names = "--search",
            description = "Bisect for the highest rate whose SLOs hold (the trial needs a latency objective).")
    boolean search;

    @Option(
            names = "--precision",
            defaultValue = "10%",
            description = "--search stops when the lowest failing rate is within this of the highest holding"
                    + " one. Default: 10%%.")
    String precision;

    @Option(
            names = "--max-trials",
            defaultValue = "8",
            description = "--search runs at most this many points. Default: 8.")
    int maxTrials;

    public SweepCommand() {}

    /** With the collaborators given (tests). */
    public SweepCommand(
            Supplier<List<BenchmarkSuite>> suites,
            Function<TrialSpec, PromptSource> prompts,
            Supplier<TargetResolver.EmbeddedTarget> simulator,
            Function<TrialSpec, TokenCounter> tokenCounters,
            Function<String, String> environment) {
        super(suites, prompts, simulator, tokenCounters, environment);
    }

    @Override
    String name() {
        return "sweep";
    }

    @Override
    int capacity(Template template, PointRunner runner, PrintStream out) throws Exception {
        checkOptions(template);
        TrialSpec base = phases(template.withSlo());
        out.println("sweep " + template.subject() + (search ? ": SLO search" : ""));
        double low;
        double high;
        if (!rates.isEmpty()) {
            low = rates.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            high = rates.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        } else if (from != null) {
            low = from;
            high = to;
        } else {
            TrialResult sync = runner.run(template.suite(), template.declared(), Points.closed(base, "synchronous", 1));
            if (sync == null) {
                return Llmh.INTERRUPTED;
            }
            print(out, "synchronous (1 worker)", sync);
            TrialResult max = runner.run(
                    template.suite(), template.declared(), Points.closed(base, "throughput", maxConcurrency));
            if (max == null) {
                return Llmh.INTERRUPTED;
            }
            print(out, "throughput (" + maxConcurrency + " workers)", max);
            low = SloSearch.round(sync.throughput().requestsPerSecond(), 3);
            high = SloSearch.round(max.throughput().requestsPerSecond(), 3);
            if (!(low > 0) || !(high > low)) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "the synchronous point reached %.3f req/s and the maximum-throughput point %.3f req/s: no"
                                + " range of rates to sweep; give --rates or --from and --to",
                        sync.throughput().requestsPerSecond(),
                        max.throughput().requestsPerSecond()));
            }
        }
        return search ? search(template, base, runner, out, low, high) : sweep(template, base, runner, out, low, high);
    }

    private int sweep(Template template, TrialSpec base, PointRunner runner, PrintStream out, double low, double high)
            throws Exception {
        List<Double> run = !rates.isEmpty() ? sorted(rates) : spaced(low, high, points);
        List<SweepPoint> done = new ArrayList<>();
        for (double rate : run) {
            TrialResult r = runner.run(template.suite(), template.declared(), Points.atRate(base, rate));
            if (r == null) {
                break;
            }
            print(out, rateLabel(rate), r);
            done.add(SweepPoint.of(r));
        }
        if (!done.isEmpty()) {
            out.println(CapacityCurve.of(template.subject(), done).describe());
        }
        return Llmh.OK;
    }

    private int search(Template template, TrialSpec base, PointRunner runner, PrintStream out, double low, double high)
            throws Exception {
        SloSearch s = new SloSearch(low, high, parsePrecision(), maxTrials);
        for (OptionalDouble next = s.next(); next.isPresent(); next = s.next()) {
            double rate = next.getAsDouble();
            TrialResult r = runner.run(template.suite(), template.declared(), Points.atRate(base, rate));
            if (r == null) {
                return Llmh.INTERRUPTED;
            }
            SweepPoint p = SweepPoint.of(r);
            boolean holds = p.sloPassed() && p.keptUp();
            print(out, rateLabel(rate), r);
            // The measured requests that completed or failed: what the point's verdict was measured on.
            s.record(
                    rate,
                    holds,
                    r.counts() == null
                            ? -1
                            : r.counts().completed() + r.counts().failed());
        }
        out.println(s.describe());
        return s.maxRate().isPresent() ? Llmh.OK : Llmh.SLO_FAILED;
    }

    /**
     * The latency columns of a point's line, named as result files name the metrics ({@link
     * Metric}): the TTFT tail, which an overloaded server's queue raises first, and the median
     * end-to-end latency, which bends at the knee.
     */
    private static final List<Column> COLUMNS = List.of(new Column(Metric.TTFT, 99), new Column(Metric.E2E, 50));

    /** One latency column: a metric at a whole percentile. */
    private record Column(Metric metric, int percentile) {}

    private static void print(PrintStream out, String label, TrialResult r) {
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT,
                "  %-26s achieved %8.2f req/s",
                label,
                r.throughput().requestsPerSecond()));
        if (r.throughput().goodputRequestsPerSecond() != null) {
            b.append(String.format(
                    Locale.ROOT, "  goodput %8.2f req/s", r.throughput().goodputRequestsPerSecond()));
        }
        for (Column c : COLUMNS) {
            MetricResult m = r.metrics().get(c.metric().key());
            Double v = m == null ? null : m.percentile(c.percentile());
            if (v != null) {
                b.append(String.format(
                        Locale.ROOT,
                        "  %s p%d %9.1f %s",
                        c.metric().key(),
                        c.percentile(),
                        v,
                        c.metric().unit()));
            }
        }
        if (!r.slo().isEmpty()) {
            b.append(
                    r.slo().stream().allMatch(TrialResult.SloVerdict::passed)
                            ? "  SLO pass"
                            : "  SLO FAIL: " + missed(r));
        }
        out.println(b);
    }

    /**
     * Why a point failed: each objective it missed with its actual figure, and, when none of its
     * requests completed, what they failed with (a server that fails everything is not a knee).
     */
    static String missed(TrialResult r) {
        StringBuilder b = new StringBuilder();
        for (TrialResult.SloVerdict v : r.slo()) {
            if (!v.passed()) {
                b.append(b.length() == 0 ? "" : ", ")
                        .append(v.objective())
                        .append(" (actual ")
                        .append(dev.llmharness.runtime.report.Analysis.sloActual(v))
                        .append(')');
            }
        }
        TrialResult.Counts c = r.counts();
        if (c.completed() == 0 && c.failed() > 0) {
            b.append("; every request failed (");
            String sep = "";
            for (java.util.Map.Entry<String, Long> f : c.failures().entrySet()) {
                if (f.getValue() > 0) {
                    b.append(sep).append(f.getValue()).append(' ').append(f.getKey());
                    sep = ", ";
                }
            }
            b.append(')');
        }
        return b.toString();
    }

    private static String rateLabel(double rate) {
        return TrialSpec.formatRate(rate) + " req/s";
    }

    /** The window and warmup of every point, from the options. */
    private TrialSpec phases(TrialSpec t) {
        Phase measurement = duration == null
                ? t.measurement()
                : Phase.ofDuration(OptionText.duration(spec, "--duration", duration, false));
        Phase warm = warmup == null ? t.warmup() : parseWarmup();
        return t.with(t.params(), t.load(), warm, measurement, t.slo(), t.seed());
    }

    private Phase parseWarmup() {
        try {
            return RunCommand.parseWarmup(warmup);
        } catch (IllegalArgumentException e) {
            throw OptionText.invalid(
                    spec, "--warmup", warmup, "write a duration (10s), a request count (50req) or none");
        }
    }

    private void checkOptions(Template template) {
        if ((from == null) != (to == null)) {
            throw OptionText.invalid(
                    spec, from == null ? "--to" : "--from", from == null ? to : from, "give --from and --to together");
        }
        if (!rates.isEmpty() && from != null) {
            throw OptionText.invalid(spec, "--rates", rates, "give either --rates or --from and --to");
        }
        for (double r : rates) {
            if (!(r > 0) || Double.isInfinite(r)) {
                throw OptionText.invalid(spec, "--rates", r, "every rate must be finite and > 0 requests/s");
            }
            // Before any point runs: a rate refused at the last point would cost the sweep's others.
            String tooHigh = dev.llmharness.api.Limits.aboveMaxRate("every rate", r);
            if (tooHigh != null) {
                throw OptionText.invalid(spec, "--rates", r, tooHigh);
            }
        }
        if (from != null && !(from > 0 && to > from && !Double.isInfinite(to))) {
            throw OptionText.invalid(spec, "--from", from, "need 0 < --from < --to, got --to " + to);
        }
        if (to != null && to > dev.llmharness.api.Limits.MAX_RATE) {
            throw OptionText.invalid(spec, "--to", to, dev.llmharness.api.Limits.aboveMaxRate("--to", to));
        }
        if (points < 2 || points > 100) {
            throw OptionText.invalid(spec, "--points", points, "give 2 to 100 points");
        }
        if (maxConcurrency < 1) {
            throw OptionText.invalid(spec, "--max-concurrency", maxConcurrency, "give at least 1 worker");
        }
        String tooMany = dev.llmharness.api.Limits.aboveMaxConcurrency("--max-concurrency", maxConcurrency);
        if (tooMany != null) {
            throw OptionText.invalid(spec, "--max-concurrency", maxConcurrency, tooMany);
        }
        if (search) {
            if (rates.size() == 1
                    || (!rates.isEmpty() && rates.stream().distinct().count() < 2)) {
                throw OptionText.invalid(spec, "--rates", rates, "--search needs two different rates to bracket");
            }
            if (maxTrials < 2 || maxTrials > 100) {
                // As --points: a hundred points of a bisection already resolve any rate to a fraction of a
                // per cent, and each costs a whole measurement window.
                throw OptionText.invalid(spec, "--max-trials", maxTrials, "--search needs 2 to 100 trials");
            }
            parsePrecision();
            if (template.withSlo().slo().bounds().isEmpty()) {
                throw new IllegalArgumentException("--search looks for the highest rate whose SLOs hold, and "
                        + template.subject() + " has no latency objective: add @Slo(ttft = \"p99 <= 2s\") to it or"
                        + " give --slo \"ttft p99 <= 2s\"");
            }
        }
        if (duration != null) {
            OptionText.duration(spec, "--duration", duration, false);
        }
    }

    private double parsePrecision() {
        String t = precision.strip();
        try {
            double v =
                    t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
            if (v > 0 && v < 10) {
                return v;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw OptionText.invalid(spec, "--precision", precision, "write a percentage such as 10% (or 0.1)");
    }

    private static List<Double> sorted(List<Double> rates) {
        return rates.stream().distinct().sorted().toList();
    }

    /** {@code n} rates from {@code low} to {@code high}, evenly spaced, 3 significant digits. */
    static List<Double> spaced(double low, double high, int n) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double r = SloSearch.round(low + (high - low) * i / (n - 1), 3);
            if (out.isEmpty() || r > out.get(out.size() - 1)) {
                out.add(r);
            }
        }
        return out;
    }
}
