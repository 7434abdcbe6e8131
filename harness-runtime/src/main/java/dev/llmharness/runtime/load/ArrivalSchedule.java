package dev.llmharness.runtime.load;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.ShapedLoadModel;

/**
 * An open-loop arrival schedule: the instant of each request, as an offset in nanoseconds from the
 * trial start. Offsets never depend on when earlier requests actually went out (no "now + gap"),
 * so lateness never accumulates into drift.
 *
 * <p>A schedule runs on its own clock, counted in integer <em>ticks</em>. The gap in ticks before
 * request {@code i + 1} is a pure function of the seed and {@code i}; request {@code i}'s position
 * is the exact (integer) sum of the gaps before it, and {@link #nanosAt} maps a position to its
 * instant. A constant-rate schedule's ticks are nanoseconds and the map is the identity; a shaped
 * schedule ({@link ShapedSchedule}) counts expected arrivals in fixed point and maps them through
 * the inverse of its cumulative rate; a trace ({@link TraceSchedule}) counts recorded nanoseconds
 * and divides them by its speed-up. Summing integers keeps every instant free of accumulated
 * floating-point error over any number of arrivals.
 *
 * <p>Every shard of a split run can walk the one global schedule with a {@link ScheduleCursor} and
 * take the indices {@code ≡ shard (mod shards)}: together the shards issue exactly the instants one
 * machine would have.
 */
public interface ArrivalSchedule {
    /** What {@link #nanosAt} and {@link ScheduleCursor#next()} return past the schedule's end. */
    long END = Long.MIN_VALUE;

    /**
     * The gap between request {@code index} and request {@code index + 1}, in the schedule's ticks,
     * {@code >= 0}.
     *
     * @param index request index, {@code >= 0}
     */
    long gapTicks(long index);

    /**
     * The instant of a position on the schedule's clock, nanoseconds after the trial start, or
     * {@link #END} when the schedule ends before that position. Non-decreasing in {@code ticks}.
     * The default: ticks are nanoseconds and the schedule never ends.
     *
     * @param ticks a sum of gaps from request 0, {@code >= 0}
     */
    default long nanosAt(long ticks) {
        return ticks;
    }

    /**
     * The instant of request {@code index}, nanoseconds after the trial start (request 0 starts at
     * the schedule's first instant, 0 unless its rate starts at 0), or {@link #END}. Walks the
     * gaps, O(index): use a {@link ScheduleCursor} to iterate.
     */
    default long offsetNanos(long index) {
        ScheduleCursor cursor = new ScheduleCursor(this, 0, 1);
        long offset = END;
        for (long i = 0; i <= index; i++) {
            offset = cursor.next();
        }
        return offset;
    }

    /**
     * The rate the schedule intends at an offset, requests per second, {@code >= 0}; the average
     * over any stretch of a random schedule converges to the integral of this.
     *
     * @param offsetNanos nanoseconds after the trial start, {@code >= 0}
     */
    double rateAt(long offsetNanos);

    /** The highest rate the schedule intends at any instant, requests per second. */
    double peakRate();

    /**
     * How long the schedule issues requests, nanoseconds from the trial start, or {@link
     * Long#MAX_VALUE} when it never ends by itself (the measurement window then ends the trial).
     */
    default long durationNanos() {
        return Long.MAX_VALUE;
    }

    /** The schedule of a constant-rate open-loop model with the given seed. */
    static ArrivalSchedule of(OpenLoopModel model, long seed) {
        if (model.bursty()) {
            return new ShapedSchedule(RateProfile.constant(model.rate()), new UnitGaps.Gamma(model.burstiness()), seed);
        }
        return model.arrival() == Arrival.POISSON
                ? new PoissonSchedule(model.rate(), seed)
                : new ConstantSchedule(model.rate());
    }

    /** The schedule of a rate shape with the given seed. */
    static ArrivalSchedule of(ShapedLoadModel model, long seed) {
        return new ShapedSchedule(RateProfile.of(model), UnitGaps.of(model.arrival(), model.burstiness()), seed);
    }
}
