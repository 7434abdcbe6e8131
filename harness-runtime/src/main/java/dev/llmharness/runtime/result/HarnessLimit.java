package dev.llmharness.runtime.result;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Locale;
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
 * floor(n x }{@link #LATE_FRACTION}{@code ))} of its {@code n} measured requests were late. For
 * {@code n >= 300} that is "dispatch lag p99 above 1 ms", the rule this replaces. For a small trial
 * it is not: at 4-8 requests/s a 10 s window holds 40-80 requests, the "p99" is the worst one or
 * two of them, and a single scheduler stall or GC pause (which delays the one or two requests
 * scheduled during it) marked the whole trial. Three late requests are needed at any size: a
 * harness whose true late fraction is 0.2 % is then flagged in under 1 % of trials of 40 to
 * 10,000 requests, one whose true late fraction is 5 % in more than 99 % of trials of 200 requests
 * or more (HarnessLimitCalibrationTest). Below about 100 requests no count rule can tell 5 % from a
 * stall: 40 requests at 5 % hold two late ones on average.
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
 */
public record HarnessLimit(
        boolean limited, double lateAboveMs, long measuredRequests, Long lateRequests, Long allowedLate, String rule) {
    /** A request whose dispatch lag exceeds this (ns) is late. */
    public static final long LATE_NANOS = 1_000_000L;

    /** Late requests allowed per measured request, beyond {@link #MIN_ALLOWED_LATE}. */
    public static final double LATE_FRACTION = 0.01;

    /** Late requests allowed at any sample size: one stall never decides. */
    public static final long MIN_ALLOWED_LATE = 2;

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

    /** The most late requests that {@code measured} requests may hold and not be harness-limited. */
    public static long allowedLate(long measured) {
        return Math.max(MIN_ALLOWED_LATE, (long) Math.floor(measured * LATE_FRACTION));
    }

    /** Whether {@code late} of {@code measured} requests make a trial harness-limited. */
    public static boolean isLimited(long measured, long late) {
        return late > allowedLate(measured);
    }

    /** Whether one request's dispatch lag makes it late. */
    public static boolean isLate(long dispatchLagNanos) {
        return dispatchLagNanos > LATE_NANOS;
    }

    /** The verdict on {@code late} of {@code measured} requests. */
    public static HarnessLimit of(long measured, long late) {
        if (late < 0 || late > measured) {
            throw new IllegalArgumentException("late must be in [0, " + measured + "], got " + late);
        }
        return new HarnessLimit(
                isLimited(measured, late), LATE_NANOS / 1e6, measured, late, allowedLate(measured), RULE_LATE_COUNT);
    }

    /**
     * The verdict on a dispatch-lag histogram (ns, one value per measured request sent). The late
     * requests are read from it, to its resolution (3 significant digits: values less than 0.05 %
     * above {@link #LATE_NANOS} count as on time).
     */
    public static HarnessLimit of(Histogram dispatchLagNanos) {
        long measured = dispatchLagNanos.getTotalCount();
        long onTime = measured == 0 ? 0 : dispatchLagNanos.getCountBetweenValues(0, LATE_NANOS);
        return of(measured, measured - onTime);
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
     * requests add up), as to one trial of that size. An input decided by its old warning makes the
     * merge one too, limited when any input was; {@code null} when an input has no verdict.
     */
    static HarnessLimit merge(List<HarnessLimit> parts) {
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
                ? of(measured, late)
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
        return String.format(
                Locale.ROOT,
                "dispatch lag above %s ms in %d of %d measured requests (at most %d allowed)",
                trim(lateAboveMs),
                lateRequests,
                measuredRequests,
                allowedLate);
    }

    private static String trim(double ms) {
        return ms == Math.rint(ms) ? Long.toString((long) ms) : Double.toString(ms);
    }
}
