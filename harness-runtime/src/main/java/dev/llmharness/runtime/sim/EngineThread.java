package dev.llmharness.runtime.sim;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;

/**
 * An engine that runs on its own thread, sleeping to absolute {@code System.nanoTime()} deadlines
 * with {@link LockSupport#parkNanos} (Netty's NIO timers only have millisecond resolution), and
 * hands each batch of produced tokens to the connections' event loops, one task per event loop
 * per batch. At most one batch per event loop is queued: while an event loop has not run the
 * previous one (it is overloaded), new tokens accumulate in the next batch instead of piling up
 * tasks, so an overloaded server falls behind in time but not in memory.
 */
abstract class EngineThread extends Engine implements Runnable {
    /** Longest idle sleep; a submission wakes the thread at once anyway. */
    private static final long IDLE_PARK_NANOS = 100_000_000L;
    /** How soon to retry handing over a batch held back because its event loop is busy. */
    private static final long HELD_BATCH_RETRY_NANOS = 50_000L;

    private final ConcurrentLinkedQueue<Sequence> submitted = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Sequence> cancelled = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean sleeping;
    private volatile boolean closed;
    private final ArrayList<Batch> batches = new ArrayList<>();

    EngineThread(String name) {
        thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    final void startThread() {
        thread.start();
    }

    @Override
    final void submit(Sequence s) {
        s.submitNanos = System.nanoTime();
        submitted.add(s);
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    final void cancel(Sequence s) {
        cancelled.add(s);
    }

    @Override
    public final void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public final void run() {
        while (!closed) {
            for (Sequence s; (s = submitted.poll()) != null; ) {
                accept(s);
            }
            for (Sequence s; (s = cancelled.poll()) != null; ) {
                drop(s);
            }
            long wait = work();
            if (!dispatch()) {
                wait = Math.min(wait, HELD_BATCH_RETRY_NANOS);
            }
            if (wait > 0) {
                sleeping = true;
                if (submitted.isEmpty()) {
                    LockSupport.parkNanos(this, Math.min(wait, IDLE_PARK_NANOS));
                }
                sleeping = false;
            }
        }
    }

    /** Takes a newly submitted sequence. */
    abstract void accept(Sequence s);

    /** Forgets a sequence whose client went away. */
    abstract void drop(Sequence s);

    /**
     * Does whatever is due now, reporting tokens through {@link #emit}.
     *
     * @return nanoseconds until something is due (a long value when idle), or 0 to be called again
     *     at once
     */
    abstract long work();

    /** Sleeps until {@code deadline} ({@code System.nanoTime()} scale), whatever wakes the thread. */
    final void sleepUntil(long deadline) {
        for (long left; (left = deadline - System.nanoTime()) > 0 && !closed; ) {
            LockSupport.parkNanos(this, left);
        }
    }

    /** Queues a report of tokens 1..{@code produced}; sent when {@link #work()} returns. */
    final void emit(Sequence s, int produced, boolean last) {
        EventExecutor executor = s.listener.executor();
        Batch batch = null;
        for (Batch b : batches) {
            if (b.executor == executor) {
                batch = b;
                break;
            }
        }
        if (batch == null) {
            batch = new Batch(executor);
            batches.add(batch);
        }
        batch.add(s, produced, last);
    }

    /** Hands over every batch whose event loop is free; false when some had to be held back. */
    private boolean dispatch() {
        boolean all = true;
        for (int i = 0; i < batches.size(); i++) {
            Batch b = batches.get(i);
            if (b.size == 0) {
                continue;
            }
            if (b.previous != null && !b.previous.done) {
                all = false; // its event loop has not run the previous batch yet
                continue;
            }
            b.previous = null;
            Batch next = new Batch(b.executor);
            next.previous = b;
            batches.set(i, next);
            try {
                b.executor.execute(b);
            } catch (RejectedExecutionException e) {
                next.previous = null; // the server is closing: its connections are gone
            }
        }
        return all;
    }

    /** The tokens of one engine step for the connections of one event loop. */
    private static final class Batch implements Runnable {
        final EventExecutor executor;
        /** The batch handed over before this one; this one waits until it has run. */
        Batch previous;
        /** Set by the event loop once run. */
        volatile boolean done;

        Sequence[] sequences = new Sequence[16];
        int[] produced = new int[16];
        boolean[] last = new boolean[16];
        int size;

        Batch(EventExecutor executor) {
            this.executor = executor;
        }

        void add(Sequence s, int count, boolean isLast) {
            if (size == sequences.length) {
                sequences = java.util.Arrays.copyOf(sequences, size * 2);
                produced = java.util.Arrays.copyOf(produced, size * 2);
                last = java.util.Arrays.copyOf(last, size * 2);
            }
            sequences[size] = s;
            produced[size] = count;
            last[size] = isLast;
            size++;
        }

        @Override
        public void run() {
            try {
                for (int i = 0; i < size; i++) {
                    sequences[i].listener.onTokens(produced[i], last[i]);
                }
            } finally {
                done = true;
            }
        }
    }
}
