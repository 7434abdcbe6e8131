package dev.llmharness.runtime.load;

import java.util.Objects;

/**
 * An open-loop schedule whose rate follows a {@link RateProfile}: request {@code i} starts at
 * {@code Λ⁻¹(Sᵢ)}, where {@code Λ} is the profile's cumulative rate and {@code Sᵢ} the sum of the
 * first {@code i} {@link UnitGaps unit gaps} (time rescaling: with exponential gaps this is a
 * non-homogeneous Poisson process of the profile's rate). The schedule ends when {@code Sᵢ} reaches
 * the arrivals the profile expects in all.
 *
 * <p>Ticks are {@link UnitGaps#TICKS_PER_ARRIVAL} per expected arrival; their integer sum is exact,
 * and {@code Λ⁻¹} is evaluated afresh for each request, so no error accumulates.
 *
 * @param profile the intended rate over time
 * @param gaps how arrivals are spaced around that rate
 * @param seed the seed of random gaps (ignored by {@link UnitGaps.Even})
 */
public record ShapedSchedule(RateProfile profile, UnitGaps gaps, long seed) implements ArrivalSchedule {
    public ShapedSchedule {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(gaps, "gaps");
    }

    @Override
    public long gapTicks(long index) {
        return gaps.gapTicks(seed, index);
    }

    @Override
    public long nanosAt(long ticks) {
        return profile.offsetOf(ticks * (1.0 / UnitGaps.TICKS_PER_ARRIVAL));
    }

    @Override
    public double rateAt(long offsetNanos) {
        return profile.rateAt(offsetNanos);
    }

    @Override
    public double peakRate() {
        return profile.peakRate();
    }

    @Override
    public long durationNanos() {
        return profile.durationNanos();
    }
}
