package dev.llmharness.runtime.load;

/**
 * Evenly spaced arrivals: request {@code i} at {@code round(i * 1e9 / rate)} ns. Gaps are the
 * differences of rounded instants, so the instant of request {@code i} carries no rounding drift.
 * Ticks are nanoseconds.
 */
public record ConstantSchedule(double rate) implements ArrivalSchedule {
    public ConstantSchedule {
        if (!Double.isFinite(rate) || rate <= 0) {
            throw new IllegalArgumentException("rate must be finite and > 0 requests/s, got " + rate);
        }
    }

    @Override
    public long gapTicks(long index) {
        return instant(index + 1) - instant(index);
    }

    @Override
    public long offsetNanos(long index) {
        return instant(index);
    }

    @Override
    public double rateAt(long offsetNanos) {
        return rate;
    }

    @Override
    public double peakRate() {
        return rate;
    }

    private long instant(long index) {
        return Math.round(index * (1e9 / rate));
    }
}
