package dev.llmharness.api.spi;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.Limits;
import java.util.Locale;
import java.util.Objects;

/**
 * Open-loop load at one rate.
 *
 * @param arrival how start instants are spaced
 * @param rate requests per second, finite and {@code > 0}
 * @param maxInFlight cap on requests in flight, {@code 0} for none, at most {@link
 *     dev.llmharness.api.Limits#MAX_CONCURRENCY}
 * @param burstiness the shape of gamma-distributed gaps with {@link Arrival#POISSON} (vLLM's {@code
 *     --burstiness}): 1 is Poisson, below 1 burstier, above 1 more even; in {@code [0.01, 1000]},
 *     and exactly 1 with {@link Arrival#CONSTANT}
 */
public record OpenLoopModel(Arrival arrival, double rate, int maxInFlight, double burstiness) implements LoadModel {
    public OpenLoopModel {
        Objects.requireNonNull(arrival, "arrival");
        if (!Double.isFinite(rate) || rate <= 0) {
            throw new IllegalArgumentException("rate must be finite and > 0 requests/s, got " + rate);
        }
        String tooHigh = dev.llmharness.api.Limits.aboveMaxRate("rate", rate);
        if (tooHigh != null) {
            throw new IllegalArgumentException(tooHigh);
        }
        checkMaxInFlight(maxInFlight);
        checkBurstiness(arrival, burstiness);
    }

    /** Poisson or evenly spaced arrivals (burstiness 1). */
    public OpenLoopModel(Arrival arrival, double rate, int maxInFlight) {
        this(arrival, rate, maxInFlight, 1.0);
    }

    /** Whether the gaps are gamma-distributed with a shape other than 1. */
    public boolean bursty() {
        return burstiness != 1.0;
    }

    /** Its rate: an open loop holds one rate for the whole trial. */
    @Override
    public java.util.OptionalDouble fixedRate() {
        return java.util.OptionalDouble.of(rate);
    }

    /** {@code rate=<rate>}. */
    @Override
    public LoadId id() {
        return new LoadId(LoadId.RATE, TrialSpec.formatRate(rate));
    }

    @Override
    public String describe() {
        return "open " + arrival(arrival, burstiness) + " " + TrialSpec.formatRate(rate) + " req/s"
                + inFlight(maxInFlight);
    }

    @Override
    public OpenLoopModel scaled(double factor) {
        LoadModel.checkScale(factor);
        return factor == 1.0 ? this : new OpenLoopModel(arrival, rate * factor, maxInFlight, burstiness);
    }

    /** Empty: its rate is what {@code --rate-scale} multiplies. */
    @Override
    public java.util.Optional<String> rateScaleNotApplied(double factor) {
        return java.util.Optional.empty();
    }

    /** Empty: its length is the window's, which the caller scales. */
    @Override
    public java.util.Optional<String> durationScaleNotApplied(double factor) {
        return java.util.Optional.empty();
    }

    /** Unchanged: its length is the window's, which the caller scales. */
    @Override
    public OpenLoopModel scaledTime(double factor) {
        LoadModel.checkTimeScale(factor);
        return this;
    }

    @Override
    public int peakConcurrency() {
        return LoadModel.openPeakConcurrency(maxInFlight, rate);
    }

    @Override
    public java.util.OptionalInt peakInFlight(java.time.Duration perRequest) {
        return LoadModel.littlesLaw(maxInFlight, rate, perRequest);
    }

    /** The rate times the span. */
    @Override
    public java.util.OptionalDouble expectedArrivals(java.time.Duration from, java.time.Duration to) {
        return java.util.OptionalDouble.of(rate * LoadModel.spanSeconds(from, to));
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.open(this);
    }

    static void checkBurstiness(Arrival arrival, double burstiness) {
        String outside = Limits.outsideBurstiness("burstiness", burstiness);
        if (outside != null) {
            throw new IllegalArgumentException(outside);
        }
        if (arrival == Arrival.CONSTANT && burstiness != 1.0) {
            throw new IllegalArgumentException("burstiness applies to POISSON arrivals only; CONSTANT arrivals are"
                    + " evenly spaced: use arrival = POISSON or remove burstiness");
        }
    }

    /** A cap on requests in flight: {@code 0} for none, else at most {@link Limits#MAX_CONCURRENCY}. */
    static void checkMaxInFlight(int maxInFlight) {
        if (maxInFlight < 0) {
            throw new IllegalArgumentException("maxInFlight must be >= 0 (0 means no cap), got " + maxInFlight);
        }
        String tooHigh = Limits.aboveMaxConcurrency("maxInFlight", maxInFlight);
        if (tooHigh != null) {
            throw new IllegalArgumentException(tooHigh);
        }
    }

    static String arrival(Arrival arrival, double burstiness) {
        return burstiness == 1.0
                ? arrival.name()
                : String.format(Locale.ROOT, "GAMMA(burstiness %s)", TrialSpec.formatRate(burstiness));
    }

    static String inFlight(int maxInFlight) {
        return maxInFlight > 0 ? " (max in flight " + maxInFlight + ")" : "";
    }
}
