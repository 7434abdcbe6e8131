package dev.llmharness.runtime.protocol;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The chunks {@link FrameReader#read} pulls a body into, reused from one stream to the next: a
 * 4 KB array per stream was most of the bytes the pulled event path allocated on short answers
 * (64 B per event on a 64-token answer). A few slots, each picked by the reading thread's id, hold
 * a returned chunk; a reader takes its slot's chunk, or a new one when the slot is empty (another
 * stream of a thread with the same slot has it), and puts it back when the body ends. A chunk is
 * never shared: the reader owns it between take and give, and {@code feed} copies what it keeps.
 */
final class PullChunks {
    /** A power of two: a request thread per stream in flight, a handful running at a time. */
    private static final int SLOTS = 16;

    private static final AtomicReferenceArray<byte[]> FREE = new AtomicReferenceArray<>(SLOTS);

    private PullChunks() {}

    /** A chunk of {@link FrameReader#PULL_CHUNK_BYTES} bytes, the caller's until {@link #give}. */
    static byte[] take() {
        byte[] chunk = FREE.getAndSet(slot(), null);
        return chunk != null ? chunk : new byte[FrameReader.PULL_CHUNK_BYTES];
    }

    /** Returns a chunk from {@link #take()}; the caller must not touch it afterwards. */
    static void give(byte[] chunk) {
        FREE.compareAndSet(slot(), null, chunk);
    }

    private static int slot() {
        return (int) Thread.currentThread().getId() & (SLOTS - 1);
    }
}
