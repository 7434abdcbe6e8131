package dev.llmharness.runtime.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The pace of pre-opening, shared by both transports: {@value #BATCH} connects at a time, the next
 * batch {@value #PAUSE_MILLIS} ms after the last one ended, so that a server sees at most about
 * 1,600 new connections a second from it, not the storm of the load's jump that pre-opening is there
 * to avoid (a single-threaded accept loop keeps up with that; hundreds at once queue in its backlog).
 */
final class Preopening {
    /** Connects in flight at once. */
    static final int BATCH = 8;

    /** Pause between two batches, ms. */
    static final long PAUSE_MILLIS = 5;

    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicReference<String> failure = new AtomicReference<>();

    /**
     * Starts {@code n} connects through {@code one} (each future completes when its connection is
     * open and idle in the pool, or fails), {@link #BATCH} at a time, and waits for all of them.
     *
     * @param perConnect how long one connect may take (the connect timeout, plus the TLS handshake)
     */
    void run(int n, java.time.Duration perConnect, Supplier<CompletableFuture<?>> one) throws InterruptedException {
        for (int started = 0; started < n; ) {
            List<CompletableFuture<?>> batch = new ArrayList<>();
            for (int i = 0; i < BATCH && started < n; i++, started++) {
                try {
                    batch.add(one.get());
                } catch (RuntimeException e) {
                    failed(e);
                }
            }
            for (CompletableFuture<?> f : batch) {
                try {
                    f.get(perConnect.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    failed(e.getCause());
                } catch (TimeoutException e) {
                    f.cancel(false);
                    failed(new TimeoutException("no connection within " + perConnect.toMillis() + " ms"));
                }
            }
            Thread.sleep(PAUSE_MILLIS);
        }
    }

    private void failed(Throwable e) {
        failed.incrementAndGet();
        failure.compareAndSet(null, Exchange.describe(e));
    }

    /** The outcome, {@code opened} counted by the transport. */
    Preopened result(int wanted, int opened) {
        return new Preopened(wanted, opened, failed.get(), failure.get());
    }
}
