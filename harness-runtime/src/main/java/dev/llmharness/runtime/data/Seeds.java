package dev.llmharness.runtime.data;

import java.util.SplittableRandom;

/**
 * Derives independent random streams from (trial seed, purpose, index), so that every draw is a
 * pure function of its coordinates and not of the order or the thread it is made on.
 */
final class Seeds {
    /** Per-request draws of a synthetic prompt: lengths and body text. */
    static final long SHAPE_PROMPT = 0x5348415045L;
    /** The shared prefix of synthetic prompts. */
    static final long SHARED_PREFIX = 0x505245464958L;
    /** The offset added to the request index in the unique marker. */
    static final long MARKER = 0x4d41524b4552L;
    /** Record choice of a dataset drawn with replacement, and of EMPIRICAL lengths. */
    static final long RECORD_DRAW = 0x44524157L;
    /** The shuffle of one epoch of a dataset drawn without replacement. */
    static final long EPOCH_SHUFFLE = 0x53485546464c45L;

    private Seeds() {}

    static SplittableRandom random(long seed, long purpose, long index) {
        return new SplittableRandom(mix(seed, purpose, index));
    }

    static long mix(long seed, long purpose, long index) {
        return splitMix64(splitMix64(seed ^ splitMix64(purpose)) + index * 0x9E3779B97F4A7C15L);
    }

    /** Stafford's variant 13 finaliser, as in SplitMix64: a bijection that scatters every bit. */
    private static long splitMix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
