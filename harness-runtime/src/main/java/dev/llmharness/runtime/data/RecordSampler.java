package dev.llmharness.runtime.data;

import dev.llmharness.api.Sampling;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Which record request {@code i} uses: a pure function of (seed, i) for both sampling modes.
 *
 * <p>With replacement, each request draws independently. Without replacement, requests {@code
 * [e*n, (e+1)*n)} form epoch {@code e} and take the records in the order of a Fisher-Yates
 * shuffle seeded by (seed, e). The last two epochs' shuffles are cached (slot {@code e mod 2}),
 * so sending threads working across an epoch boundary rarely reshuffle; a reshuffle costs
 * {@code O(n)} once per epoch.
 */
final class RecordSampler {
    private record Epoch(long number, int[] order) {}

    private final Sampling sampling;
    private final int records;
    private final long seed;
    private final AtomicReferenceArray<Epoch> epochs = new AtomicReferenceArray<>(2);

    RecordSampler(Sampling sampling, int records, long seed) {
        if (records < 1) {
            throw new IllegalArgumentException("records must be >= 1, got " + records);
        }
        this.sampling = sampling;
        this.records = records;
        this.seed = seed;
    }

    /** Record index in {@code [0, records)} for request {@code index >= 0}. */
    int record(long index) {
        if (sampling == Sampling.WITH_REPLACEMENT) {
            return Seeds.random(seed, Seeds.RECORD_DRAW, index).nextInt(records);
        }
        long number = index / records;
        int slot = (int) (number & 1);
        Epoch epoch = epochs.get(slot);
        if (epoch == null || epoch.number() != number) {
            epoch = new Epoch(number, shuffle(number));
            epochs.set(slot, epoch);
        }
        return epoch.order()[(int) (index % records)];
    }

    private int[] shuffle(long epoch) {
        int[] order = new int[records];
        for (int i = 0; i < records; i++) {
            order[i] = i;
        }
        SplittableRandom random = Seeds.random(seed, Seeds.EPOCH_SHUFFLE, epoch);
        for (int i = records - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
