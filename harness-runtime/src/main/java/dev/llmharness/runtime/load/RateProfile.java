package dev.llmharness.runtime.load;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.spi.RateStage;
import dev.llmharness.api.spi.ShapedLoadModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An intended arrival rate over time, piecewise linear: consecutive segments, each going linearly
 * from one rate to another over its duration (a segment of duration 0 is a jump). Every open-loop
 * shape reduces to one: a ramp is one segment, a step test or a spike a few, a soak one long
 * constant segment. The profile ends with its last segment.
 *
 * <p>{@link #arrivalsBy(long)} is the cumulative rate {@code Λ(t)}, the number of arrivals expected
 * by offset {@code t}; {@link #offsetOf(double)} inverts it. A {@link ShapedSchedule} places request
 * {@code i} at {@code Λ⁻¹(Sᵢ)}, where {@code Sᵢ} is the sum of {@code i} unit-mean gaps.
 *
 * <p>Rates are requests per second, finite and {@code >= 0}; durations are nanoseconds.
 *
 * <p>Immutable; equal when the start rate and segments are.
 */
public final class RateProfile {

    /**
     * One piece of a profile: the rate goes linearly from where the previous piece ended to {@code
     * toRate} over {@code durationNanos}.
     *
     * @param durationNanos {@code >= 0}; 0 jumps to {@code toRate}
     * @param toRate requests per second at the segment's end, finite and {@code >= 0}
     */
    public record Segment(long durationNanos, double toRate) {
        public Segment {
            if (durationNanos < 0) {
                throw new IllegalArgumentException("a stage's duration must be >= 0, got " + durationNanos + " ns");
            }
            requireRate("a stage's target rate", toRate);
        }

        public static Segment of(Duration duration, double toRate) {
            return new Segment(duration.toNanos(), toRate);
        }
    }

    private static final int MAX_SEGMENTS = 10_000;

    private final double startRate;
    private final List<Segment> segments;
    /** Offset (ns) at which segment k starts; entry n is the end. */
    private final long[] ends;
    /** Arrivals expected before segment k starts; entry n is the total. */
    private final double[] arrivals;
    /** The rate segment k starts from. */
    private final double[] fromRates;

    /**
     * @param startRate the rate at offset 0
     * @param segments the segments in order; at least one, with a total duration {@code > 0} and a
     *     positive number of expected arrivals
     */
    public RateProfile(double startRate, List<Segment> segments) {
        requireRate("the start rate", startRate);
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a rate profile needs at least one stage");
        }
        if (segments.size() > MAX_SEGMENTS) {
            throw new IllegalArgumentException(
                    "a rate profile has at most " + MAX_SEGMENTS + " stages, got " + segments.size());
        }
        long total = 0;
        double arrivals = 0;
        double from = startRate;
        for (Segment s : segments) {
            if (s.durationNanos() > Long.MAX_VALUE - total) {
                throw new IllegalArgumentException("a rate profile lasts at most " + Long.MAX_VALUE + " ns");
            }
            total += s.durationNanos();
            arrivals += (from + s.toRate()) / 2 * (s.durationNanos() / 1e9);
            from = s.toRate();
        }
        if (total == 0) {
            throw new IllegalArgumentException("a rate profile must last longer than 0s");
        }
        if (!(arrivals > 0)) {
            throw new IllegalArgumentException("a rate profile must expect at least some arrivals: every rate is 0");
        }
        this.startRate = startRate;
        this.segments = segments;
        int n = segments.size();
        this.ends = new long[n + 1];
        this.arrivals = new double[n + 1];
        this.fromRates = new double[n];
        from = startRate;
        for (int k = 0; k < n; k++) {
            Segment s = segments.get(k);
            fromRates[k] = from;
            ends[k + 1] = ends[k] + s.durationNanos();
            this.arrivals[k + 1] = this.arrivals[k] + (from + s.toRate()) / 2 * (s.durationNanos() / 1e9);
            from = s.toRate();
        }
    }

    /** The rate at offset 0, requests/s. */
    public double startRate() {
        return startRate;
    }

    /** The segments, in order. */
    public List<Segment> segments() {
        return segments;
    }

    // ---- the shapes -------------------------------------------------------------------------

    /** A constant rate for a duration: a soak test when the duration is long. */
    public static RateProfile constant(double rate, Duration duration) {
        requirePositiveRate("the rate", rate);
        requirePositive("the duration", duration);
        return new RateProfile(rate, List.of(Segment.of(duration, rate)));
    }

    /**
     * A constant rate that never ends by itself (the measurement window ends the trial): the profile
     * of gamma-spaced arrivals at one rate.
     */
    public static RateProfile constant(double rate) {
        requirePositiveRate("the rate", rate);
        return new RateProfile(rate, List.of(new Segment(Long.MAX_VALUE, rate)));
    }

    /** A linear ramp from {@code fromRate} to {@code toRate} over {@code duration}. */
    public static RateProfile ramp(double fromRate, double toRate, Duration duration) {
        requirePositive("the ramp's duration", duration);
        return new RateProfile(fromRate, List.of(Segment.of(duration, toRate)));
    }

    /**
     * k6's ramping arrival rate: from {@code startRate}, each stage goes linearly to its target
     * over its duration (hold a rate with a stage whose target equals the previous one).
     */
    public static RateProfile stages(double startRate, List<Segment> stages) {
        return new RateProfile(startRate, stages);
    }

    /** A step test: see {@link ShapedLoadModel#steps}. */
    public static RateProfile steps(double startRate, double increment, int levels, Duration level, Duration ramp) {
        return of(ShapedLoadModel.steps(Arrival.CONSTANT, 1, startRate, increment, levels, level, ramp, 0));
    }

    /** A spike: see {@link ShapedLoadModel#spike}. */
    public static RateProfile spike(
            double baseRate,
            double peakRate,
            Duration before,
            Duration rise,
            Duration hold,
            Duration fall,
            Duration after) {
        return of(ShapedLoadModel.spike(Arrival.CONSTANT, 1, baseRate, peakRate, before, rise, hold, fall, after, 0));
    }

    /** The profile of a shaped open-loop model. */
    public static RateProfile of(ShapedLoadModel model) {
        List<Segment> segments = new ArrayList<>();
        for (RateStage s : model.stages()) {
            segments.add(Segment.of(s.duration(), s.toRate()));
        }
        return new RateProfile(model.startRate(), segments);
    }

    // ---- reading the profile ----------------------------------------------------------------

    /** The profile's length, ns. */
    public long durationNanos() {
        return ends[segments.size()];
    }

    /** The arrivals the whole profile expects, {@code Λ(end)}. */
    public double expectedArrivals() {
        return arrivals[segments.size()];
    }

    /** The highest rate anywhere in the profile, requests per second. */
    public double peakRate() {
        double peak = startRate;
        for (Segment s : segments) {
            peak = Math.max(peak, s.toRate());
        }
        return peak;
    }

    /** The rate the profile intends at an offset, requests/s; 0 outside {@code [0, end)}. */
    public double rateAt(long offsetNanos) {
        if (offsetNanos < 0 || offsetNanos >= ends[segments.size()]) {
            return 0;
        }
        int k = segmentAt(offsetNanos);
        long d = segments.get(k).durationNanos();
        double from = fromRates[k];
        return from + (segments.get(k).toRate() - from) * ((double) (offsetNanos - ends[k]) / d);
    }

    /** {@code Λ(t)}: the arrivals expected in {@code [0, offsetNanos)}. */
    public double arrivalsBy(long offsetNanos) {
        if (offsetNanos <= 0) {
            return 0;
        }
        if (offsetNanos >= ends[segments.size()]) {
            return arrivals[segments.size()];
        }
        int k = segmentAt(offsetNanos);
        double tau = (offsetNanos - ends[k]) / 1e9;
        double from = fromRates[k];
        double slope = (segments.get(k).toRate() - from) / (segments.get(k).durationNanos() / 1e9);
        return arrivals[k] + from * tau + slope * tau * tau / 2;
    }

    /**
     * {@code Λ⁻¹}: the first offset (ns, rounded) by which {@code expected} arrivals are exceeded,
     * {@code inf{t : Λ(t) > expected}}; {@link ArrivalSchedule#END} when the profile expects no
     * more than that many.
     *
     * @param expected a number of expected arrivals, {@code >= 0}
     */
    public long offsetOf(double expected) {
        int n = segments.size();
        if (!(expected < arrivals[n])) {
            return ArrivalSchedule.END;
        }
        // The first segment whose cumulative end exceeds the target; zero-rate segments are skipped.
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (arrivals[mid + 1] > expected) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        int k = lo;
        double delta = Math.max(0, expected - arrivals[k]);
        double seconds = segments.get(k).durationNanos() / 1e9;
        double a = fromRates[k];
        double slope = (segments.get(k).toRate() - a) / seconds;
        // Solve a·τ + slope·τ²/2 = delta in the form without cancellation: τ = 2δ / (a + √(a² + 2·slope·δ)).
        double root = Math.sqrt(Math.max(0, a * a + 2 * slope * delta));
        double tau = a + root > 0 ? 2 * delta / (a + root) : 0;
        long within = Math.min(Math.round(tau * 1e9), segments.get(k).durationNanos());
        return ends[k] + within;
    }

    /** This profile with every rate multiplied by {@code factor} ({@code --rate-scale}). */
    public RateProfile scaled(double factor) {
        if (!Double.isFinite(factor) || factor <= 0) {
            throw new IllegalArgumentException("a rate scale must be finite and > 0, got " + factor);
        }
        List<Segment> scaled = new ArrayList<>(segments.size());
        for (Segment s : segments) {
            scaled.add(new Segment(s.durationNanos(), s.toRate() * factor));
        }
        return new RateProfile(startRate * factor, scaled);
    }

    /** The segment holding {@code offsetNanos} in {@code [0, end)}: always one with a positive duration. */
    private int segmentAt(long offsetNanos) {
        // The last k with ends[k] <= offset: a jump (duration 0) is followed by a later such k.
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (ends[mid] <= offsetNanos) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RateProfile p && Double.compare(p.startRate, startRate) == 0 && p.segments.equals(segments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(startRate, segments);
    }

    @Override
    public String toString() {
        return "RateProfile[startRate=" + startRate + ", segments=" + segments + "]";
    }

    // ---- validation -------------------------------------------------------------------------

    private static void requireRate(String what, double rate) {
        if (!Double.isFinite(rate) || rate < 0) {
            throw new IllegalArgumentException(what + " must be finite and >= 0 requests/s, got " + rate);
        }
    }

    private static void requirePositiveRate(String what, double rate) {
        if (!Double.isFinite(rate) || rate <= 0) {
            throw new IllegalArgumentException(what + " must be finite and > 0 requests/s, got " + rate);
        }
    }

    private static void requirePositive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be longer than 0s, got " + d);
        }
    }

    private static void requireNonNegative(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must be >= 0s, got " + d);
        }
    }
}
