package dev.llmharness.runtime.load;

import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.TrialSpec;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One part of a run split over several load generators ({@code --shard K/N}, as k6's execution
 * segments): shard {@code index} of {@code count} issues the arrivals of the one global schedule
 * whose index is {@code ≡ index (mod count)} ({@link ScheduleCursor}), runs the closed-loop workers
 * whose number is {@code ≡ index (mod count)}, and sends request {@code i} with the prompt of global
 * request {@code i}. So the shards together issue exactly what one machine would have: no arrival
 * twice and none lost, and at every instant of a worker ramp or stages their workers add up to the
 * plan's ({@link #workersOf}). An unsharded run is {@link #WHOLE}, shard 0 of 1.
 *
 * <p>Every shard runs the whole trial: its warmup, window and drain are the trial's, and a shard
 * whose share is no arrival or no worker in them runs an empty trial (a well-formed result with no
 * request), so that the merge finds all {@code N} files and knows that nothing is missing. Its
 * result records the global load ({@code trials[].load}) and the shard ({@code run.shard}), from
 * which {@code llmh merge} restores the global trial.
 *
 * @param index this shard, 0-based, {@code 0 <= index < count}
 * @param count the number of shards, {@code 1 <= count <= } {@link #MAX_COUNT}
 */
public record Shard(int index, int count) {
    /** The whole run: shard 0 of 1. */
    public static final Shard WHOLE = new Shard(0, 1);

    /**
     * The most shards a run splits into: far more load generators than any run needs (a thousand
     * machines each driving a thousand requests per second), and few enough that a slip of the
     * digits is refused rather than run as shards that mostly have nothing to do.
     */
    public static final int MAX_COUNT = 10_000;

    private static final Pattern TEXT = Pattern.compile("\\s*(-?\\d{1,10})\\s*/\\s*(-?\\d{1,10})\\s*");

    public Shard {
        String problem = problem(index, count);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Reads {@code K/N}, e.g. {@code 1/4}: shard K (0-based) of N.
     *
     * @throws IllegalArgumentException saying what is wrong and what to write, without the option's
     *     name (the caller names where the text came from)
     */
    public static Shard parse(String text) {
        Matcher m = text == null ? null : TEXT.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("write K/N, shard K (from 0) of N, e.g. 0/4 to 3/4 for four shards");
        }
        long index = Long.parseLong(m.group(1));
        long count = Long.parseLong(m.group(2));
        String problem = problem(index, count);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new Shard((int) index, (int) count);
    }

    /**
     * The shard a result's {@code run.shard} names ({@code "1/4"}), or {@code null} when it names
     * none: a merged file ({@code "merged 4 shards"}), or text this harness never writes.
     */
    public static Shard fromLabel(String label) {
        if (label == null) {
            return null;
        }
        try {
            return parse(label);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String problem(long index, long count) {
        if (count < 1 || count > MAX_COUNT) {
            return "N, the number of shards, must be 1 to " + MAX_COUNT + " (Shard.MAX_COUNT), got " + count
                    + "; e.g. 0/4 to 3/4 for four shards";
        }
        if (index < 0 || index >= count) {
            return "K counts shards from 0, so it must be 0 to " + (count - 1) + " for " + count
                    + (count == 1 ? " shard" : " shards") + ", got " + index
                    + (index == count ? " (the last is " + (count - 1) + "/" + count + ")" : "");
        }
        return null;
    }

    /** Whether this is the whole run, shard 0 of 1. */
    public boolean whole() {
        return count == 1;
    }

    /**
     * How many of the first {@code total} indices {@code 0 .. total - 1} are this shard's ({@code ≡
     * index mod count}): {@code ceil((total - index) / count)}, 0 when {@code total <= index}. The
     * shards' shares of any total add up to it exactly.
     *
     * @param total {@code >= 0}
     */
    public long shareOf(long total) {
        if (total < 0) {
            throw new IllegalArgumentException("a total is >= 0, got " + total);
        }
        return total <= index ? 0 : (total - index - 1) / count + 1;
    }

    /**
     * The closed-loop workers of this shard when the plan runs {@code workers} at once: the global
     * workers {@code k < workers} with {@code k ≡ index (mod count)}. As a worker runs while the
     * plan's target is above its number, the shards' workers add up to the plan's at every instant.
     */
    public int workersOf(int workers) {
        return (int) shareOf(workers);
    }

    /**
     * The trial as this shard runs it: its load, seed and timed phases are the trial's (the load
     * stays global; the driver takes this shard's part of it), and a phase counted in requests is
     * this shard's part of the global count. A warmup of {@code W} requests becomes this shard's
     * requests among the global requests {@code 0 .. W - 1} ({@link #shareOf}; none when it has
     * none), a window of {@code M} requests its requests among {@code W .. W + M - 1}: in the open
     * loop exactly the global requests of each phase (the shard's requests are in index order),
     * and in any loop counts that add up to the trial's.
     *
     * @throws IllegalArgumentException naming the trial when its window counts fewer requests than
     *     it takes to give this shard one: a shard that measures nothing in a window bounded by its
     *     own requests has no window at all
     */
    public TrialSpec apply(TrialSpec t) {
        if (whole() || (!t.warmup().countsRequests() && !t.measurement().countsRequests())) {
            return t;
        }
        Phase warmup = t.warmup();
        long before = warmup.countsRequests() ? warmup.requests() : 0;
        if (warmup.countsRequests()) {
            long share = shareOf(warmup.requests());
            warmup = share == 0 ? Phase.NONE : Phase.ofRequests(share);
        }
        Phase measurement = t.measurement();
        if (measurement.countsRequests()) {
            long share = shareOf(before + measurement.requests()) - shareOf(before);
            if (share == 0) {
                throw new IllegalArgumentException(t.id() + ": its window counts " + measurement.requests()
                        + (measurement.requests() == 1 ? " request" : " requests") + ", none of which is shard "
                        + this + "'s (each shard takes one request in " + count + "): count at least " + count
                        + " in @Measurement(requests), give a --duration, or run fewer shards");
            }
            measurement = Phase.ofRequests(share);
        }
        return t.with(t.params(), t.load(), warmup, measurement, t.slo(), t.seed());
    }

    /** {@code K/N}, as {@code --shard} takes it and {@code run.shard} records it. */
    @Override
    public String toString() {
        return index + "/" + count;
    }
}
