package dev.llmharness.runtime.result;

import dev.llmharness.runtime.metrics.Metric;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The objective on throughput of the release gate ({@code --min-throughput}) and of a trial's
 * {@code @Slo(minThroughput)}: in every window of a test, the server completed at least a share
 * ({@code floor}) of the requests offered to it. A server that cannot keep up still
 * answers every request an open loop sends, late, so its latency objectives may hold for a while
 * and a whole-test figure hides the window it fell behind in; this is the gate's "QPS within 75 to
 * 125 % of the target" of a release checklist, judged window by window.
 *
 * <p>A window's <b>achieved</b> count is the requests that completed in it (the timeline's {@code
 * completed}). Its <b>offered</b> count is the requests whose intended start fell in the same
 * window moved back by the test's median end-to-end latency, since a request completes about that
 * long after its intended start: without the shift, the first window of a test without warmup
 * would miss a latency's worth of completions, and long answers would look like a shortfall at any
 * load. Intended starts ({@code started}) are taken as spread evenly over their second.
 *
 * <p>A window is judged when at least {@value #MIN_OFFERED} requests were offered in it: with fewer,
 * one request whose latency is not the median, crossing the window's edge, moves its share by more
 * than 10 %. For the same reason a window falls short only when it completed fewer than {@code floor
 * × offered − 1} requests (one request of slack). When no window has enough requests, the whole
 * test is judged as one window; when even it has fewer, the objective is not judged and passes
 * ({@link Check#measured()} is {@code null}): too few requests for a throughput figure.
 *
 * <p>The same rule, on one stretch of a trial's window and with failed requests counted as
 * answered ({@link #keptPace}), decides whether a trial whose warmup was shorter than its requests
 * fell behind the offered rate or only lost the warmup's completions: its saturation warning.
 */
public final class ThroughputFloor {
    /**
     * The default floor, 90 % of the offered requests in every window: a server that keeps up
     * completes about all of them (the median shift and the slack absorb the edges), one offered 1.1
     * times its capacity completes 91 %, and one offered 1.5 times 67 %. Looser than the sweep's
     * 95 % over a whole trial because a window's edges move a larger share of its requests.
     */
    public static final double DEFAULT = 0.9;

    /** Fewest requests offered in a window for its share to be judged. */
    public static final int MIN_OFFERED = 10;

    /** The metric the objective judges, as result files name it. */
    public static final String METRIC = Metric.REQUESTS_PER_SECOND.key();

    private ThroughputFloor() {}

    /**
     * One test's verdict on the objective, as fields: the window reported is the one that fell
     * shortest (below the floor first, then by share), or the whole test when it was judged as one.
     *
     * @param metric the metric judged, {@value #METRIC}-style (completed requests per second)
     * @param bound the least share of the offered requests each window must complete, in [0, 1]
     * @param measured the share the reported window completed (may exceed 1); {@code null} when the
     *     objective was not judged (too few requests offered)
     * @param passed whether every judged window completed enough, {@code true} when none was judged
     * @param windowStart the reported window's first second from the test's start, {@code null}
     *     when not judged
     * @param windowSeconds the reported window's length, seconds
     * @param offered requests offered in the reported window (a mean, not a whole number)
     * @param achieved requests completed in the reported window (for {@link #keptPace}, answered:
     *     completed or failed)
     */
    public record Check(
            String metric,
            double bound,
            Double measured,
            boolean passed,
            Integer windowStart,
            int windowSeconds,
            double offered,
            long achieved) {

        /** The line of a passing test, e.g. {@code "throughput >= 90 % of offered (lowest 98 %)"}. */
        public String describe() {
            if (measured == null) {
                return String.format(
                        Locale.ROOT,
                        "throughput not judged (%.0f requests offered, fewer than %d)",
                        offered,
                        MIN_OFFERED);
            }
            return String.format(
                    Locale.ROOT, "throughput >= %.0f %% of offered (lowest %.0f %%)", 100 * bound, 100 * measured);
        }

        /** Why a failing test failed, naming the objective, its bound and what was measured. */
        public String reason() {
            return String.format(
                    Locale.ROOT,
                    "throughput (%s) %.0f %% of offered in the window from second %d (%d completed of %.1f offered),"
                            + " at least %.0f %% required",
                    metric,
                    100 * measured,
                    windowStart,
                    achieved,
                    offered,
                    100 * bound);
        }
    }

    /** The verdict on {@code t}'s timeline, cut in windows of {@code seconds} as {@code WindowSlo} cuts it. */
    public static Check judge(TrialResult t, int seconds, double floor) {
        return judge(t.window(), t.timeline(), t.metrics(), seconds, floor);
    }

    /**
     * The verdict on a trial's window, timeline and metrics (its median end-to-end latency), before
     * they are a {@link TrialResult}: what the SLO evaluator and a merge judge.
     */
    public static Check judge(
            TrialResult.WindowInfo window,
            List<TrialResult.Interval> timeline,
            Map<String, MetricResult> metrics,
            int seconds,
            double floor) {
        return judge(window.measurementSeconds(), timeline, lagSeconds(metrics), seconds, floor);
    }

    /**
     * This objective's rule on one stretch of a trial's window that the caller chooses, with failed
     * requests counted as answered: whether the server answered at least {@code floor} of the
     * requests offered to the stretch (moved back by the median end-to-end latency, as {@link
     * #judge} moves a window's), less one request. A server that fails fast kept pace; its failures
     * are the error rate's to judge, not this. The trial's saturation warning asks it of the
     * window's seconds after the e2e p90, when the warmup was shorter than the requests.
     *
     * @param timeline the window's seconds: measured requests' intended starts, completions and
     *     failures
     * @param metrics the trial's metrics, for the median end-to-end latency (none: no shift)
     * @param from the stretch's first second from the window's start, {@code >= 0}
     * @param to the second after its last; a stretch with {@code to <= from} is offered nothing
     * @param floor the least share of the offered requests, in [0, 1]
     * @return the stretch's verdict, {@link Check#achieved()} counting the answered requests; not
     *     judged ({@link Check#measured()} {@code null}, {@link Check#passed()} {@code true}) when
     *     fewer than {@value #MIN_OFFERED} requests were offered to it
     */
    public static Check keptPace(
            List<TrialResult.Interval> timeline, Map<String, MetricResult> metrics, int from, int to, double floor) {
        if (from < 0) {
            throw new IllegalArgumentException("a stretch starts at second 0 or later, got " + from);
        }
        requireShare(floor);
        return window(timeline, lagSeconds(metrics), from, Math.max(from, to), floor, true);
    }

    /** The median end-to-end latency, seconds: how long after its intended start a request completes. */
    private static double lagSeconds(Map<String, MetricResult> metrics) {
        MetricResult e2e = metrics.get(Metric.E2E.key());
        return e2e == null || e2e.p50() == null ? 0 : e2e.p50() / 1000;
    }

    private static void requireShare(double floor) {
        if (!(floor >= 0 && floor <= 1)) {
            throw new IllegalArgumentException("the throughput floor is a share in [0, 1], got " + floor);
        }
    }

    /**
     * The verdict on a timeline.
     *
     * @param measurementSeconds the measurement window's length, seconds
     * @param lagSeconds the median end-to-end latency, seconds, {@code >= 0}
     * @param seconds the window length, {@code >= 1}
     * @param floor the least share of offered requests, in [0, 1]
     */
    static Check judge(
            double measurementSeconds,
            List<TrialResult.Interval> timeline,
            double lagSeconds,
            int seconds,
            double floor) {
        if (seconds < 1) {
            throw new IllegalArgumentException("a window lasts at least 1 s, got " + seconds);
        }
        requireShare(floor);
        int measured = (int) Math.floor(measurementSeconds + 1e-6);
        int count = Math.max(measured / seconds, measured > 0 ? 1 : 0);
        List<Check> windows = new java.util.ArrayList<>();
        for (int w = 0; w < count; w++) {
            int from = w * seconds;
            int to = count == 1 ? Math.max(measured, 1) : from + seconds;
            windows.add(window(timeline, lagSeconds, from, to, floor, false));
        }
        Check shortest = shortest(windows);
        // No window had enough requests: the whole test, as one window.
        return shortest != null ? shortest : window(timeline, lagSeconds, 0, Math.max(measured, 1), floor, false);
    }

    /**
     * Of several judged parts (the windows of a test, the runs of a merged trial), the one that fell
     * shortest (below the floor first, then by share), failing when any failed; {@code null} when
     * none was judged.
     */
    static Check shortest(List<Check> checks) {
        Check reported = null;
        boolean passed = true;
        for (Check c : checks) {
            if (c.measured() == null) {
                continue;
            }
            passed &= c.passed();
            if (reported == null || shorter(c, reported)) {
                reported = c;
            }
        }
        if (reported == null) {
            return null;
        }
        return new Check(
                reported.metric(),
                reported.bound(),
                reported.measured(),
                passed,
                reported.windowStart(),
                reported.windowSeconds(),
                reported.offered(),
                reported.achieved());
    }

    /** Whether {@code a} fell shorter than {@code b}: below the floor first, then by share. */
    private static boolean shorter(Check a, Check b) {
        if (a.passed() != b.passed()) {
            return !a.passed();
        }
        return a.measured() < b.measured();
    }

    /**
     * One window's verdict, [{@code from}, {@code to}) seconds: the rule itself.
     *
     * @param failedAnswered whether a failed request counts as achieved ({@link #keptPace}) or not
     *     (the objective: a release must complete its requests)
     */
    private static Check window(
            List<TrialResult.Interval> timeline, double lag, int from, int to, double floor, boolean failedAnswered) {
        long achieved = 0;
        double offered = 0;
        for (TrialResult.Interval s : timeline) {
            if (s.second() >= from && s.second() < to) {
                achieved += s.completed() + (failedAnswered ? s.failed() : 0);
            }
            if (s.started() != null) {
                double overlap = Math.min(s.second() + 1, to - lag) - Math.max(s.second(), from - lag);
                offered += s.started() * Math.max(0, Math.min(1, overlap));
            }
        }
        if (offered < MIN_OFFERED) {
            return new Check(METRIC, floor, null, true, null, to - from, offered, achieved);
        }
        boolean met = achieved >= floor * offered - 1;
        return new Check(METRIC, floor, achieved / offered, met, from, to - from, offered, achieved);
    }
}
