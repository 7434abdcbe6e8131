package dev.llmharness.runtime.load;

/**
 * Walks an {@link ArrivalSchedule} in index order, taking only the indices {@code ≡ shard (mod
 * shards)}. Not thread-safe: the dispatcher owns it. An unsharded run is shard 0 of 1.
 */
public final class ScheduleCursor {
    private final ArrivalSchedule schedule;
    private final int shard;
    private final int shards;
    private long nextGlobal;
    private long ticks;
    private long index = -1;
    private boolean ended;

    /**
     * @param shard this shard, {@code 0 <= shard < shards}
     * @param shards number of shards, {@code >= 1}
     */
    public ScheduleCursor(ArrivalSchedule schedule, int shard, int shards) {
        if (shards < 1 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard must be in [0, " + shards + "), got " + shard);
        }
        this.schedule = schedule;
        this.shard = shard;
        this.shards = shards;
    }

    /**
     * Advances to this shard's next request and returns its offset from the trial start, ns, or
     * {@link ArrivalSchedule#END} once the schedule has ended (and on every call after).
     */
    public long next() {
        if (ended) {
            return ArrivalSchedule.END;
        }
        long target = index < 0 ? shard : index + shards;
        while (nextGlobal < target) {
            long gap = schedule.gapTicks(nextGlobal);
            if (gap > Long.MAX_VALUE - ticks) {
                ended = true;
                return ArrivalSchedule.END;
            }
            ticks += gap;
            nextGlobal++;
        }
        index = target;
        long offset = schedule.nanosAt(ticks);
        ended = offset == ArrivalSchedule.END;
        return offset;
    }

    /** The global index of the request {@link #next()} last returned. */
    public long index() {
        return index;
    }
}
