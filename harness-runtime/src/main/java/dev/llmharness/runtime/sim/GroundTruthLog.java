package dev.llmharness.runtime.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} ground-truth records, in completion order; older ones are dropped
 * (and counted) so that memory stays bounded in long runs. Thread-safe.
 */
final class GroundTruthLog {
    private final GroundTruth[] ring;
    private long dropped;
    private int start;
    private int size;

    GroundTruthLog(int capacity) {
        ring = new GroundTruth[capacity];
    }

    boolean enabled() {
        return ring.length > 0;
    }

    synchronized void add(GroundTruth record) {
        if (ring.length == 0) {
            return;
        }
        if (size == ring.length) {
            ring[start] = record;
            start = (start + 1) % ring.length;
            dropped++;
        } else {
            ring[(start + size) % ring.length] = record;
            size++;
        }
    }

    /** The records kept, oldest first; with {@code clear} they are removed. */
    synchronized List<GroundTruth> snapshot(boolean clear) {
        List<GroundTruth> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(ring[(start + i) % ring.length]);
        }
        if (clear) {
            java.util.Arrays.fill(ring, null);
            start = 0;
            size = 0;
        }
        return out;
    }

    /** Records dropped because the log was full, since the start. */
    synchronized long dropped() {
        return dropped;
    }
}
