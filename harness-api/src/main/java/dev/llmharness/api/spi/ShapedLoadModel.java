package dev.llmharness.api.spi;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Open-loop load whose rate changes over time, piecewise linearly: from {@code startRate}, each
 * stage goes to its target rate over its duration. The trial's load ends with the last stage. The
 * factories build the named shapes: {@link #ramp}, {@link #stages}, {@link #steps}, {@link #spike}
 * and {@link #soak}.
 *
 * @param shape the shape's name ({@code ramp}, {@code stages}, {@code step}, {@code spike}, {@code
 *     soak}): the trial's {@code load} parameter
 * @param arrival how instants are spaced around the intended rate
 * @param burstiness gamma shape of POISSON gaps, 1 for Poisson (see {@link OpenLoopModel})
 * @param startRate requests per second at the start, finite and {@code >= 0}
 * @param stages at least one; together longer than 0 s and expecting some arrivals; a {@code spike}'s
 *     highest rate is above its {@code startRate}
 * @param maxInFlight cap on requests in flight, {@code 0} for none, at most {@link
 *     dev.llmharness.api.Limits#MAX_CONCURRENCY}
 */
public record ShapedLoadModel(
        String shape, Arrival arrival, double burstiness, double startRate, List<RateStage> stages, int maxInFlight)
        implements LoadModel {

    public ShapedLoadModel {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(arrival, "arrival");
        OpenLoopModel.checkBurstiness(arrival, burstiness);
        requireRate("the start rate", startRate);
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a rate shape needs at least one stage");
        }
        OpenLoopModel.checkMaxInFlight(maxInFlight);
        Duration total = Duration.ZERO;
        double arrivals = 0;
        double from = startRate;
        for (RateStage s : stages) {
            total = total.plus(s.duration());
            arrivals += (from + s.toRate()) / 2 * (s.duration().toNanos() / 1e9);
            from = s.toRate();
        }
        if (total.isZero()) {
            throw new IllegalArgumentException("a rate shape must last longer than 0s");
        }
        if (!(arrivals > 0)) {
            throw new IllegalArgumentException("a rate shape must expect at least some arrivals: every rate is 0");
        }
        if (shape.equals(SPIKE)) {
            // Whatever built it (the factory, --rate-scale, llmh release-gate): a spike no higher
            // than its base is a constant rate under the spike's name.
            double peak = startRate;
            for (RateStage s : stages) {
                peak = Math.max(peak, s.toRate());
            }
            if (!(peak > startRate)) {
                throw new IllegalArgumentException("a spike's peak rate (" + peak + ") must be above its base rate ("
                        + startRate + "): a spike no higher than its base is a constant rate");
            }
        }
    }

    /** The shape name of {@link #spike}: its peak is always above its base. */
    public static final String SPIKE = "spike";

    /** The name of a {@link #soak}: the one shape that holds one rate. */
    public static final String SOAK = "soak";

    /** A linear ramp from {@code fromRate} to {@code toRate} over {@code duration}. */
    public static ShapedLoadModel ramp(
            Arrival arrival, double burstiness, double fromRate, double toRate, Duration duration, int maxInFlight) {
        requirePositive("the ramp's duration", duration);
        return new ShapedLoadModel(
                "ramp", arrival, burstiness, fromRate, List.of(new RateStage(duration, toRate)), maxInFlight);
    }

    /** k6's ramping arrival rate: from {@code startRate}, each stage goes to its target over its duration. */
    public static ShapedLoadModel stages(
            Arrival arrival, double burstiness, double startRate, List<RateStage> stages, int maxInFlight) {
        return new ShapedLoadModel("stages", arrival, burstiness, startRate, stages, maxInFlight);
    }

    /**
     * A step test, as Gatling's {@code incrementUsersPerSec(increment).times(levels)
     * .eachLevelLasting(level).separatedByRampsLasting(ramp).startingFrom(startRate)}: level {@code
     * k} (from 0) holds {@code startRate + k * increment} for {@code level}; consecutive levels are
     * joined by linear ramps of {@code ramp} (0 jumps).
     */
    public static ShapedLoadModel steps(
            Arrival arrival,
            double burstiness,
            double startRate,
            double increment,
            int levels,
            Duration level,
            Duration ramp,
            int maxInFlight) {
        if (levels < 1) {
            throw new IllegalArgumentException("a step test needs at least 1 level, got " + levels);
        }
        if (!Double.isFinite(increment)) {
            throw new IllegalArgumentException("the increment must be finite, got " + increment);
        }
        requirePositive("each level's duration", level);
        requireNonNegative("the ramp between levels", ramp);
        List<RateStage> stages = new ArrayList<>();
        for (int k = 0; k < levels; k++) {
            double rate = startRate + k * increment;
            requireRate("level " + (k + 1) + "'s rate", rate);
            if (k > 0) {
                // A ramp of 0 s is a jump: without it the level would climb over its whole length.
                stages.add(new RateStage(ramp, rate));
            }
            stages.add(new RateStage(level, rate));
        }
        return new ShapedLoadModel("step", arrival, burstiness, startRate, stages, maxInFlight);
    }

    /**
     * A spike: {@code baseRate} for {@code before}, a linear rise to {@code peakRate} over {@code
     * rise} (0 jumps), {@code peakRate} for {@code hold}, a linear fall back over {@code fall}, then
     * {@code baseRate} for {@code after}.
     *
     * @param peakRate above {@code baseRate} (an invariant of every spike), at most {@link
     *     dev.llmharness.api.Limits#MAX_RATE}
     * @param hold longer than 0
     */
    public static ShapedLoadModel spike(
            Arrival arrival,
            double burstiness,
            double baseRate,
            double peakRate,
            Duration before,
            Duration rise,
            Duration hold,
            Duration fall,
            Duration after,
            int maxInFlight) {
        requireRate("the base rate", baseRate);
        if (!Double.isFinite(peakRate) || peakRate <= 0) {
            throw new IllegalArgumentException("the peak rate must be finite and > 0 requests/s, got " + peakRate);
        }
        if (!(peakRate > baseRate)) {
            throw new IllegalArgumentException("the peak rate (" + peakRate + ") must be above the base rate ("
                    + baseRate + "): a spike no higher than its base is a constant rate");
        }
        requireNonNegative("the time before the spike", before);
        requireNonNegative("the rise", rise);
        requirePositive("the hold at the peak", hold);
        requireNonNegative("the fall", fall);
        requireNonNegative("the time after the spike", after);
        return new ShapedLoadModel(
                SPIKE,
                arrival,
                burstiness,
                baseRate,
                List.of(
                        new RateStage(before, baseRate),
                        new RateStage(rise, peakRate),
                        new RateStage(hold, peakRate),
                        new RateStage(fall, baseRate),
                        new RateStage(after, baseRate)),
                maxInFlight);
    }

    /** A soak test: one constant rate for a long duration. */
    public static ShapedLoadModel soak(
            Arrival arrival, double burstiness, double rate, Duration duration, int maxInFlight) {
        if (!Double.isFinite(rate) || rate <= 0) {
            throw new IllegalArgumentException("the rate must be finite and > 0 requests/s, got " + rate);
        }
        requirePositive("the duration", duration);
        return new ShapedLoadModel(
                SOAK, arrival, burstiness, rate, List.of(new RateStage(duration, rate)), maxInFlight);
    }

    /** The whole shape's length: the trial measures until it ends. */
    @Override
    public java.util.Optional<Duration> length() {
        return java.util.Optional.of(duration());
    }

    /** The whole shape's length. */
    public Duration duration() {
        Duration total = Duration.ZERO;
        for (RateStage s : stages) {
            total = total.plus(s.duration());
        }
        return total;
    }

    /**
     * The arrivals the shape expects from {@code from} (after the trial start) to its end: the
     * integral of its rate, exact for the piecewise-linear shape.
     */
    public double expectedArrivalsAfter(Duration from) {
        double t0 = from.toNanos() / 1e9;
        double start = 0;
        double rate = startRate;
        double sum = 0;
        for (RateStage s : stages) {
            double len = s.duration().toNanos() / 1e9;
            double end = start + len;
            if (end > t0 && len > 0) {
                double a = Math.max(start, t0);
                double ra = rate + (s.toRate() - rate) * (a - start) / len;
                sum += (ra + s.toRate()) / 2 * (end - a);
            }
            rate = s.toRate();
            start = end;
        }
        return sum;
    }

    /** The integral of the rate over the span, within the shape (none arrive after its end). */
    @Override
    public java.util.OptionalDouble expectedArrivals(Duration from, Duration to) {
        if (to.compareTo(from) <= 0) {
            return java.util.OptionalDouble.of(0);
        }
        return java.util.OptionalDouble.of(expectedArrivalsAfter(from) - expectedArrivalsAfter(to));
    }

    /** The highest rate anywhere in the shape, requests per second. */
    public double peakRate() {
        double peak = startRate;
        for (RateStage s : stages) {
            peak = Math.max(peak, s.toRate());
        }
        return peak;
    }

    /** {@code load=<shape>}: {@code ramp}, {@code stages}, {@code step}, {@code spike} or {@code soak}. */
    @Override
    public LoadId id() {
        return new LoadId(LoadId.LOAD, shape);
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder(shape)
                .append(' ')
                .append(OpenLoopModel.arrival(arrival, burstiness))
                .append(' ')
                .append(TrialSpec.formatRate(startRate));
        for (RateStage s : stages) {
            b.append(s.duration().isZero() ? " ⇒ " : " → ").append(TrialSpec.formatRate(s.toRate()));
            if (!s.duration().isZero()) {
                b.append(" over ").append(DurationText.format(s.duration()));
            }
        }
        return b.append(" req/s").append(OpenLoopModel.inFlight(maxInFlight)).toString();
    }

    @Override
    public ShapedLoadModel scaled(double factor) {
        LoadModel.checkScale(factor);
        if (factor == 1.0) {
            return this;
        }
        List<RateStage> scaled = new ArrayList<>();
        for (RateStage s : stages) {
            scaled.add(new RateStage(s.duration(), s.toRate() * factor));
        }
        return new ShapedLoadModel(shape, arrival, burstiness, startRate * factor, scaled, maxInFlight);
    }

    /** Empty: every rate of the shape is what {@code --rate-scale} multiplies. */
    @Override
    public java.util.Optional<String> rateScaleNotApplied(double factor) {
        return java.util.Optional.empty();
    }

    /** Empty: {@link #scaledTime} scales every stage. */
    @Override
    public java.util.Optional<String> durationScaleNotApplied(double factor) {
        return java.util.Optional.empty();
    }

    /** Every stage's duration times {@code factor}, its rates unchanged: the same shape, faster or slower. */
    @Override
    public ShapedLoadModel scaledTime(double factor) {
        LoadModel.checkTimeScale(factor);
        if (factor == 1.0) {
            return this;
        }
        List<RateStage> scaled = new ArrayList<>();
        for (RateStage s : stages) {
            scaled.add(new RateStage(LoadModel.scaleDuration("a stage", s.duration(), factor), s.toRate()));
        }
        return new ShapedLoadModel(shape, arrival, burstiness, startRate, scaled, maxInFlight);
    }

    @Override
    public int peakConcurrency() {
        return LoadModel.openPeakConcurrency(maxInFlight, peakRate());
    }

    /** Little's law at the shape's {@link #peakRate()}. */
    @Override
    public java.util.OptionalInt peakInFlight(Duration perRequest) {
        return LoadModel.littlesLaw(maxInFlight, peakRate(), perRequest);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.shaped(this);
    }

    private static void requireRate(String what, double rate) {
        if (!Double.isFinite(rate) || rate < 0) {
            throw new IllegalArgumentException(what + " must be finite and >= 0 requests/s, got " + rate);
        }
        String tooHigh = dev.llmharness.api.Limits.aboveMaxRate(what, rate);
        if (tooHigh != null) {
            throw new IllegalArgumentException(tooHigh);
        }
    }

    private static void requirePositive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be longer than 0s, got " + DurationText.format(d));
        }
    }

    private static void requireNonNegative(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must be >= 0s, got " + d);
        }
    }
}
