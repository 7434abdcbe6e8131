package dev.llmharness.runtime.selfbench;

import java.util.Arrays;

/** A growable array of nanosecond values and their exact percentiles (not thread-safe). */
final class LongSamples {
    private long[] values = new long[1024];
    private int size;
    private boolean sorted;

    void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
        sorted = false;
    }

    int size() {
        return size;
    }

    /** The value at percentile {@code q} in (0, 100] (nearest rank), in ms; {@code NaN} when empty. */
    double percentileMillis(double q) {
        if (size == 0) {
            return Double.NaN;
        }
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
        int rank = (int) Math.ceil(q / 100.0 * size);
        return values[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }
}
