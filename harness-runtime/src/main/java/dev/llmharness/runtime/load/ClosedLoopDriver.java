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
 *
 * <p>A {@link Shard} runs the plan's workers whose number is {@code ≡ shard (mod shards)}, each
 * exactly as the whole run would: worker {@code k} runs while the plan's target is above {@code k},
 * so at every instant the shards' running workers add up to the plan's. Its requests are numbered
 * {@code shard, shard + shards, ...}, so that no two shards send the prompt of the same request
 * (a closed loop's request numbers follow no schedule, but a shard numbering them from 0 would
 * send the same prompts as every other shard, at about the same time). A shard with no worker
 * (fewer workers than shards at the plan's peak) issues nothing and ends at once.
 */
final class ClosedLoopDriver implements LoadDriver {
    private static final long SLEEP_SLICE_NANOS = 10_000_000L;

    private final WorkerPlan plan;
    private final Shard shard;
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
            Shard shard,
            long thinkNanos,
            long trialStart,
            Window window,
            ExecutorService executor,
            RequestRunner runner) {
        this.plan = plan;
        this.shard = shard;
        this.thinkNanos = thinkNanos;
        this.trialStart = trialStart;
        this.window = window;
        this.executor = executor;
        this.runner = runner;
        this.workersDone = new CountDownLatch(shard.workersOf(plan.peakWorkers()));
    }

    @Override
    public void start() {
        if (workersDone.getCount() == 0) {
            issuingEnded.countDown(); // no worker of the plan is this shard's
            return;
        }
        for (int w = shard.index(); w < plan.peakWorkers(); w += shard.count()) {
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
            long index = shard.index() + nextIndex.getAndIncrement() * shard.count();
            runner.run(new Ticket(index, intended, part == Window.Part.MEASURE, false, worker));
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
