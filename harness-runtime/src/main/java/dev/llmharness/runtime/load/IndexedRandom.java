package dev.llmharness.runtime.load;

/**
 * Random numbers addressed by (seed, index) rather than drawn in sequence, so that a schedule's
 * gap {@code i} is a pure function of its seed and {@code i}. Built on SplitMix64, the generator
 * of {@code java.util.SplittableRandom}: {@link #uniform(long, long)} is exactly the {@code
 * (index+1)}-th {@code nextDouble()} of {@code new SplittableRandom(seed)}.
 */
final class IndexedRandom {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private IndexedRandom() {}

    /** A uniform double in [0, 1): the {@code (index+1)}-th output of {@code SplittableRandom(seed)}. */
    static double uniform(long seed, long index) {
        return toUnit(mix64(seed + (index + 1) * GOLDEN_GAMMA));
    }

    /**
     * The {@code draw}-th uniform of request {@code index}'s own stream, for samplers that need a
     * variable number of draws per gap (rejection sampling). Each index seeds an independent
     * SplitMix64 stream from {@code mix64} of its first output.
     *
     * @param draw {@code >= 0}
     */
    static double uniform(long seed, long index, int draw) {
        long streamSeed = mix64(seed + (index + 1) * GOLDEN_GAMMA) ^ 0x5851f42d4c957f2dL;
        return toUnit(mix64(streamSeed + (draw + 1L) * GOLDEN_GAMMA));
    }

    private static double toUnit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's output function (the one {@code java.util.SplittableRandom} uses). */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
