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
    private long offset;
    private long index = -1;

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

    /** Advances to this shard's next request and returns its offset from the trial start, ns. */
    public long next() {
        long target = index < 0 ? shard : index + shards;
        while (nextGlobal < target) {
            offset += schedule.gapNanos(nextGlobal);
            nextGlobal++;
        }
        index = target;
        return offset;
    }

    /** The global index of the request {@link #next()} last returned. */
    public long index() {
        return index;
    }
}
