package dev.llmharness.runtime.capacity;

import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.ThroughputFloor;
import dev.llmharness.runtime.result.TrialResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One point of a rate sweep, read from its trial's result: what was offered, what came back, and
 * whether it held.
 *
 * @param trialId the trial's id
 * @param offered the open-loop rate run, requests per second
 * @param achieved completed requests per second over the window
 * @param goodput requests per second that met every latency SLO, {@code null} without one
 * @param ttftP50 median TTFT, ms, {@code null} when nothing completed
 * @param ttftP99 TTFT p99, ms
 * @param e2eP50 median end-to-end latency, ms
 * @param e2eP99 end-to-end latency p99, ms
 * @param sloPassed whether every objective of the trial was met ({@code true} without objectives)
 * @param keptUp whether the server kept pace with the offered rate, by the release gate's
 *     throughput rule (see {@link #pace(TrialResult, double)})
 */
public record SweepPoint(
        String trialId,
        double offered,
        double achieved,
        Double goodput,
        Double ttftP50,
        Double ttftP99,
        Double e2eP50,
        Double e2eP99,
        boolean sloPassed,
        boolean keptUp) {

    /**
     * The point of an open-loop trial at one constant rate, or {@code null} for any other trial
     * (a shape, a trace, a closed loop): only those lie on a rate axis.
     */
    public static SweepPoint of(TrialResult t) {
        TrialResult.LoadInfo load = t.load();
        if (load == null || !"open".equals(load.model()) || load.shape() != null || load.rate() == null) {
            return null;
        }
        double offered = load.rate();
        return new SweepPoint(
                t.id(),
                offered,
                t.throughput().requestsPerSecond(),
                t.throughput().goodputRequestsPerSecond(),
                value(t, Metric.TTFT, 50),
                value(t, Metric.TTFT, 99),
                value(t, Metric.E2E, 50),
                value(t, Metric.E2E, 99),
                t.slo().stream().allMatch(TrialResult.SloVerdict::passed),
                pace(t, offered).passed());
    }

    private static Double value(TrialResult t, Metric metric, double percentile) {
        MetricResult m = t.metrics().get(metric.key());
        return m == null ? null : m.percentile(percentile);
    }

    /**
     * Whether the server kept pace with the point's rate, by the one rule that decides it ({@link
     * ThroughputFloor}): on the window's seconds after the e2e p90, it completed at least 90 % of
     * the requests offered to them, less one ({@link ThroughputFloor#keptPaceLater}), where the
     * offered are the requests expected to complete there from the per-second intended starts and
     * the point's latency distribution. When those seconds were offered fewer than 10 requests (a
     * short or slow point), its whole window's completions are held against the rate's offer over
     * it ({@link ThroughputFloor#keptPaceOverall}: the offer fixed by the rate, not by the point's
     * latencies, which a saturated point's queue makes long); with fewer than 10 offered in all, it
     * is not judged and passes.
     *
     * <p>Completions only, unlike the saturation warning, which counts a failed request as answered
     * (a server that fails fast is not slow, and its failures have their own warning): a sweep asks
     * for the rate the server serves, and one that sheds load with errors does not serve it, as the
     * gate's throughput objective holds a release to its completions.
     *
     * <p>A result file written before the timeline counted intended starts (before 2026-12-06)
     * has the per-second completions but no per-second offer: its point is judged the same way on
     * the starts its constant rate schedules, {@code ceil(rate × (s + 1)) − ceil(rate × s)} in
     * second s of the window (exact for constant arrivals, the expected count for Poisson ones). A
     * result without a timeline at all is not judged on pace: its point holds or not by its SLOs and
     * latency alone.
     */
    static ThroughputFloor.Check pace(TrialResult t, double offered) {
        double seconds = t.window().measurementSeconds();
        List<TrialResult.Interval> timeline = t.timeline();
        if (!timeline.isEmpty() && timeline.stream().allMatch(s -> s.started() == null)) {
            timeline = scheduled(timeline, offered, seconds);
        }
        ThroughputFloor.Check later = ThroughputFloor.keptPaceLater(timeline, t.metrics(), seconds, false);
        if (later.measured() != null || timeline.isEmpty()) {
            return later; // without a timeline: not judged on pace (below)
        }
        Long completed = t.window().completedInWindow();
        long answered =
                completed != null ? completed : Math.round(t.throughput().requestsPerSecond() * seconds);
        return ThroughputFloor.keptPaceOverall(offered, seconds, t.window().warmupSeconds() > 0, t.metrics(), answered);
    }

    /**
     * An older timeline with the intended starts of a constant {@code rate} over a window of {@code
     * seconds}: request i is due at i / rate, so second s holds those with {@code rate × s <= i <
     * rate × min(s + 1, seconds)}.
     */
    static List<TrialResult.Interval> scheduled(List<TrialResult.Interval> timeline, double rate, double seconds) {
        Map<Integer, TrialResult.Interval> bySecond = new HashMap<>();
        int length = (int) Math.ceil(seconds - 1e-6);
        for (TrialResult.Interval s : timeline) {
            bySecond.put(s.second(), s);
            length = Math.max(length, s.second() + 1);
        }
        List<TrialResult.Interval> out = new ArrayList<>();
        for (int s = 0; s < length; s++) {
            TrialResult.Interval i = bySecond.getOrDefault(s, new TrialResult.Interval(s, 0, 0, 0));
            long started = s < seconds
                    ? (long) (Math.ceil(rate * Math.min(s + 1, seconds) - 1e-9) - Math.ceil(rate * s - 1e-9))
                    : 0;
            out.add(new TrialResult.Interval(
                    s,
                    i.completed(),
                    i.failed(),
                    i.outputTokens(),
                    started,
                    i.inFlightMicros(),
                    i.latencies(),
                    i.percentiles()));
        }
        return out;
    }
}
