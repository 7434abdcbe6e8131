package dev.llmharness.runtime.load;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.spi.OpenLoopModel;

/**
 * An open-loop arrival schedule: the instant of each request, as an offset in nanoseconds from the
 * trial start. Offsets never depend on when earlier requests actually went out (no "now + gap"),
 * so lateness never accumulates into drift.
 *
 * <p>The gap before request {@code i + 1} is a pure function of the seed and {@code i}, and
 * request {@code i}'s instant is the sum of the gaps before it. So every shard of a split run can
 * walk the one global schedule with a {@link ScheduleCursor} and take the indices {@code ≡ shard
 * (mod shards)}: together the shards issue exactly the instants one machine would have.
 */
public interface ArrivalSchedule {
    /**
     * The gap between request {@code index} and request {@code index + 1}, nanoseconds, {@code >=
     * 0}.
     *
     * @param index request index, {@code >= 0}
     */
    long gapNanos(long index);

    /**
     * The instant of request {@code index}, nanoseconds after the trial start; request 0 starts at
     * 0. Walks the gaps, O(index): use a {@link ScheduleCursor} to iterate.
     */
    default long offsetNanos(long index) {
        ScheduleCursor cursor = new ScheduleCursor(this, 0, 1);
        long offset = 0;
        for (long i = 0; i <= index; i++) {
            offset = cursor.next();
        }
        return offset;
    }

    /** Requests per second, {@code > 0}. */
    double rate();

    /** The schedule of an open-loop model with the given seed. */
    static ArrivalSchedule of(OpenLoopModel model, long seed) {
        return model.arrival() == Arrival.POISSON
                ? new PoissonSchedule(model.rate(), seed)
                : new ConstantSchedule(model.rate());
    }
}
