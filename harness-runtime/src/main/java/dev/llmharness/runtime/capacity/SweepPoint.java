package dev.llmharness.runtime.capacity;

import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.TrialResult;

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
 * @param keptUp whether the server completed what was offered, within chance (see {@link
 *     #keptUp(TrialResult, double)})
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
                keptUp(t, offered));
    }

    private static Double value(TrialResult t, Metric metric, double percentile) {
        MetricResult m = t.metrics().get(metric.key());
        return m == null ? null : m.percentile(percentile);
    }

    /**
     * Whether the completions inside the window reach the offered rate within chance: not short by
     * more than 3 standard deviations of a Poisson count and more than 5 % (the test behind the
     * run's "saturated" warning). Without a warmup nothing completes during the first request's
     * latency, so that time is not expected to complete anything. A window bounded by a request
     * count compares the completed rate with the offered one, with the same 5 %.
     */
    static boolean keptUp(TrialResult t, double offered) {
        double seconds = t.window().measurementSeconds();
        Long completed = t.window().completedInWindow();
        if (completed == null || seconds <= 0) {
            return t.throughput().requestsPerSecond() >= 0.95 * offered;
        }
        double effective = seconds;
        MetricResult e2e = t.metrics().get(Metric.E2E.key());
        if (t.window().warmupSeconds() == 0 && e2e != null && e2e.p50() != null) {
            effective = Math.max(0, seconds - e2e.p50() / 1000);
        }
        double expected = offered * effective;
        return !(completed < expected - 3 * Math.sqrt(expected) && completed < 0.95 * expected);
    }
}
