package dev.llmharness.runtime.capacity;

import dev.llmharness.api.spi.TrialSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Bisection for the highest rate whose SLOs hold: try the low end (it must hold), then the high
 * end (if it holds, the answer is at least that), then the geometric middle of the highest rate
 * that held and the lowest that did not, until they are within {@code precision} of each other or
 * the trials run out. The answer is the highest rate that held; its uncertainty is the bracket up
 * to the lowest rate that did not: the answer lies in {@code [held, failed)}, which is what {@link
 * #describe()} prints, a bracket rather than a "±" around either end. Bisection assumes a rate that
 * holds has every lower rate holding too; each verdict is itself a measurement (a p99 near its
 * bound can flip between two runs of the same rate), and a flipped verdict near the edge moves the
 * bracket by at most one step, so the line names how many requests decided the two ends.
 *
 * <p>Rates are rounded to three significant digits (more when needed to land strictly inside the
 * bracket), so that trial ids stay readable.
 */
public final class SloSearch {
    private final double low;
    private final double high;
    private final double precision;
    private final int maxTrials;
    private final List<double[]> tried = new ArrayList<>();
    private double held = Double.NaN;
    private double failed = Double.NaN;
    /** Requests measured at {@link #held} and {@link #failed}, {@code -1} when not known. */
    private long heldRequests = -1;

    private long failedRequests = -1;

    /**
     * @param low the lowest rate, {@code > 0}
     * @param high the highest rate, {@code > low}
     * @param precision relative width at which to stop, {@code > 0}: 0.1 stops when the lowest
     *     failing rate is within 10 % above the highest holding one
     * @param maxTrials at most this many trials, {@code >= 2}
     */
    public SloSearch(double low, double high, double precision, int maxTrials) {
        if (!(low > 0) || !(high > low) || Double.isInfinite(high)) {
            throw new IllegalArgumentException("the search needs 0 < low < high, got " + low + " and " + high);
        }
        if (!(precision > 0)) {
            throw new IllegalArgumentException("the precision must be > 0, got " + precision);
        }
        if (maxTrials < 2) {
            throw new IllegalArgumentException("the search needs at least 2 trials, got " + maxTrials);
        }
        this.low = low;
        this.high = high;
        this.precision = precision;
        this.maxTrials = maxTrials;
    }

    /** The next rate to try, or empty when the search is over. */
    public OptionalDouble next() {
        if (tried.isEmpty()) {
            return OptionalDouble.of(low);
        }
        if (Double.isNaN(held) || tried.size() >= maxTrials || converged()) {
            return OptionalDouble.empty();
        }
        if (Double.isNaN(failed)) {
            return tried.size() == 1 ? OptionalDouble.of(high) : OptionalDouble.empty();
        }
        return OptionalDouble.of(middle(held, failed));
    }

    /** Records whether {@code rate} (the last {@link #next()}) held its SLOs, on an unknown number of requests. */
    public void record(double rate, boolean holds) {
        record(rate, holds, -1);
    }

    /**
     * Records whether {@code rate} (the last {@link #next()}) held its SLOs.
     *
     * @param requests the requests its verdict was measured on (its measured requests that
     *     completed or failed), {@code >= 0}, or {@code -1} when not known
     */
    public void record(double rate, boolean holds, long requests) {
        tried.add(new double[] {rate, holds ? 1 : 0});
        if (holds) {
            if (Double.isNaN(held) || rate >= held) {
                held = rate;
                heldRequests = requests;
            }
        } else if (Double.isNaN(failed) || rate <= failed) {
            failed = rate;
            failedRequests = requests;
        }
    }

    /** Whether the bracket is within the precision. */
    public boolean converged() {
        return !Double.isNaN(held) && !Double.isNaN(failed) && failed <= held * (1 + precision);
    }

    /** The highest rate that held, or empty when none did (not even the low end). */
    public OptionalDouble maxRate() {
        return Double.isNaN(held) ? OptionalDouble.empty() : OptionalDouble.of(held);
    }

    /** The lowest rate that did not hold, or empty when all did (the answer is at least the high end). */
    public OptionalDouble lowestFailing() {
        return Double.isNaN(failed) ? OptionalDouble.empty() : OptionalDouble.of(failed);
    }

    /** The rates tried and their verdicts, in order: {rate, 1 held / 0 did not}. */
    public List<double[]> tried() {
        return List.copyOf(tried);
    }

    /**
     * One line: the bracket the answer lies in, {@code "between 12.3 and 13.3 req/s"} (the highest
     * rate that held, included, up to the lowest that did not, excluded), with the requests that
     * decided each end when known.
     */
    public String describe() {
        if (Double.isNaN(held)) {
            return "no rate met the SLOs: even " + TrialSpec.formatRate(low) + " req/s missed them; search lower";
        }
        if (Double.isNaN(failed)) {
            return "every rate met the SLOs, up to " + TrialSpec.formatRate(high)
                    + " req/s: the highest is at least that; search higher";
        }
        return String.format(
                java.util.Locale.ROOT,
                "highest rate meeting the SLOs: between %s and %s req/s (%s held%s, %s did not%s) after %d trials%s",
                TrialSpec.formatRate(held),
                TrialSpec.formatRate(failed),
                TrialSpec.formatRate(held),
                on(heldRequests),
                TrialSpec.formatRate(failed),
                on(failedRequests),
                tried.size(),
                converged() ? "" : ", not converged to " + Math.round(precision * 100) + " %: allow more trials");
    }

    /** {@code " on 40 requests"}, or nothing when the count is not known. */
    private static String on(long requests) {
        return requests < 0 ? "" : " on " + requests + (requests == 1 ? " request" : " requests");
    }

    /** The geometric middle, rounded to the fewest significant digits (3 or more) strictly inside. */
    static double middle(double a, double b) {
        double m = Math.sqrt(a * b);
        for (int digits = 3; digits <= 15; digits++) {
            double r = round(m, digits);
            if (r > a && r < b) {
                return r;
            }
        }
        return m;
    }

    /** {@code x} rounded to {@code digits} significant digits. */
    public static double round(double x, int digits) {
        return new java.math.BigDecimal(x)
                .round(new java.math.MathContext(digits, java.math.RoundingMode.HALF_EVEN))
                .doubleValue();
    }
}
