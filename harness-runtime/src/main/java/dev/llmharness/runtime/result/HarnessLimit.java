package dev.llmharness.runtime.result;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.llmharness.runtime.metrics.Metric;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Whether the harness itself, not the server, limited a trial's measurement: the one place that
 * knows the rule. {@code llmh run} records it per trial ({@code trials[].harnessLimit}), promoting a
 * baseline refuses a limited trial, {@code llmh compare} warns about one per side, and {@code llmh
 * selfbench} stops rising at the first limited step.
 *
 * <p>The rule. A measured request is <em>late</em> when its dispatch lag (sent minus intended
 * start) exceeds {@link #LATE_NANOS}: the server was then measured from a later start than the load
 * asked for. A trial is harness-limited when more than {@code max(}{@link #MIN_ALLOWED_LATE}{@code ,
 * floor(n x }{@link #LATE_FRACTION}{@code ))} of its {@code n} measured requests were late, and
 * their lateness moved what the trial reports: its TTFT percentiles (p50, p90, p99, measured from
 * the intended start) exceed the same percentiles measured from the send by more than {@link
 * #MAX_TTFT_SHIFT} ({@link #ttftShift}). For {@code n >= 300} the count is "dispatch lag p99 above
 * 1 ms", the rule this replaces. For a small trial it is not: at 4-8 requests/s a 10 s window holds
 * 40-80 requests, the "p99" is the worst one or two of them, and a single scheduler stall or GC
 * pause (which delays the one or two requests scheduled during it) marked the whole trial. Three
 * late requests are needed at any size: a harness whose true late fraction is 0.2 % is then
 * flagged in under 1 % of trials of 40 to 10,000 requests, one whose true late fraction is 5 % in
 * more than 99 % of trials of 200 requests or more (HarnessLimitCalibrationTest). Below about 100
 * requests no count rule can tell 5 % from a stall: 40 requests at 5 % hold two late ones on
 * average.
 *
 * <p>Why the shift too. The count alone judges the harness against its own target, not the
 * measurement: on a 2-CPU VM whose kernel holds the harness's core for 1-3 ms about once a second,
 * 3 or 4 of 86-195 requests of the default {@code -Pbench} trials started 1.5-3 ms late, which
 * marked 1-2 of 5 trials in most runs, while their TTFT percentiles differed from the same
 * requests' TTFT from the send by at most 0.93 % (docs/results.md). Such a trial's figures stand;
 * its warnings still say how many requests were late. A harness that falls behind shifts TTFT by
 * its whole lag, and a fast server's TTFT (a millisecond at a zero inter-token latency) by several
 * times itself, so both stay limited. When the shift is unknown (no TTFT, a file written before
 * this field, a request-level check such as the spike's) the count decides alone.
 *
 * @param limited whether the trial is harness-limited
 * @param lateAboveMs a request is late when its dispatch lag exceeds this, ms
 * @param measuredRequests measured requests that were sent (the dispatch-lag sample), {@code >= 0}
 * @param lateRequests of those, how many were late; {@code null} when decided by {@link
 *     #RULE_P99_WARNING}
 * @param allowedLate the most late requests a trial of this size may have and not be limited;
 *     {@code null} likewise
 * @param rule {@link #RULE_LATE_COUNT} (the rule above), or {@link #RULE_P99_WARNING}: the file was
 *     written before this field, and {@code limited} says whether it carried the harness's warning
 *     of that time (dispatch lag p99 above 1 ms)
 * @param ttftShift how much the dispatch lag raised the trial's TTFT percentiles, the largest of
 *     {@code ttft.pX / ttftFromSend.pX - 1} over p50, p90 and p99 (a fraction, e.g. 0.004 for
 *     0.4 %); {@code null} when unknown
 */
public record HarnessLimit(
        boolean limited,
        double lateAboveMs,
        long measuredRequests,
        Long lateRequests,
        Long allowedLate,
        String rule,
        Double ttftShift) {
    /** A request whose dispatch lag exceeds this (ns) is late. */
    public static final long LATE_NANOS = 1_000_000L;

    /** Late requests allowed per measured request, beyond {@link #MIN_ALLOWED_LATE}. */
    public static final double LATE_FRACTION = 0.01;

    /** Late requests allowed at any sample size: one stall never decides. */
    public static final long MIN_ALLOWED_LATE = 2;

    /**
     * The most the dispatch lag may raise a TTFT percentile, as a fraction, and the trial still be
     * judged by its server: 2 %, two fifths of the gate's tightest TTFT threshold (5 % at p50).
     */
    public static final double MAX_TTFT_SHIFT = 0.02;

    /** The value of {@link #rule} for a decision by the count of late requests. */
    public static final String RULE_LATE_COUNT = "lateCount";

    /** The value of {@link #rule} for a file written before this field: read from its warning. */
    public static final String RULE_P99_WARNING = "p99Warning";

    /** How the warning of {@link #RULE_P99_WARNING} files began ({@code "dispatch lag p99 exceeds 1 ms"}). */
    static final String OLD_WARNING = "dispatch lag p99";

    public HarnessLimit {
        if (measuredRequests < 0) {
            throw new IllegalArgumentException("measuredRequests must be >= 0, got " + measuredRequests);
        }
    }

    /** A verdict whose TTFT shift is unknown. */
    public HarnessLimit(
            boolean limited,
            double lateAboveMs,
            long measuredRequests,
            Long lateRequests,
            Long allowedLate,
            String rule) {
        this(limited, lateAboveMs, measuredRequests, lateRequests, allowedLate, rule, null);
    }

    /** The most late requests that {@code measured} requests may hold and not be harness-limited. */
    public static long allowedLate(long measured) {
        return Math.max(MIN_ALLOWED_LATE, (long) Math.floor(measured * LATE_FRACTION));
    }

    /** Whether {@code late} of {@code measured} requests make a trial harness-limited. */
    public static boolean isLimited(long measured, long late) {
        return late > allowedLate(measured);
    }

    /**
     * Whether more requests were late than the count allows, whatever their TTFT shift: a trial that
     * is not {@link #limited} for its small shift still says so in its warnings.
     */
    @JsonIgnore
    public boolean tooManyLate() {
        return lateRequests != null && isLimited(measuredRequests, lateRequests);
    }

    /** Whether one request's dispatch lag makes it late. */
    public static boolean isLate(long dispatchLagNanos) {
        return dispatchLagNanos > LATE_NANOS;
    }

    /** The verdict on {@code late} of {@code measured} requests, their TTFT shift unknown. */
    public static HarnessLimit of(long measured, long late) {
        return of(measured, late, null);
    }

    /**
     * The verdict on {@code late} of {@code measured} requests whose lateness raised the trial's
     * TTFT percentiles by {@code ttftShift} ({@link #ttftShift(Map)}; {@code null}: unknown, the
     * count decides alone).
     */
    public static HarnessLimit of(long measured, long late, Double ttftShift) {
        if (late < 0 || late > measured) {
            throw new IllegalArgumentException("late must be in [0, " + measured + "], got " + late);
        }
        boolean limited = isLimited(measured, late) && (ttftShift == null || ttftShift > MAX_TTFT_SHIFT);
        return new HarnessLimit(
                limited, LATE_NANOS / 1e6, measured, late, allowedLate(measured), RULE_LATE_COUNT, ttftShift);
    }

    /**
     * The verdict on a dispatch-lag histogram (ns, one value per measured request sent), the TTFT
     * shift unknown. The late requests are read from it, to its resolution (3 significant digits:
     * values less than 0.05 % above {@link #LATE_NANOS} count as on time).
     */
    public static HarnessLimit of(Histogram dispatchLagNanos) {
        return of(dispatchLagNanos, null);
    }

    /** As {@link #of(Histogram)}, with the trial's TTFT shift ({@link #ttftShift(Map)}). */
    public static HarnessLimit of(Histogram dispatchLagNanos, Double ttftShift) {
        long measured = dispatchLagNanos.getTotalCount();
        long onTime = measured == 0 ? 0 : dispatchLagNanos.getCountBetweenValues(0, LATE_NANOS);
        return of(measured, measured - onTime, ttftShift);
    }

    /**
     * How much the dispatch lag raised a trial's TTFT percentiles: the largest of {@code
     * ttft.pX / ttftFromSend.pX - 1} over p50, p90 and p99 (the same requests, measured from the
     * intended start and from the send), never below 0; {@code null} when the trial has no TTFT
     * from both starts.
     *
     * @param metrics the trial's metrics by name ({@code ttft}, {@code ttftFromSend})
     */
    public static Double ttftShift(Map<String, MetricResult> metrics) {
        MetricResult intended = metrics.get(Metric.TTFT.key());
        MetricResult sent = metrics.get(Metric.TTFT_FROM_SEND.key());
        if (intended == null || sent == null) {
            return null;
        }
        double shift = 0;
        boolean any = false;
        Double[][] pairs = {{intended.p50(), sent.p50()}, {intended.p90(), sent.p90()}, {intended.p99(), sent.p99()}};
        for (Double[] pair : pairs) {
            if (pair[0] != null && pair[1] != null && pair[1] > 0) {
                shift = Math.max(shift, pair[0] / pair[1] - 1);
                any = true;
            }
        }
        return any ? shift : null;
    }

    /**
     * A trial written before this field: limited when one of its warnings is the harness's dispatch
     * lag warning of that time. Only {@link ResultJson} reads old files.
     */
    static HarnessLimit fromOldWarnings(List<String> warnings, long measured) {
        boolean warned = warnings != null && warnings.stream().anyMatch(w -> w.contains(OLD_WARNING));
        return new HarnessLimit(warned, LATE_NANOS / 1e6, measured, null, null, RULE_P99_WARNING);
    }

    /**
     * Several inputs of one merged trial: the rule applied to the merged sample (late and measured
     * requests add up), as to one trial of that size, with the merged trial's TTFT shift. An input
     * decided by its old warning makes the merge one too, limited when any input was; {@code null}
     * when an input has no verdict.
     *
     * @param ttftShift the merged trial's shift ({@link #ttftShift(Map)} of its merged metrics), or
     *     {@code null}
     */
    static HarnessLimit merge(List<HarnessLimit> parts, Double ttftShift) {
        long measured = 0;
        long late = 0;
        boolean anyLimited = false;
        boolean counted = true;
        for (HarnessLimit p : parts) {
            if (p == null) {
                return null;
            }
            measured += p.measuredRequests();
            anyLimited |= p.limited();
            counted &= p.lateRequests() != null;
            late += p.lateRequests() == null ? 0 : p.lateRequests();
        }
        return counted
                ? of(measured, late, ttftShift)
                : new HarnessLimit(anyLimited, LATE_NANOS / 1e6, measured, null, null, RULE_P99_WARNING);
    }

    /**
     * The figures in words, e.g. {@code "dispatch lag above 1 ms in 5 of 80 measured requests (at
     * most 2 allowed)"}, or, for an old file, what its warning said.
     */
    @JsonIgnore
    public String describe() {
        if (lateRequests == null) {
            return limited
                    ? "its file (written before trials recorded late requests) carries the warning \"dispatch lag p99"
                            + " exceeds 1 ms\""
                    : "its file (written before trials recorded late requests) carries no dispatch lag warning";
        }
        String counted = String.format(
                Locale.ROOT,
                "dispatch lag above %s ms in %d of %d measured requests (at most %d allowed)",
                trim(lateAboveMs),
                lateRequests,
                measuredRequests,
                allowedLate);
        return ttftShift == null
                ? counted
                : counted
                        + String.format(
                                Locale.ROOT,
                                ", raising TTFT by up to %.2f %% (at most %s %% allowed)",
                                100 * ttftShift,
                                trim(100 * MAX_TTFT_SHIFT));
    }

    private static String trim(double ms) {
        return ms == Math.rint(ms) ? Long.toString((long) ms) : Double.toString(ms);
    }
}
