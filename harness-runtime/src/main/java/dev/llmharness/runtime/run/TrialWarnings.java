package dev.llmharness.runtime.run;

import dev.llmharness.api.Api;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.Target;
import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.metrics.TrialMetrics;
import dev.llmharness.runtime.metrics.TrialRecorder;
import dev.llmharness.runtime.protocol.Protocols;
import dev.llmharness.runtime.result.HarnessLimit;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.ThroughputFloor;
import dev.llmharness.runtime.result.TrialResult;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Warnings about how a trial ran, once it has: what happened to its requests (interrupted,
 * failed, cancelled at the drain, waited for a slot, the accounting broken, the harness limiting
 * the measurement, its threads waiting for a busy CPU, a slow benchmark method) and whether its throughput means what it says
 * (saturation, too few requests, no warmup). {@link MeasurementWarnings} says what could not be
 * measured; the result lists these first, then those, then the throughput's.
 */
final class TrialWarnings {
    /** The end of the harness-limited warning, after the figures ({@link HarnessLimit#describe}). */
    static final String LAG_WARNING = "the harness, not the server, is limiting this measurement";

    /** The end of the warning for late sends that did not move the trial's figures (HarnessLimit). */
    static final String LATE_SENDS_STAND =
            "too few and too little to move the reported TTFT, so the trial is not harness-limited and its figures"
                    + " stand (something on the harness's CPU delayed a few sends)";

    /** Fewer expected requests than this in a window make its throughput a warning, not a figure. */
    static final int FEW_REQUESTS = 5;

    private final TrialSpec spec;
    private final Target target;
    private final boolean interrupted;
    private final long slowMethodCalls;
    private final long slowestMethodNanos;
    private final PrintStream log;
    /** The shard's part of an open loop's arrivals ({@code 1 / shards}): what it was offered of the trial's rate. */
    private final double part;

    /**
     * @param interrupted whether the trial was stopped early ({@link TrialRunner#interrupt()})
     * @param slowMethodCalls benchmark-method calls that took more than {@link
     *     TrialRequests#SLOW_FACTORY_NANOS} (1 ms)
     * @param slowestMethodNanos the longest benchmark-method call among those, in nanoseconds
     * @param log where an accounting violation is also said at once (stderr in the CLI)
     */
    TrialWarnings(
            TrialSpec spec,
            Target target,
            boolean interrupted,
            long slowMethodCalls,
            long slowestMethodNanos,
            PrintStream log) {
        this(
                spec,
                target,
                interrupted,
                slowMethodCalls,
                slowestMethodNanos,
                log,
                dev.llmharness.runtime.load.Shard.WHOLE);
    }

    /**
     * As above, for one shard of a split run: the rate and the arrivals it was offered are its part
     * of the trial's (one in {@code shards}), so that a shard that kept pace with its part is not
     * called saturated against the whole.
     */
    TrialWarnings(
            TrialSpec spec,
            Target target,
            boolean interrupted,
            long slowMethodCalls,
            long slowestMethodNanos,
            PrintStream log,
            dev.llmharness.runtime.load.Shard shard) {
        this.part = 1.0 / shard.count();
        this.spec = spec;
        this.target = target;
        this.interrupted = interrupted;
        this.slowMethodCalls = slowMethodCalls;
        this.slowestMethodNanos = slowestMethodNanos;
        this.log = log;
    }

    /** What happened to the trial's requests, in the result's order. */
    List<String> ofRequests(TrialMetrics m, Map<String, MetricResult> metrics, HarnessLimit harnessLimit) {
        List<String> w = new ArrayList<>();
        if (interrupted) {
            w.add("interrupted: the trial stopped early; requests in flight were cancelled");
        }
        if (!m.accountingHolds()) {
            String text = "accounting violated: sent " + m.sent() + " != completed " + m.completed() + " + failed "
                    + m.failed() + " + cancelled " + m.cancelled() + "; this is a harness bug, please report it";
            log.println("WARNING [" + spec.id() + "] " + text);
            w.add(text);
        }
        // For people: the decision itself is the result's harnessLimit field, which tools read.
        if (harnessLimit.limited()) {
            MetricResult lag = metrics.get(Metric.DISPATCH_LAG.key());
            w.add("harness-limited: " + harnessLimit.describe()
                    + String.format(Locale.ROOT, ", p99 %.3f ms: ", lag.p99()) + LAG_WARNING
                    + (LoadJvm.heapPreTouched() ? "" : "; " + LoadJvm.PRE_TOUCH_ADVICE));
        } else if (harnessLimit.tooManyLate()) {
            w.add("late sends: " + harnessLimit.describe() + ": " + LATE_SENDS_STAND);
        }
        if (m.failed() > 0) {
            StringBuilder b = new StringBuilder();
            m.failures().forEach((k, v) -> {
                if (v > 0) {
                    b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v);
                }
            });
            w.add(m.failed() + " of " + m.sent() + " requests failed (" + b + ")");
        }
        if (m.cancelled() > 0 && !interrupted) {
            w.add(m.cancelled() + " requests were still in flight at the drain timeout ("
                    + spec.drainTimeout().toSeconds() + " s) and were cancelled");
        }
        Api api = target.api();
        if (!Protocols.of(api).forcesLength() && m.requestedOutputTokens() != m.outputTokens()) {
            w.add(api + " cannot force the output length (it has no ignore_eos): requested " + m.requestedOutputTokens()
                    + " output tokens, the server generated " + m.outputTokens());
        }
        if (!target.stream()) {
            w.add("requests were not streamed (@Endpoint(stream = false) or --stream false): E2E, token counts and"
                    + " the server's own figures are measured; TTFT, ITL and TPOT do not exist for them");
        }
        if (m.unterminatedStreams() > 0) {
            w.add(m.unterminatedStreams() + " streams ended after their finish_reason without data: [DONE];"
                    + " they were counted as completed");
        }
        if (m.ignoredEvents() > 0) {
            w.add(m.ignoredEvents() + " events carried neither choices nor usage (keep-alive or metadata, e.g."
                    + " data: {}) and were ignored");
        }
        if (m.delayedStarts() > 0) {
            w.add(m.delayedStarts() + " requests waited for an in-flight slot (maxInFlight); their wait is in"
                    + " dispatch lag and TTFT");
        }
        if (slowMethodCalls > 0) {
            w.add(String.format(
                    Locale.ROOT,
                    "the benchmark method took more than 1 ms in %d requests (max %.3f ms): it runs on the request"
                            + " path, keep it cheap",
                    slowMethodCalls,
                    slowestMethodNanos / 1e6));
        }
        if ("events".equals(m.tokenSource()) || "mixed".equals(m.tokenSource())) {
            w.add("the server reported no usage for some requests: their output tokens were counted as one per"
                    + " content event");
        }
        if (m.sent() == 0) {
            w.add("no request started inside the measurement window");
        }
        return w;
    }

    /**
     * The warning for a window in which the harness's own threads waited for a CPU beyond {@link
     * TrialResult.HarnessThreads#BUSY_MEAN_WAIT_MS} on average each time one was ready to run
     * ({@link TrialResult.HarnessThreads#busy()}): what happened, what it can move and the fix;
     * {@code null} when they did not, or it was not measured. Late sends have their own mark
     * ({@link HarnessLimit}); this one sees late reads too, which no other figure shows. A warning,
     * never a verdict.
     */
    static String ofHarnessThreads(TrialResult.HarnessThreads threads) {
        if (threads == null || !threads.busy()) {
            return null;
        }
        return "busy CPU: the harness's threads waited for a CPU " + threads.describe()
                + ", beyond the " + TrialResult.HarnessThreads.BUSY_MEAN_WAIT_MS + " ms bound"
                + ": tokens were read late, which can move TPOT, ITL and a closed loop's throughput, and late first"
                + " reads and sends move TTFT and E2E too; other processes (or more harness threads than cores)"
                + " competed for its cores. Run on a quiet machine, give the harness cores of its own (taskset -c),"
                + " or stop other processes";
    }

    /**
     * Saturation and too-small samples, named. Whether an open-loop trial's server kept pace is the
     * release gate's throughput rule's to say, the one rule for it ({@link ThroughputFloor}), asked
     * of the window's seconds after the e2e p90 ({@link ThroughputFloor#keptPaceLater}), counting
     * failed requests as answered: a server that fails fast is not slow, and its failures have
     * their own warning. A sweep asks the same of its points. When those seconds were offered too
     * few requests to tell (or the trial has no timeline), the whole window is judged as it is:
     * its completions, warmup requests included, plus its failed requests, short of the offered
     * rate by more than chance (3 standard deviations of a Poisson count) and 5 %. A window
     * expected to hold fewer than {@link #FEW_REQUESTS} requests says its rate is not meaningful.
     * Only a timed window run to its end is judged; an open loop without a fixed rate (a shape, a
     * trace) by {@link #ofShapedThroughput}.
     *
     * <p>A warmup shorter than the median request (or none) is named too: the requests that would
     * complete in the window's first seconds were never started, so the window holds fewer
     * completions than a steady state, however fast the server. The rule does not mind (it counts
     * measured requests, started and completed, only); a slow server's queue makes its requests
     * long too, and a long request must not excuse it. When the later seconds cannot tell and the
     * whole window is judged, the saturation warning then says the warmup may be the cause.
     *
     * @param failed measured requests that failed
     * @param seconds the window's length as run, in seconds
     * @param timeline the window's seconds (measured requests' intended starts, completions and
     *     failures per second)
     */
    List<String> ofThroughput(
            TrialResult.Throughput tp,
            TrialRecorder.WindowCounts inWindow,
            long failed,
            double seconds,
            Map<String, MetricResult> metrics,
            List<TrialResult.Interval> timeline) {
        List<String> w = new ArrayList<>();
        OptionalDouble fixed = spec.load().fixedRate();
        boolean timedWindow = !spec.measurement().countsRequests();
        if (!timedWindow || interrupted || seconds <= 0) {
            return w;
        }
        if (fixed.isEmpty()) {
            return ofShapedThroughput(seconds, metrics, timeline);
        }
        double rate = fixed.getAsDouble() * part;
        MetricResult e2e = metrics.get(Metric.E2E.key());
        // null: nothing completed, so no latency to judge the later seconds by
        ThroughputFloor.Check pace = null;
        boolean shortWarmup = false;
        if (e2e != null && e2e.p50() != null) {
            double latency = e2e.p50() / 1000;
            double warmup = warmupSeconds(rate);
            double gap = latency - warmup;
            pace = ThroughputFloor.keptPaceLater(timeline, metrics, seconds, true);
            shortWarmup = gap > 0;
            if (gap > 0.1 * seconds) {
                w.add(
                        warmup == 0
                                ? String.format(
                                        Locale.ROOT,
                                        "no warmup: requests take %.2f s (median), %.0f %% of the window, and nothing"
                                                + " completes before the first one does, so throughput reads low; add a"
                                                + " @Warmup at least that long",
                                        latency,
                                        100 * latency / seconds)
                                : String.format(
                                        Locale.ROOT,
                                        "short warmup: requests take %.2f s (median) and the warmup lasts %.2f s, so"
                                                + " the window's first %.2f s (%.0f %% of it) see fewer completions than"
                                                + " a steady state and throughput reads low; make @Warmup at least"
                                                + " %.2f s",
                                        latency,
                                        warmup,
                                        gap,
                                        100 * gap / seconds,
                                        latency));
            }
        }
        // The later seconds not judged, the whole window is judged as the sweep judges it (the one
        // fallback, in ThroughputFloor): after a short warmup a saturation warning that may be the
        // warmup's doing says so, rather than stay silent about a server that fell behind.
        boolean judged = pace != null && pace.measured() != null;
        boolean cannotTell = shortWarmup && !judged;
        boolean shortfall = judged
                ? !pace.passed()
                : !ThroughputFloor.keptPaceOverall(
                                rate, seconds, warmupSeconds(rate) > 0, metrics, inWindow.completed() + failed)
                        .passed();
        if (rate * seconds < FEW_REQUESTS) {
            w.add(String.format(
                    Locale.ROOT,
                    "only %.1f requests expected in the %.1f s window at %s requests/s: throughput from so few"
                            + " requests is not meaningful; raise the rate or lengthen @Measurement(duration)",
                    rate * seconds,
                    seconds,
                    TrialSpec.formatRate(rate)));
        } else if (shortfall) {
            // Failed requests were answered, just not well: a server that fails fast is not slow,
            // and its failures have their own warning. Only what is neither is a shortfall.
            w.add(String.format(
                    Locale.ROOT,
                    // Two populations, named as such: throughput counts every completion inside the
                    // window (warmup requests too), the drain only measured requests.
                    "saturated: achieved %.2f requests/s of %s offered (%d completed inside the %.1f s window,"
                            + " warmup requests included; %d measured requests completed after it, in the"
                            + " drain%s): the server did not keep up with the offered rate%s",
                    tp.requestsPerSecond(),
                    TrialSpec.formatRate(rate),
                    inWindow.completed(),
                    seconds,
                    inWindow.drainCompleted(),
                    failed == 0 ? "" : ", " + failed + " failed",
                    cannotTell
                            ? String.format(
                                    Locale.ROOT,
                                    ", or the warmup was too short to tell (requests outlast it, and the window's"
                                            + " seconds after the e2e p90 were offered %.0f measured requests,"
                                            + " fewer than %d to judge by)",
                                    pace.offered(),
                                    ThroughputFloor.MIN_OFFERED)
                            : ""));
        }
        return w;
    }

    /**
     * The same questions of an open loop whose rate changes over time (a shape, a trace): its
     * window's expected requests from the load's own integral (a trace's are known once its file
     * is read, so not here), and whether the server kept pace by {@link
     * ThroughputFloor#keptPaceLater}, which needs no fixed rate: each second's offer is the
     * measured requests due in it, from the timeline. A shape whose peak the server could not
     * serve is named; a closed loop offers no rate to fall behind.
     */
    private List<String> ofShapedThroughput(
            double seconds, Map<String, MetricResult> metrics, List<TrialResult.Interval> timeline) {
        List<String> w = new ArrayList<>();
        if (!"open".equals(SpecInfo.load(spec.load()).model())) {
            return w;
        }
        if (!spec.warmup().countsRequests()) {
            Duration from =
                    spec.warmup().isEmpty() ? Duration.ZERO : spec.warmup().duration();
            OptionalDouble whole = spec.load().expectedArrivals(from, from.plusNanos((long) (seconds * 1e9)));
            OptionalDouble expected =
                    whole.isPresent() ? OptionalDouble.of(whole.getAsDouble() * part) : OptionalDouble.empty();
            if (expected.isPresent() && expected.getAsDouble() < FEW_REQUESTS) {
                w.add(String.format(
                        Locale.ROOT,
                        "only %.1f requests expected in the %.1f s window of %s: throughput from so few requests"
                                + " is not meaningful; raise the rates or lengthen the shape",
                        expected.getAsDouble(),
                        seconds,
                        spec.load().describe()));
                return w;
            }
        }
        ThroughputFloor.Check pace = ThroughputFloor.keptPaceLater(timeline, metrics, seconds, true);
        if (pace.measured() != null && !pace.passed()) {
            w.add(String.format(
                    Locale.ROOT,
                    "saturated: the server answered %d of the %.1f measured requests expected to complete in the"
                            + " window's seconds %d to %d (%.0f %%; the rule asks at least %.0f %% of them, less"
                            + " one): it did not keep up with %s",
                    pace.achieved(),
                    pace.offered(),
                    pace.windowStart(),
                    pace.windowStart() + pace.windowSeconds(),
                    100 * pace.measured(),
                    100 * pace.bound(),
                    spec.load().describe()));
        }
        return w;
    }

    /**
     * How long the warmup ran before the window, in seconds: its duration, or for a warmup of N
     * requests the time the fixed rate takes to start them; 0 without a warmup.
     */
    private double warmupSeconds(double rate) {
        if (spec.warmup().isEmpty()) {
            return 0;
        }
        return spec.warmup().countsRequests()
                ? spec.warmup().requests() / rate
                : spec.warmup().duration().toNanos() / 1e9;
    }
}
