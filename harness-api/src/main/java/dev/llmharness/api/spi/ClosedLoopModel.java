package dev.llmharness.api.spi;

import java.time.Duration;

/**
 * Closed-loop load with a fixed number of workers.
 *
 * @param concurrency number of workers, {@code >= 1} and at most {@link
 *     dev.llmharness.api.Limits#MAX_CONCURRENCY}
 * @param thinkTime pause between a worker's requests, {@code >= 0}
 */
public record ClosedLoopModel(int concurrency, Duration thinkTime) implements LoadModel {
    public ClosedLoopModel {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
        }
        String tooMany = dev.llmharness.api.Limits.aboveMaxConcurrency("concurrency", concurrency);
        if (tooMany != null) {
            throw new IllegalArgumentException(tooMany);
        }
        if (thinkTime.isNegative()) {
            throw new IllegalArgumentException("thinkTime must be >= 0, got " + thinkTime);
        }
    }

    /** {@code concurrency=<workers>}. */
    @Override
    public LoadId id() {
        return new LoadId(LoadId.CONCURRENCY, Integer.toString(concurrency));
    }

    @Override
    public String describe() {
        return "closed " + concurrency + " workers" + StagedClosedLoopModel.think(thinkTime);
    }

    /** Unchanged: a closed loop has no rate to multiply ({@link #rateScaleNotApplied}). */
    @Override
    public ClosedLoopModel scaled(double factor) {
        LoadModel.checkScale(factor);
        return this;
    }

    /** Always: its rate follows the server's speed; its knob is {@code @ClosedLoop(concurrency)}. */
    @Override
    public java.util.Optional<String> rateScaleNotApplied(double factor) {
        LoadModel.checkScale(factor);
        return java.util.Optional.of(LoadModel.closedLoopHasNoRate(describe(), "@ClosedLoop(concurrency)"));
    }

    /** Empty: its length is the window's, which the caller scales. */
    @Override
    public java.util.Optional<String> durationScaleNotApplied(double factor) {
        return java.util.Optional.empty();
    }

    /** Unchanged: its length is the window's, which the caller scales. */
    @Override
    public ClosedLoopModel scaledTime(double factor) {
        LoadModel.checkTimeScale(factor);
        return this;
    }

    @Override
    public int peakConcurrency() {
        return concurrency;
    }

    /** Its workers: each holds one request in flight however long it takes. */
    @Override
    public java.util.OptionalInt peakInFlight(Duration perRequest) {
        return java.util.OptionalInt.of(concurrency);
    }

    /** Unknown: a closed loop's requests follow the server's speed. */
    @Override
    public java.util.OptionalDouble expectedArrivals(Duration from, Duration to) {
        return java.util.OptionalDouble.empty();
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.closed(this);
    }
}
