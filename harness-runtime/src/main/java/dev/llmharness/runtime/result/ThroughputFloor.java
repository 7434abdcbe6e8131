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
 * completed}). Its <b>offered</b> count is the requests expected to complete in it if the server
 * kept pace: each second's intended starts ({@code started}, taken as spread evenly over their
 * second), each completing after a latency drawn from the test's end-to-end distribution (its
 * histogram), summed over the share of them that lands in the window. Without that, the first
 * window of a test would miss a latency's worth of completions, and long answers would look like a
 * shortfall at any load. The whole distribution, not one figure, because latencies are skewed: a
 * window that starts with the test completes, of a constant rate r, {@code r × (length − mean
 * latency)} requests, not {@code r × (length − median)}, so moving the starts back by the median
 * (as this rule once did) called a server with a long tail short in its first window; in
 * expectation the distribution is exact there and, for a constant rate, in every window after
 * (a result without the histogram is moved back by its mean latency, the constant with the same
 * first window).
 *
 * <p>A window is judged when at least {@value #MIN_OFFERED} requests were offered in it: with fewer,
 * one request of other than the expected latency, crossing the window's edge, moves its share by more
 * than 10 %. For the same reason a window falls short only when it completed fewer than {@code floor
 * × offered − 1} requests (one request of slack). When no window has enough requests, the whole
 * test is judged as one window; when even it has fewer, the objective is not judged and passes
 * ({@link Check#measured()} is {@code null}): too few requests for a throughput figure.
 *
 * <p>This class is the one place that knows whether a server kept pace with what was offered. The
 * same rule, on one stretch of a trial's window and with failed requests counted as answered
 * ({@link #keptPace}), decides whether a trial fell behind its fixed rate: its saturation warning,
 * on the seconds after its e2e p90 ({@link #keptPaceLater}). A rate sweep asks the same of each
 * point ({@code SweepPoint}), counting completions only, as this objective does.
 */
public final class ThroughputFloor {
    /**
     * The default floor, 90 % of the offered requests in every window: a server that keeps up
     * completes about all of them (the latency distribution and the slack absorb the edges), one
     * offered 1.1 times its capacity completes 91 %, and one offered 1.5 times 67 %. Not 95 %: a
     * window's edges, crossed by requests whose latency differs from what the distribution makes
     * of them on average, move a larger share of its count, and at 95 % a server that keeps up
     * with requests of spread lengths is called short more often while hardly more saturated ones
     * are named. The saturation warning and a sweep's points ask at this floor too.
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
     * The verdict on a trial's window, timeline and metrics (its end-to-end latency distribution),
     * before they are a {@link TrialResult}: what the SLO evaluator and a merge judge.
     */
    public static Check judge(
            TrialResult.WindowInfo window,
            List<TrialResult.Interval> timeline,
            Map<String, MetricResult> metrics,
            int seconds,
            double floor) {
        return judge(window.measurementSeconds(), timeline, Completion.of(metrics), seconds, floor);
    }

    /**
     * This objective's rule on one stretch of a trial's window that the caller chooses, with failed
     * requests counted as answered: whether the server answered at least {@code floor} of the
     * requests offered to the stretch (expected to complete in it after the trial's end-to-end
     * latencies, as {@link #judge} counts a window's), less one request. A server that fails fast kept pace; its failures
     * are the error rate's to judge, not this. The trial's saturation warning asks it of the
     * window's seconds after the e2e p90, when the warmup was shorter than the requests.
     *
     * @param timeline the window's seconds: measured requests' intended starts, completions and
     *     failures
     * @param metrics the trial's metrics, for the end-to-end latency distribution (none: a request
     *     is expected to complete in the second it was due)
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
        return window(timeline, Completion.of(metrics), from, Math.max(from, to), floor, true);
    }

    /**
     * The question of {@link #keptPaceLater} asked of a whole window when its later seconds cannot
     * answer it (they were offered fewer than {@value #MIN_OFFERED} requests: a short window, or a
     * point so slow that its e2e p90 outlasts the window): whether the requests {@code answered}
     * inside the window reach the fixed rate's offer over it, {@code rate × seconds}, less, without a
     * warmup, the first seconds in which nothing can complete yet (the e2e p10). Short when below
     * it by more than chance (3 standard deviations of a Poisson count) and 5 %. Coarser than the
     * window rule, but the offer does not follow the server: the latency distribution over one long
     * window would expect less of a server whose queue made its requests long, and so pass one
     * that served 80 % of the rate, or a third of it.
     *
     * @param rate the fixed rate offered, requests per second, > 0
     * @param seconds the window's length, seconds, > 0
     * @param warmed whether a warmup ran before the window (then requests complete from its start)
     * @param metrics the trial's metrics, for the end-to-end latency of requests that met no queue
     * @param answered requests answered inside the window (the caller says which count: completions,
     *     or completions and failures)
     * @return the verdict over the whole window, its bound the 95 % below which it is short; not
     *     judged when fewer than {@value #MIN_OFFERED} were offered
     */
    public static Check keptPaceOverall(
            double rate, double seconds, boolean warmed, Map<String, MetricResult> metrics, long answered) {
        double offered = rate * (seconds - (warmed ? 0 : firstLatencySeconds(metrics, seconds)));
        int length = Math.max(1, (int) Math.ceil(seconds - 1e-6));
        if (offered < MIN_OFFERED) {
            return new Check(METRIC, OVERALL_FLOOR, null, true, null, length, offered, answered);
        }
        return new Check(
                METRIC, OVERALL_FLOOR, answered / offered, !fellShort(answered, offered), 0, length, offered, answered);
    }

    /**
     * Without a warmup, how long the window's start waits for its first completions, seconds (at
     * most the window): the e2e p10, the latency of requests that met no queue, and not the median,
     * which a saturated point's queue makes long enough to expect almost nothing of its window (the
     * median when the histogram is missing; 0 without an e2e metric).
     */
    private static double firstLatencySeconds(Map<String, MetricResult> metrics, double seconds) {
        MetricResult e2e = metrics.get(Metric.E2E.key());
        if (e2e == null || e2e.count() == 0) {
            return 0;
        }
        Double ms = e2e.histogram() != null ? e2e.percentile(10) : e2e.p50();
        return ms == null ? 0 : Math.min(seconds, ms / 1000);
    }

    /** The share below which {@link #keptPaceOverall} can call a window short (with chance too). */
    static final double OVERALL_FLOOR = 0.95;

    /**
     * Whether {@code answered} falls short of {@code expected} by more than chance (3 standard
     * deviations of a Poisson count) and {@value #OVERALL_FLOOR} of it: the whole-window test.
     */
    private static boolean fellShort(double answered, double expected) {
        return answered < expected - 3 * Math.sqrt(expected) && answered < OVERALL_FLOOR * expected;
    }

    /**
     * Whether a trial at one fixed rate kept pace, asked of its window's seconds from the one after
     * its e2e p90 to the window's end, at the {@linkplain #DEFAULT default floor}: the saturation
     * warning's question ({@code failedAnswered}: a server that fails fast is not slow) and a sweep
     * point's (completions only: a point holds when the server served the rate). Those seconds
     * because a server that falls behind makes its queue, and so its requests' latencies, grow
     * within the window: the distribution of the whole window then expects the late seconds' offer
     * to complete later than it does, and counts offered requests there that the early seconds'
     * short latencies say completed, which hides most of the shortfall (1.25 times the capacity
     * reads about 89 % on the whole window, 80 % on its later seconds). From the p90 on, only the
     * slowest tenth of requests, started before those seconds, still completes in them.
     *
     * @param timeline the window's seconds: measured requests' intended starts, completions and
     *     failures
     * @param metrics the trial's metrics, for the end-to-end latency distribution
     * @param seconds the window's length as run, seconds
     * @param failedAnswered whether a failed request counts as answered
     * @return the verdict on those seconds; not judged ({@link Check#measured()} {@code null}) when
     *     they were offered fewer than {@value #MIN_OFFERED} requests, or the metrics have no e2e p90
     */
    public static Check keptPaceLater(
            List<TrialResult.Interval> timeline,
            Map<String, MetricResult> metrics,
            double seconds,
            boolean failedAnswered) {
        MetricResult e2e = metrics.get(Metric.E2E.key());
        Double p90 = e2e == null ? null : e2e.p90();
        int to = (int) Math.floor(seconds + 1e-6);
        int from = p90 == null ? to : Math.min(to, (int) Math.ceil(p90 / 1000));
        return window(timeline, Completion.of(metrics), from, to, DEFAULT, failedAnswered);
    }

    /**
     * The rule's verdict on counts: {@code achieved} requests answered of {@code offered} expected,
     * at least {@code floor × offered − 1}, judged from {@value #MIN_OFFERED} offered requests: what
     * every window's verdict comes down to.
     *
     * @param achieved requests answered, {@code >= 0}
     * @param offered requests expected, {@code >= 0} (a mean, not a whole number)
     * @param floor the least share, in [0, 1]
     * @param from the first second counted
     * @param seconds the seconds counted
     */
    private static Check verdict(long achieved, double offered, double floor, int from, int seconds) {
        requireShare(floor);
        if (offered < MIN_OFFERED) {
            return new Check(METRIC, floor, null, true, null, seconds, offered, achieved);
        }
        boolean met = achieved >= floor * offered - 1;
        return new Check(METRIC, floor, achieved / offered, met, from, seconds, offered, achieved);
    }

    private static void requireShare(double floor) {
        if (!(floor >= 0 && floor <= 1)) {
            throw new IllegalArgumentException("the throughput floor is a share in [0, 1], got " + floor);
        }
    }

    /**
     * The verdict on a timeline whose requests all took {@code lagSeconds}: the rule with one
     * latency, as a test states it.
     *
     * @param measurementSeconds the measurement window's length, seconds
     * @param lagSeconds every request's end-to-end latency, seconds, {@code >= 0}
     * @param seconds the window length, {@code >= 1}
     * @param floor the least share of offered requests, in [0, 1]
     */
    static Check judge(
            double measurementSeconds,
            List<TrialResult.Interval> timeline,
            double lagSeconds,
            int seconds,
            double floor) {
        return judge(measurementSeconds, timeline, Completion.constant(lagSeconds), seconds, floor);
    }

    /**
     * The verdict on a timeline.
     *
     * @param measurementSeconds the measurement window's length, seconds
     * @param latency when requests complete after their intended start
     * @param seconds the window length, {@code >= 1}
     * @param floor the least share of offered requests, in [0, 1]
     */
    private static Check judge(
            double measurementSeconds,
            List<TrialResult.Interval> timeline,
            Completion latency,
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
            windows.add(window(timeline, latency, from, to, floor, false));
        }
        Check shortest = shortest(windows);
        // No window had enough requests: the whole test, as one window.
        return shortest != null ? shortest : window(timeline, latency, 0, Math.max(measured, 1), floor, false);
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
            List<TrialResult.Interval> timeline,
            Completion latency,
            int from,
            int to,
            double floor,
            boolean failedAnswered) {
        long achieved = 0;
        double offered = 0;
        for (TrialResult.Interval s : timeline) {
            if (s.second() >= from && s.second() < to) {
                achieved += s.completed() + (failedAnswered ? s.failed() : 0);
            }
            if (s.started() != null) {
                offered += s.started() * (latency.within(to - s.second()) - latency.within(from - s.second()));
            }
        }
        return verdict(achieved, offered, floor, from, to - from);
    }

    /**
     * When requests complete after their intended start, as whole seconds: for a second's starts,
     * spread evenly over it, the share that completes within {@code d} seconds of the second's
     * beginning, {@code E[clamp(d − L, 0, 1)]} over the latency distribution L. The expected
     * completions of a window [a, b) of the starts of second s are then {@code started × (within(b
     * − s) − within(a − s))}; for a latency of one value ℓ that is the starts of [a − ℓ, b − ℓ).
     */
    static final class Completion {
        /** Seconds past which every latency counts the same: after the longest test's end. */
        private static final double LONGEST_SECONDS = 2.0 * dev.llmharness.api.Limits.MAX_DURATION.getSeconds();

        /** {@code within(d)} for d = 0, 1, …; 1 from the array's end on. */
        private final double[] within;

        private Completion(double[] within) {
            this.within = within;
        }

        /** Every request completing {@code seconds} after its intended start. */
        static Completion constant(double seconds) {
            if (!(seconds >= 0)) {
                throw new IllegalArgumentException("a latency is 0 s or more, got " + seconds);
            }
            return of(new double[] {seconds}, new double[] {1});
        }

        /**
         * The trial's end-to-end latency distribution from its histogram; without one (a result
         * that does not carry it), every request taking the mean (else the median), which keeps a
         * constant rate's first window exact; without an e2e figure, no latency.
         */
        static Completion of(Map<String, MetricResult> metrics) {
            MetricResult e2e = metrics.get(Metric.E2E.key());
            if (e2e == null || e2e.count() == 0) {
                return constant(0);
            }
            if (e2e.histogram() != null && "ns".equals(e2e.histogramUnit())) {
                org.HdrHistogram.Histogram h = e2e.decodeHistogram();
                List<double[]> values = new java.util.ArrayList<>();
                for (org.HdrHistogram.HistogramIterationValue v : h.recordedValues()) {
                    values.add(new double[] {
                        h.medianEquivalentValue(v.getValueIteratedTo()) / 1e9, v.getCountAtValueIteratedTo()
                    });
                }
                if (!values.isEmpty()) {
                    double[] seconds = new double[values.size()];
                    double[] weights = new double[values.size()];
                    for (int i = 0; i < seconds.length; i++) {
                        seconds[i] = values.get(i)[0];
                        weights[i] = values.get(i)[1];
                    }
                    return of(seconds, weights);
                }
            }
            Double ms = e2e.mean() != null ? e2e.mean() : e2e.p50();
            return constant(ms == null ? 0 : ms / 1000);
        }

        /**
         * From weighted latencies: a latency ℓ = k + f (k whole) adds {@code 1 − f} of its weight to
         * {@code within(k + 1)} and all of it from {@code within(k + 2)} on, summed as differences.
         */
        private static Completion of(double[] seconds, double[] weights) {
            double max = 0;
            double total = 0;
            for (int i = 0; i < seconds.length; i++) {
                // A latency past the longest test (a warmup and a window of Limits.MAX_DURATION
                // each) completes after every window judged: clamped there, so that a hand-edited
                // histogram cannot ask for an array of its own size.
                seconds[i] = Math.min(seconds[i], LONGEST_SECONDS);
                max = Math.max(max, seconds[i]);
                total += weights[i];
            }
            double[] diff = new double[(int) Math.floor(max) + 3];
            for (int i = 0; i < seconds.length; i++) {
                int k = (int) Math.floor(seconds[i]);
                double f = seconds[i] - k;
                diff[k + 1] += (1 - f) * weights[i] / total;
                diff[k + 2] += f * weights[i] / total;
            }
            double[] within = new double[diff.length];
            double sum = 0;
            for (int d = 0; d < diff.length; d++) {
                sum += diff[d];
                within[d] = Math.min(1, sum);
            }
            return new Completion(within);
        }

        /** The share of a second's starts completed within {@code d} seconds of its beginning. */
        double within(int d) {
            if (d <= 0) {
                return 0;
            }
            return d >= within.length ? 1 : within[d];
        }
    }
}
