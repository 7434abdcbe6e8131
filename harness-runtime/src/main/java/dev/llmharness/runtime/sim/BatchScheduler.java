package dev.llmharness.runtime.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * The scheduling logic of a continuous-batching engine, free of threads and clocks so that tests
 * can drive it with a virtual clock. One engine step is {@link #planStep()} (admit, choose the
 * work, return how long the step takes) followed, after that time, by {@link #finishStep} (emit
 * one token per decoding sequence and a first token per completed prefill). Equations:
 * {@code docs/simulator.md}.
 *
 * <p>Not thread-safe: one engine thread owns it.
 */
final class BatchScheduler {
    /** Receives the tokens of a finished step, in admission order. */
    interface Sink {
        void token(Sequence sequence, int produced, boolean last);
    }

    private final long stepBaseNanos;
    private final long prefillNanosPerToken;
    private final long decodeNanosPerSequence;
    private final long decodeNanosPerKvToken;
    private final double itlScale;
    private final int maxNumSeqs;
    private final int kvCacheTokens;
    private final int maxBatchedTokens;

    private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();
    private final ArrayList<Sequence> running = new ArrayList<>();
    private int kvReserved;
    private boolean planned;

    BatchScheduler(SimConfig config) {
        this.stepBaseNanos = config.stepBase().toNanos();
        this.prefillNanosPerToken = config.prefillPerToken().toNanos();
        this.decodeNanosPerSequence = config.decodePerSequence().toNanos();
        this.decodeNanosPerKvToken = config.decodePerKvToken().toNanos();
        this.itlScale = config.itlScale();
        this.maxNumSeqs = config.maxNumSeqs();
        this.kvCacheTokens = config.kvCacheTokens();
        this.maxBatchedTokens = config.maxBatchedTokens();
    }

    /** Queues a new sequence (FCFS); it is admitted at the start of a later step. */
    void add(Sequence s) {
        if (s.reservedTokens > kvCacheTokens) {
            throw new IllegalArgumentException(
                    "sequence needs " + s.reservedTokens + " KV-cache tokens, more than the capacity " + kvCacheTokens);
        }
        s.state = Sequence.State.WAITING;
        waiting.addLast(s);
    }

    /** Drops a sequence whose client went away; its KV reservation is freed at the next step. */
    void cancel(Sequence s) {
        if (s.state == Sequence.State.WAITING) {
            waiting.remove(s);
            s.state = Sequence.State.DONE;
        } else if (s.state == Sequence.State.RUNNING) {
            s.cancelled = true;
        }
    }

    /** Nothing running and nothing waiting. */
    boolean idle() {
        return running.isEmpty() && waiting.isEmpty();
    }

    /**
     * Starts a step: drops cancelled sequences, admits waiting ones FCFS while a batch slot, the
     * KV cache and the step's token budget allow, and chooses each sequence's work.
     *
     * @return the step's duration in nanoseconds, or -1 when there is nothing to do
     */
    long planStep() {
        if (planned) {
            throw new IllegalStateException("finishStep was not called for the previous step");
        }
        int kept = 0;
        for (Sequence s : running) {
            if (s.cancelled) {
                kvReserved -= s.reservedTokens;
                s.state = Sequence.State.DONE;
            } else {
                running.set(kept++, s);
            }
        }
        trim(kept);
        if (idle()) {
            return -1;
        }
        long budget = maxBatchedTokens > 0 ? maxBatchedTokens : Long.MAX_VALUE;
        int decodeSequences = 0;
        long kvTokens = 0;
        for (Sequence s : running) {
            s.stepPrefill = 0;
            s.stepDecode = s.decoding() && budget > 0;
            if (s.stepDecode) {
                decodeSequences++;
                kvTokens += s.promptTokens + s.generated;
                budget--;
            }
        }
        long prefillTokens = 0;
        for (Sequence s : running) {
            if (!s.decoding() && budget > 0) {
                int chunk = (int) Math.min(budget, s.promptTokens - s.prefilled);
                s.stepPrefill = chunk;
                budget -= chunk;
                prefillTokens += chunk;
            }
        }
        while (!waiting.isEmpty() && running.size() < maxNumSeqs && budget > 0) {
            Sequence s = waiting.peekFirst();
            if (kvReserved + s.reservedTokens > kvCacheTokens) {
                break; // FCFS: the head waits for KV space, and so does everyone behind it
            }
            waiting.pollFirst();
            s.state = Sequence.State.RUNNING;
            kvReserved += s.reservedTokens;
            running.add(s);
            int chunk = (int) Math.min(budget, s.promptTokens);
            s.stepPrefill = chunk;
            s.stepDecode = false;
            budget -= chunk;
            prefillTokens += chunk;
        }
        planned = true;
        return stepNanos(decodeSequences, kvTokens, prefillTokens);
    }

    /** Duration of a step in nanoseconds (the equation of {@code docs/simulator.md}). */
    long stepNanos(int decodeSequences, long kvTokens, long prefillTokens) {
        double decode = stepBaseNanos
                + (double) decodeNanosPerSequence * decodeSequences
                + (double) decodeNanosPerKvToken * kvTokens;
        return Math.round(decode * itlScale) + prefillNanosPerToken * prefillTokens;
    }

    /**
     * Ends the step planned last: every decoding sequence gets one token, every sequence whose
     * prefill completed gets its first token; finished sequences leave the batch and free their
     * KV reservation.
     */
    void finishStep(Sink sink) {
        if (!planned) {
            throw new IllegalStateException("planStep was not called");
        }
        planned = false;
        int kept = 0;
        for (Sequence s : running) {
            boolean emits = false;
            if (s.stepDecode) {
                emits = true;
            } else if (s.stepPrefill > 0) {
                s.prefilled += s.stepPrefill;
                emits = s.decoding();
            }
            s.stepPrefill = 0;
            s.stepDecode = false;
            boolean last = false;
            if (emits && !s.cancelled) {
                s.generated++;
                last = s.generated == s.outputTokens;
                sink.token(s, s.generated, last);
            }
            if (last) {
                kvReserved -= s.reservedTokens;
                s.state = Sequence.State.DONE;
            } else {
                running.set(kept++, s);
            }
        }
        trim(kept);
    }

    private void trim(int size) {
        for (int i = running.size() - 1; i >= size; i--) {
            running.remove(i);
        }
    }

    /** Sequences in the batch (prefilling or decoding). */
    int running() {
        return running.size();
    }

    /** Sequences queued for admission. */
    int waiting() {
        return waiting.size();
    }

    /** KV-cache tokens reserved by the batch. */
    int kvReserved() {
        return kvReserved;
    }

    int kvCacheTokens() {
        return kvCacheTokens;
    }
}
