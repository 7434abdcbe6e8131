package dev.llmharness.runtime.result;

import dev.llmharness.runtime.metrics.Histograms;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A trial's objectives evaluated per window of its timeline: "N % of 10 s windows met the SLO",
 * the stability figure of a soak. The measurement window is cut into whole windows of {@code
 * seconds} from its start (a shorter remainder is left out, unless it is the only window); each
 * window merges the per-second latency histograms of its seconds and checks every latency
 * objective on TTFT, ITL or E2E (the metrics the timeline keeps; objectives on other metrics are
 * left to the whole-trial verdict) and the error-rate objective on its own counts. A window in
 * which no request ended is not counted.
 *
 * @param seconds the window length, seconds
 * @param windows windows in which some request ended
 * @param met windows that met every objective checked
 * @param failedWindows the start second of each window that missed, from the window start
 */
public record WindowSlo(int seconds, int windows, int met, List<Integer> failedWindows) {
    /** The default window: 10 s. */
    public static final int DEFAULT_SECONDS = 10;

    /** The share of windows that met the objectives, 1 when there were none. */
    public double fraction() {
        return windows == 0 ? 1.0 : (double) met / windows;
    }

    /** "9 of 10 windows of 10 s (90 %) met the SLO". */
    public String describe() {
        return String.format(
                java.util.Locale.ROOT,
                "%d of %d windows of %d s (%.0f %%) met the SLO",
                met,
                windows,
                seconds,
                100 * fraction());
    }

    /**
     * The stability figure of a trial that follows a shape over time ({@code load.shape}: a ramp,
     * stages, a step, a spike, a soak, a trace, workers ramped up or in stages) and has objectives a
     * window can judge (a TTFT, ITL or E2E percentile, the error rate): its objectives per window of
     * its per-window objective's length, or of {@link #DEFAULT_SECONDS} when it declares none. A
     * figure, not an objective: it decides no verdict, so that a shape is always read over time
     * ("9 of 10 windows of 10 s (90 %) met the SLO") and not only when {@code @Slo(windows)} asks.
     * Empty for one rate or fixed workers, without such objectives, and when no window had a request
     * end. Computed from the timeline, so a merged result's figure is that of its merged seconds.
     */
    public static java.util.Optional<WindowSlo> figure(TrialResult t) {
        if (t.load() == null
                || t.load().shape() == null
                || t.timeline() == null
                || t.timeline().isEmpty()) {
            return java.util.Optional.empty();
        }
        boolean judged = t.slo().stream().anyMatch(WindowSlo::judgedPerWindow);
        if (!judged) {
            return java.util.Optional.empty();
        }
        int seconds = t.slo().stream()
                .filter(TrialResult.SloVerdict::perWindow)
                .map(TrialResult.SloVerdict::windowSeconds)
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElse(DEFAULT_SECONDS);
        WindowSlo w = of(t, seconds);
        return w.windows() == 0 ? java.util.Optional.empty() : java.util.Optional.of(w);
    }

    /** The metrics whose objectives a window judges: those the timeline keeps histograms of. */
    private static final java.util.Set<String> TIMELINE_METRICS = java.util.Set.of(
            dev.llmharness.runtime.metrics.Metric.TTFT.key(),
            dev.llmharness.runtime.metrics.Metric.ITL.key(),
            dev.llmharness.runtime.metrics.Metric.E2E.key());

    /** Whether {@link #meets} checks this verdict's objective in a window. */
    private static boolean judgedPerWindow(TrialResult.SloVerdict v) {
        if (v.metric() == null || v.perWindow() || v.onThroughput()) {
            return false;
        }
        return v.onErrorRate() || (v.percentile() != null && TIMELINE_METRICS.contains(v.metric()));
    }

    /** Evaluates the trial's objectives (its verdicts name them) per window of {@code seconds}. */
    public static WindowSlo of(TrialResult t, int seconds) {
        return of(t.window(), t.timeline(), t.slo(), seconds);
    }

    /**
     * Evaluates {@code objectives} (the per-window objective among them is left out) per window of
     * {@code seconds} of {@code timeline}.
     */
    public static WindowSlo of(
            TrialResult.WindowInfo window,
            List<TrialResult.Interval> timeline,
            List<TrialResult.SloVerdict> objectives,
            int seconds) {
        if (seconds < 1) {
            throw new IllegalArgumentException("a window lasts at least 1 s, got " + seconds);
        }
        int measured = (int) Math.floor(window.measurementSeconds() + 1e-6);
        int count = Math.max(measured / seconds, measured > 0 ? 1 : 0);
        int windows = 0;
        int met = 0;
        List<Integer> failed = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            int from = w * seconds;
            int to = count == 1 ? Math.max(measured, 1) : from + seconds;
            long completed = 0;
            long errors = 0;
            java.util.Map<String, Histogram> merged = new java.util.HashMap<>();
            for (TrialResult.Interval s : timeline) {
                if (s.second() < from || s.second() >= to) {
                    continue;
                }
                completed += s.completed();
                errors += s.failed();
                Map<String, String> lat = s.latencies();
                if (lat != null) {
                    lat.forEach((metric, encoded) -> {
                        // Auto-resizing, so that any second's range fits.
                        merged.computeIfAbsent(metric, k -> new Histogram(Histograms.TIMELINE_SIGNIFICANT_DIGITS))
                                .add(Histograms.decode(encoded));
                    });
                }
            }
            if (completed + errors == 0) {
                continue;
            }
            windows++;
            if (meets(objectives, merged, completed, errors)) {
                met++;
            } else {
                failed.add(from);
            }
        }
        return new WindowSlo(seconds, windows, met, List.copyOf(failed));
    }

    /**
     * The verdict of a per-window objective on a trial's timeline and its other verdicts: the share
     * of windows that met them, not measured when no window had a request end.
     */
    public static TrialResult.SloVerdict verdict(
            String objective,
            double attainment,
            int seconds,
            TrialResult.WindowInfo window,
            List<TrialResult.Interval> timeline,
            List<TrialResult.SloVerdict> objectives) {
        WindowSlo w = of(window, timeline, objectives, seconds);
        return TrialResult.SloVerdict.windows(objective, attainment, seconds, w.windows() == 0 ? null : w.fraction());
    }

    private static boolean meets(
            List<TrialResult.SloVerdict> objectives, Map<String, Histogram> latencies, long completed, long errors) {
        for (TrialResult.SloVerdict v : objectives) {
            if (v.metric() == null || v.perWindow()) {
                continue;
            }
            if (v.metric().equals("errorRate")) {
                if ((double) errors / (completed + errors) > v.limit()) {
                    return false;
                }
                continue;
            }
            Histogram h = latencies.get(v.metric());
            if (v.percentile() == null || h == null || h.getTotalCount() == 0) {
                continue;
            }
            double ms = h.getValueAtPercentile(v.percentile()) / 1e6;
            if (ms > v.limit()) {
                return false;
            }
        }
        return true;
    }
}
