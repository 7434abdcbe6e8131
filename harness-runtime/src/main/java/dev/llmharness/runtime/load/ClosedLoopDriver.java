package dev.llmharness.runtime.load;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load: {@code concurrency} workers, each sending its next request when the previous
 * one ended, after the think time. A request's intended start is the instant its worker became
 * free (after thinking), so its dispatch lag is the harness's own time to build and send.
 */
final class ClosedLoopDriver implements LoadDriver {
    private static final long SLEEP_SLICE_NANOS = 10_000_000L;

    private final int concurrency;
    private final long thinkNanos;
    private final Window window;
    private final ExecutorService executor;
    private final RequestRunner runner;
    private final AtomicLong nextIndex = new AtomicLong();
    private final AtomicLong issued = new AtomicLong();
    private final CountDownLatch workersDone;
    private final CountDownLatch issuingEnded = new CountDownLatch(1);
    private volatile boolean stopped;

    ClosedLoopDriver(int concurrency, long thinkNanos, Window window, ExecutorService executor, RequestRunner runner) {
        this.concurrency = concurrency;
        this.thinkNanos = thinkNanos;
        this.window = window;
        this.executor = executor;
        this.runner = runner;
        this.workersDone = new CountDownLatch(concurrency);
    }

    @Override
    public void start() {
        for (int w = 0; w < concurrency; w++) {
            executor.execute(this::work);
        }
    }

    private void work() {
        try {
            boolean first = true;
            while (!stopped) {
                if (!first && thinkNanos > 0 && !think()) {
                    return;
                }
                first = false;
                long intended = System.nanoTime();
                Window.Part part = window.classify(intended);
                if (part == Window.Part.DONE) {
                    // One worker past the window is enough: no new request may start after it.
                    issuingEnded.countDown();
                    return;
                }
                issued.incrementAndGet();
                runner.run(new Ticket(nextIndex.getAndIncrement(), intended, part == Window.Part.MEASURE, false));
            }
        } finally {
            workersDone.countDown();
            if (workersDone.getCount() == 0) {
                issuingEnded.countDown();
            }
        }
    }

    private boolean think() {
        long until = System.nanoTime() + thinkNanos;
        long left;
        while ((left = until - System.nanoTime()) > 0) {
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
