package dev.llmharness.runtime.load;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load: workers, each sending its next request when the previous one ended, after the
 * think time. A {@link WorkerPlan} says when each worker runs: worker {@code k} waits for the
 * plan's next start, sends requests back to back until the plan says it must stop (finishing the
 * request in hand), then waits for its next start, until the plan has none. A request's intended
 * start is the instant its worker became free (after thinking), so its dispatch lag is the
 * harness's own time to build and send.
 */
final class ClosedLoopDriver implements LoadDriver {
    private static final long SLEEP_SLICE_NANOS = 10_000_000L;

    private final WorkerPlan plan;
    private final long thinkNanos;
    private final long trialStart;
    private final Window window;
    private final ExecutorService executor;
    private final RequestRunner runner;
    private final AtomicLong nextIndex = new AtomicLong();
    private final AtomicLong issued = new AtomicLong();
    private final CountDownLatch workersDone;
    private final CountDownLatch issuingEnded = new CountDownLatch(1);
    private volatile boolean stopped;

    ClosedLoopDriver(
            WorkerPlan plan,
            long thinkNanos,
            long trialStart,
            Window window,
            ExecutorService executor,
            RequestRunner runner) {
        this.plan = plan;
        this.thinkNanos = thinkNanos;
        this.trialStart = trialStart;
        this.window = window;
        this.executor = executor;
        this.runner = runner;
        this.workersDone = new CountDownLatch(plan.peakWorkers());
    }

    @Override
    public void start() {
        for (int w = 0; w < plan.peakWorkers(); w++) {
            int worker = w;
            executor.execute(() -> work(worker));
        }
    }

    private void work(int worker) {
        try {
            long from = 0;
            while (!stopped) {
                long start = plan.nextStart(worker, from);
                if (start == ArrivalSchedule.END || !sleepUntil(trialStart + start)) {
                    return;
                }
                long stop = plan.nextStop(worker, start);
                if (!runUntil(worker, stop == Long.MAX_VALUE ? Long.MAX_VALUE : trialStart + stop)) {
                    return;
                }
                from = stop;
            }
        } finally {
            workersDone.countDown();
            if (workersDone.getCount() == 0) {
                issuingEnded.countDown();
            }
        }
    }

    /** Sends requests back to back until {@code stopAt} (nanoTime); false when the trial is over. */
    private boolean runUntil(int worker, long stopAt) {
        boolean first = true;
        while (!stopped) {
            if (!first && thinkNanos > 0 && !sleepUntil(System.nanoTime() + thinkNanos)) {
                return false;
            }
            first = false;
            long intended = System.nanoTime();
            if (stopAt != Long.MAX_VALUE && intended - stopAt >= 0) {
                return true;
            }
            Window.Part part = window.classify(intended);
            if (part == Window.Part.DONE) {
                // One worker past the window is enough: no new request may start after it.
                issuingEnded.countDown();
                return false;
            }
            issued.incrementAndGet();
            runner.run(new Ticket(nextIndex.getAndIncrement(), intended, part == Window.Part.MEASURE, false, worker));
        }
        return false;
    }

    /** Sleeps until {@code deadline} (nanoTime) in slices; false if stopped or interrupted meanwhile. */
    private boolean sleepUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            if (stopped) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, SLEEP_SLICE_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !stopped;
    }

    @Override
    public void stop() {
        stopped = true;
        issuingEnded.countDown();
    }

    @Override
    public boolean awaitIssuingEnded(long timeoutNanos) throws InterruptedException {
        return issuingEnded.await(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public long issued() {
        return issued.get();
    }

    @Override
    public List<Ticket> abandoned() {
        return List.of();
    }
}
