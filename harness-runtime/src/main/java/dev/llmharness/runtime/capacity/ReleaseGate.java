package dev.llmharness.runtime.capacity;

import dev.llmharness.api.spi.ShapedLoadModel;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.result.ThroughputFloor;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.result.WindowSlo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The release-gate preset: a STEP, a SPIKE and a SOAK test of one trial at the rate a release must
 * sustain, each judged by the trial's SLOs over the whole test and over each window, and one
 * verdict with the reasons. At rate {@code R}:
 *
 * <ul>
 *   <li><b>step</b>: R/4, R/2, 3R/4 and R, each for {@code level};
 *   <li><b>spike</b>: R for {@code level}, a jump to {@code spikeFactor × R} for {@code spikeHold},
 *       then R for {@code level};
 *   <li><b>soak</b>: R for {@code soak}.
 * </ul>
 *
 * A test passes when every objective holds over the whole test, at least {@code windowsMet} of its
 * windows of {@code windowSeconds} met the SLO ({@link WindowSlo}), and in each of those windows the
 * server completed at least {@code minThroughput} of the requests offered ({@link ThroughputFloor}):
 * a server that falls behind its release rate fails even while its latency objectives still hold.
 *
 * @param rate R, requests per second
 * @param level each step level, and the time at R around the spike
 * @param spikeFactor the spike's peak over R, {@code >= 1}
 * @param spikeHold the time at the peak
 * @param soak the soak's length
 * @param windowSeconds the window of the per-window evaluation, seconds
 * @param windowsMet the share of windows that must meet the SLO, in (0, 1]
 * @param minThroughput the share of the offered requests each window must complete, in [0, 1]; 0
 *     turns the objective off
 */
public record ReleaseGate(
        double rate,
        Duration level,
        double spikeFactor,
        Duration spikeHold,
        Duration soak,
        int windowSeconds,
        double windowsMet,
        double minThroughput) {

    public ReleaseGate {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("the release rate must be finite and > 0 requests/s, got " + rate);
        }
        if (!(spikeFactor >= 1) || Double.isInfinite(spikeFactor)) {
            throw new IllegalArgumentException(
                    "the spike factor must be >= 1 (the peak over the rate), got " + spikeFactor);
        }
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("a window lasts at least 1 s, got " + windowSeconds);
        }
        if (!(windowsMet > 0 && windowsMet <= 1)) {
            throw new IllegalArgumentException("the share of windows must be in (0, 100 %], got " + windowsMet);
        }
        if (!(minThroughput >= 0 && minThroughput <= 1)) {
            throw new IllegalArgumentException(
                    "the throughput floor must be a share of the offered requests in [0, 100 %], got " + minThroughput);
        }
    }

    /** A gate with the default throughput floor ({@link ThroughputFloor#DEFAULT}). */
    public ReleaseGate(
            double rate,
            Duration level,
            double spikeFactor,
            Duration spikeHold,
            Duration soak,
            int windowSeconds,
            double windowsMet) {
        this(rate, level, spikeFactor, spikeHold, soak, windowSeconds, windowsMet, ThroughputFloor.DEFAULT);
    }

    /** The three tests, in order, made from {@code template} (arrivals as the template's). */
    public List<TrialSpec> trials(TrialSpec template) {
        Points.OpenArrivals a = Points.OpenArrivals.of(template.load());
        ShapedLoadModel step = ShapedLoadModel.steps(
                a.arrival(), a.burstiness(), rate / 4, rate / 4, 4, level, Duration.ZERO, a.maxInFlight());
        ShapedLoadModel spike = ShapedLoadModel.spike(
                a.arrival(),
                a.burstiness(),
                rate,
                rate * spikeFactor,
                level,
                Duration.ZERO,
                spikeHold,
                Duration.ZERO,
                level,
                a.maxInFlight());
        ShapedLoadModel soaked = ShapedLoadModel.soak(a.arrival(), a.burstiness(), rate, soak, a.maxInFlight());
        return List.of(Points.shaped(template, step), Points.shaped(template, spike), Points.shaped(template, soaked));
    }

    /**
     * One test's verdict: its name, whether it passed, why not, its per-window figure and its
     * throughput objective's verdict as fields.
     */
    public record Verdict(
            String test, boolean passed, List<String> reasons, WindowSlo windows, ThroughputFloor.Check throughput) {
        public String line() {
            // A throughput that fell short is among the reasons, with its window and figures.
            return String.format(Locale.ROOT, "  %-5s %s  %s", test, passed ? "PASS" : "FAIL", windows.describe())
                    + (throughput.passed() ? "; " + throughput.describe() : "")
                    + (reasons.isEmpty() ? "" : "; " + String.join("; ", reasons));
        }
    }

    /** The verdict of one test from its result. */
    public Verdict judge(TrialResult t) {
        String test = t.params()
                .getOrDefault(
                        dev.llmharness.api.spi.LoadId.LOAD,
                        t.load() == null ? "?" : t.load().shape());
        List<String> reasons = new ArrayList<>();
        for (TrialResult.SloVerdict v : t.slo()) {
            if (!v.passed()) {
                reasons.add(v.objective() + " missed: " + actual(v));
            }
        }
        WindowSlo w = WindowSlo.of(t, windowSeconds);
        if (w.fraction() < windowsMet) {
            reasons.add(String.format(
                    Locale.ROOT,
                    "%.0f %% of windows met the SLO, %.0f %% required (missed from second%s %s)",
                    100 * w.fraction(),
                    100 * windowsMet,
                    w.failedWindows().size() == 1 ? "" : "s",
                    w.failedWindows().stream()
                            .map(String::valueOf)
                            .reduce((x, y) -> x + ", " + y)
                            .orElse("")));
        }
        ThroughputFloor.Check throughput = ThroughputFloor.judge(t, windowSeconds, minThroughput);
        if (!throughput.passed()) {
            reasons.add(throughput.reason());
        }
        if (t.counts().sent() == 0) {
            reasons.add("no request was measured");
        }
        return new Verdict(test, reasons.isEmpty(), reasons, w, throughput);
    }

    /**
     * What a missed objective measured: a latency in ms, the error rate and the per-window share as
     * percentages (the verdict's fields say which, never its text).
     */
    private static String actual(TrialResult.SloVerdict v) {
        if (v.actual() == null) {
            return "nothing measured";
        }
        return v.onShare()
                ? String.format(Locale.ROOT, "%.2f %%", 100 * v.actual())
                : String.format(Locale.ROOT, "%.4g ms", v.actual());
    }
}
