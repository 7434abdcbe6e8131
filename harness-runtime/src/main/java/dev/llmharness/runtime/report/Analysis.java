package dev.llmharness.runtime.report;

import dev.llmharness.runtime.metrics.Histograms;
import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.TrialResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The Automatic Analysis: PASS / WARNING / FAIL lines per trial for the error rate, latency
 * percentiles, TTFT and saturation, against {@link AnalysisThresholds}.
 *
 * <p>It never contradicts the SLO verdicts. A trial's own objectives decide PASS or FAIL for what
 * they cover: every failed objective is a FAIL line, and a metric (or the error rate) that has an
 * objective is never FAIL on a default limit; when the objective passed, a default limit can only
 * add a WARNING, and when it failed the default check of that metric is left out (the FAIL line
 * says it). Default limits decide alone only where the trial has no objective.
 */
public final class Analysis {
    /** How serious a line is. */
    public enum Level {
        PASS,
        WARNING,
        FAIL
    }

    /**
     * One line.
     *
     * @param level how serious
     * @param trial the trial id
     * @param check what was checked: {@code errorRate}, a latency check name ({@code ttftP90}), an
     *     SLO objective ({@code "slo: ttft p99 <= 2s"}), {@code saturation}, {@code harness}...
     * @param text the line, a sentence with the figures
     */
    public record Finding(Level level, String trial, String check, String text) {
        /** {@code "WARNING  text"}: the level padded so that texts line up. */
        public String line() {
            return String.format(Locale.ROOT, "%-8s %s", level, text);
        }
    }

    /** Seconds of steady state needed before its halves say anything about saturation. */
    static final int MIN_SATURATION_SECONDS = 6;

    private Analysis() {}

    /** The lines of every trial, trial by trial. */
    public static List<Finding> analyse(List<TrialResult> trials, AnalysisThresholds thresholds) {
        List<Finding> all = new ArrayList<>();
        for (TrialResult t : trials) {
            all.addAll(analyse(t, thresholds));
        }
        return all;
    }

    /** The lines of one trial: SLO verdicts, error rate, latency checks, saturation, harness. */
    public static List<Finding> analyse(TrialResult t, AnalysisThresholds thresholds) {
        thresholds = thresholds.forTrial(t.analysis(), System.getProperties());
        List<Finding> out = new ArrayList<>();
        for (TrialResult.SloVerdict v : t.slo()) {
            out.add(new Finding(
                    v.passed() ? Level.PASS : Level.FAIL,
                    t.id(),
                    "slo: " + v.objective(),
                    "SLO " + v.objective() + (v.passed() ? " met" : " missed") + " (actual " + sloActual(v) + ")"));
        }
        errorRate(t, thresholds, out);
        for (AnalysisThresholds.LatencyCheck c : thresholds.latency()) {
            latency(t, c, out);
        }
        saturation(t, thresholds, out);
        harness(t, out);
        return out;
    }

    private static void errorRate(TrialResult t, AnalysisThresholds thresholds, List<Finding> out) {
        TrialResult.SloVerdict slo = sloOn(t, Metric.ERROR_RATE.key());
        if (slo != null && !slo.passed()) {
            return;
        }
        if (t.errorRate() == null) {
            out.add(new Finding(
                    Level.WARNING, t.id(), Metric.ERROR_RATE.key(), "No request completed or failed: no error rate"));
            return;
        }
        double e = t.errorRate();
        AnalysisThresholds.Limits l = thresholds.errorRate();
        Level level = level(e, l, slo != null);
        String figures = percent(e) + (e > l.warn() ? " > " + percent(l.warn()) : " <= " + percent(l.warn()));
        String text = switch (level) {
            case PASS -> "Error rate is acceptable (" + figures + ")";
            case WARNING -> "Error rate is elevated (" + figures + ")" + withinSlo(slo);
            case FAIL -> "Error rate is too high (" + percent(e) + " > " + percent(l.fail()) + ")";
        };
        out.add(new Finding(level, t.id(), Metric.ERROR_RATE.key(), text));
    }

    private static void latency(TrialResult t, AnalysisThresholds.LatencyCheck c, List<Finding> out) {
        MetricResult m = t.metrics().get(c.metric());
        if (m == null || m.count() == 0) {
            return;
        }
        TrialResult.SloVerdict slo = sloOn(t, c.metric());
        if (slo != null && !slo.passed()) {
            return;
        }
        double actual = m.percentile(c.percentile());
        AnalysisThresholds.Limits l = c.limitsMs();
        Level level = level(actual, l, slo != null);
        String text = switch (level) {
            case PASS ->
                c.subject() + (actual <= l.warn() / 2 ? " is excellent (" : " is acceptable (") + millis(actual)
                        + " <= " + millis(l.warn()) + ")";
            case WARNING ->
                c.subject() + " is high (" + millis(actual) + " > " + millis(l.warn()) + ")" + withinSlo(slo);
            case FAIL -> c.subject() + " is too high (" + millis(actual) + " > " + millis(l.fail()) + ")";
        };
        out.add(new Finding(level, t.id(), c.name(), text));
    }

    /**
     * Compares the two halves of the measurement window after its ramp: a server that keeps up
     * holds TTFT and the number in flight steady; one past its capacity queues, and both grow. The
     * ramp is the first {@code ceil(E2E p90)} seconds, during which the measured requests in flight
     * build up from none (the timeline counts measured requests only) whatever the server does.
     */
    private static void saturation(TrialResult t, AnalysisThresholds thresholds, List<Finding> out) {
        int seconds = (int) Math.min(
                Math.floor(t.window().measurementSeconds()), t.timeline().size());
        MetricResult e2e = t.metrics().get(Metric.E2E.key());
        int ramp = e2e == null || e2e.p90() == null ? 0 : (int) Math.ceil(e2e.p90() / 1_000);
        int steady = seconds - ramp;
        if (steady < MIN_SATURATION_SECONDS) {
            return;
        }
        int half = steady / 2;
        List<TrialResult.Interval> first = t.timeline().subList(ramp, ramp + half);
        List<TrialResult.Interval> last = t.timeline().subList(seconds - half, seconds);
        Double ttftRatio = ratio(ttftMedian(last), ttftMedian(first));
        Double inFlightRatio = ratio(meanInFlight(last), meanInFlight(first));
        if (ttftRatio == null && inFlightRatio == null) {
            return;
        }
        double worst = Math.max(ttftRatio == null ? 0 : ttftRatio, inFlightRatio == null ? 0 : inFlightRatio);
        AnalysisThresholds.Limits l = thresholds.saturation();
        Level level = level(worst, l, false);
        String figures = "second half / first half of the window after a " + ramp + " s ramp: median TTFT "
                + (ttftRatio == null ? "n/a" : String.format(Locale.ROOT, "x%.2f", ttftRatio)) + ", in flight "
                + (inFlightRatio == null ? "n/a" : String.format(Locale.ROOT, "x%.2f", inFlightRatio));
        String text = switch (level) {
            case PASS -> "Not saturated: the server kept up with the load (" + figures + ")";
            case WARNING ->
                "Signs of saturation: queueing grew over the window (" + figures + " > x" + fmt(l.warn()) + ")";
            case FAIL ->
                "Saturated: the server fell behind the offered load (" + figures + " > x" + fmt(l.fail()) + ")";
        };
        out.add(new Finding(level, t.id(), "saturation", text));
    }

    private static void harness(TrialResult t, List<Finding> out) {
        if (t.harnessLimited()) {
            out.add(new Finding(
                    Level.WARNING,
                    t.id(),
                    "harness",
                    "Harness-limited: " + t.harnessLimit().describe()
                            + ": the harness, not the server, may be limiting this measurement"));
        }
        if (t.counts().delayedStarts() > 0) {
            out.add(new Finding(
                    Level.WARNING,
                    t.id(),
                    "inFlightCap",
                    t.counts().delayedStarts() + " requests waited for an in-flight slot: the cap, not the"
                            + " arrival schedule, set their start"));
        }
        if (t.counts().cancelled() > 0) {
            out.add(new Finding(
                    Level.WARNING,
                    t.id(),
                    "cancelled",
                    t.counts().cancelled() + " requests were cancelled (still in flight at the drain timeout, or"
                            + " interrupted)"));
        }
    }

    /** The SLO verdict on a metric (any percentile) or on {@code errorRate}; a failed one first. */
    private static TrialResult.SloVerdict sloOn(TrialResult t, String metric) {
        TrialResult.SloVerdict found = null;
        for (TrialResult.SloVerdict v : t.slo()) {
            if (metric.equals(v.boundMetric())) {
                if (!v.passed()) {
                    return v;
                }
                found = v;
            }
        }
        return found;
    }

    /** The level of {@code value} against limits; capped at WARNING where an SLO governs. */
    private static Level level(double value, AnalysisThresholds.Limits l, boolean sloGoverns) {
        if (value > l.fail() && !sloGoverns) {
            return Level.FAIL;
        }
        return value > l.warn() ? Level.WARNING : Level.PASS;
    }

    private static String withinSlo(TrialResult.SloVerdict slo) {
        return slo == null ? "" : ", within the trial's SLO " + slo.objective();
    }

    private static Double ttftMedian(List<TrialResult.Interval> seconds) {
        Histogram sum = null;
        for (TrialResult.Interval i : seconds) {
            String ttft = i.latencies() == null ? null : i.latencies().get(Metric.TTFT.key());
            if (ttft != null) {
                Histogram h = Histograms.decode(ttft);
                if (sum == null) {
                    sum = h;
                } else {
                    sum.add(h);
                }
            }
        }
        return sum == null || sum.getTotalCount() == 0 ? null : (double) sum.getValueAtPercentile(50);
    }

    private static Double meanInFlight(List<TrialResult.Interval> seconds) {
        long micros = 0;
        for (TrialResult.Interval i : seconds) {
            if (i.inFlightMicros() == null) {
                return null;
            }
            micros += i.inFlightMicros();
        }
        return seconds.isEmpty() ? null : micros / 1e6 / seconds.size();
    }

    private static Double ratio(Double late, Double early) {
        return late == null || early == null || early <= 0 ? null : late / early;
    }

    /** Prints a block titled "Automatic Analysis", one line per finding under its trial. */
    public static void print(PrintStream out, List<Finding> findings) {
        out.println();
        out.println("=== Automatic Analysis ===");
        String trial = null;
        for (Finding f : findings) {
            if (!f.trial().equals(trial)) {
                trial = f.trial();
                out.println(trial);
            }
            out.println("   " + f.line());
        }
    }

    /** An objective's actual figure as the reports print it: a percentage or a latency, or "not measured". */
    public static String sloActual(TrialResult.SloVerdict v) {
        if (v.actual() == null) {
            return "not measured";
        }
        return v.onShare() ? percent(v.actual()) : millis(v.actual());
    }

    /** A fraction as a percentage, e.g. {@code 0.7 %}. */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f %%", fraction * 100);
    }

    /** Milliseconds as {@code 123.4 ms} below a second, else {@code 2.46 s}. */
    static String millis(double ms) {
        if (ms >= 1_000) {
            return String.format(Locale.ROOT, "%.2f s", ms / 1_000);
        }
        return ms >= 100 ? String.format(Locale.ROOT, "%.1f ms", ms) : String.format(Locale.ROOT, "%.3f ms", ms);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
