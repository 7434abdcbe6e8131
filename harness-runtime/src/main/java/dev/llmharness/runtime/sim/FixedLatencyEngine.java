package dev.llmharness.runtime.sim;

import java.util.PriorityQueue;

/**
 * {@link SimConfig.Timing#FIXED}: every sequence on its own timeline, no batching. Token {@code k}
 * (1-based) of a sequence submitted at {@code t0} is due at {@code t0 + ttft + (k - 1) * itl}, an
 * absolute deadline, so late wake-ups never accumulate. With more than {@link #BUSY_STREAMS}
 * sequences in flight the thread wakes at most every {@link #BUSY_TICK_NANOS}, so that one wake-up
 * (and one hand-over to the event loop) serves many tokens; a token is then up to that much late,
 * which the ground truth records.
 */
final class FixedLatencyEngine extends EngineThread {
    static final int BUSY_STREAMS = 256;
    static final long BUSY_TICK_NANOS = 200_000L;

    private final long ttftNanos;
    private long lastWake;
    private final long itlNanos;
    private final PriorityQueue<Sequence> queue =
            new PriorityQueue<>((a, b) -> Long.compare(a.nextDeadline - b.nextDeadline, 0));

    FixedLatencyEngine(SimConfig config) {
        super("llmh-sim-engine");
        this.ttftNanos = config.fixedTtft().toNanos();
        this.itlNanos = Math.round(config.fixedItl().toNanos() * config.itlScale());
        startThread();
    }

    @Override
    void accept(Sequence s) {
        s.state = Sequence.State.RUNNING;
        s.firstTokenDeadline = s.submitNanos + ttftNanos;
        s.nextDeadline = s.firstTokenDeadline;
        queue.add(s);
        runningGauge = queue.size();
    }

    @Override
    void drop(Sequence s) {
        s.cancelled = true;
    }

    @Override
    long work() {
        long now = System.nanoTime();
        if (queue.size() > BUSY_STREAMS && now - lastWake < BUSY_TICK_NANOS) {
            return lastWake + BUSY_TICK_NANOS - now;
        }
        lastWake = now;
        while (!queue.isEmpty()) {
            Sequence s = queue.peek();
            long wait = s.nextDeadline - now;
            if (wait > 0) {
                runningGauge = queue.size();
                return wait;
            }
            queue.poll();
            if (s.cancelled) {
                s.state = Sequence.State.DONE;
                continue;
            }
            int produced = s.generated;
            while (produced < s.outputTokens && s.firstTokenDeadline + produced * itlNanos - now <= 0) {
                produced++;
            }
            s.generated = produced;
            boolean last = produced == s.outputTokens;
            emit(s, produced, last);
            if (last) {
                s.state = Sequence.State.DONE;
            } else {
                s.nextDeadline = s.firstTokenDeadline + produced * itlNanos;
                queue.add(s);
            }
        }
        runningGauge = 0;
        return Long.MAX_VALUE;
    }
}
