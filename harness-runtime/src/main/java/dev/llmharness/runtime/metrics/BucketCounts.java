package dev.llmharness.runtime.metrics;

import java.util.Arrays;
import org.HdrHistogram.Histogram;

/**
 * A sparse histogram for one second of a timeline: counts keyed by the HdrHistogram bucket a value
 * falls in (its {@link Histogram#lowestEquivalentValue lowest equivalent value} under {@link
 * Histograms#newTimelineLatency()}'s settings). It holds only the buckets that were hit, a few
 * dozen in a typical second, where a full histogram of those settings holds thousands of counters;
 * {@link #addTo} turns it into exactly the histogram the raw values would have made.
 *
 * <p>Open addressing over two parallel arrays; not thread-safe (the timeline locks).
 */
final class BucketCounts {
    private static final long EMPTY = -1;

    private long[] keys = newKeys(16);
    private long[] counts = new long[16];
    private int size;

    private static long[] newKeys(int capacity) {
        long[] k = new long[capacity];
        Arrays.fill(k, EMPTY);
        return k;
    }

    /** Adds one value already reduced to its bucket key ({@code >= 0}). */
    void increment(long key) {
        if (size * 2 >= keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (keys[i] == EMPTY) {
            keys[i] = key;
            size++;
        }
        counts[i]++;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Records every counted bucket into {@code h} (whose settings must be the timeline's). */
    void addTo(Histogram h) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                h.recordValueWithCount(keys[i], counts[i]);
            }
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldCounts = counts;
        keys = newKeys(oldKeys.length * 2);
        counts = new long[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = mix(oldKeys[j]) & mask;
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                counts[i] = oldCounts[j];
            }
        }
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
