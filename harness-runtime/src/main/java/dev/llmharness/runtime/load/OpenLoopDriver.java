package dev.llmharness.runtime.load;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The open-loop dispatcher: one platform thread walks the schedule, parks until {@link
 * LoadDriver#PREPARE_LEAD_NANOS} before each intended instant, and hands the request to a sending thread
 * without waiting for it. The sending thread builds the prompt and the request, then waits for the
 * intended instant ({@link Ticket#awaitIntendedStart()}) and sends: building costs no dispatch lag
 * unless it takes longer than the lead, and a slow benchmark method delays only its own request
 * (visible as dispatch lag), never the schedule.
 */
final class OpenLoopDriver implements LoadDriver {
    /**
     * The dispatcher parks until this many ns before an instant, then spins: {@code parkNanos}
     * wakes up to the kernel's timer slack (about 50 µs on Linux) late, and spinning the rest keeps
     * dispatch lag well under that at the cost of a little CPU.
     */
    static final long SPIN_NANOS = 50_000L;

    private final ArrivalSchedule schedule;
    private final int shard;
    private final int shards;
    private final long trialStart;
    private final Window window;
    private final ExecutorService executor;
    private final RequestRunner runner;
    private final InFlightLimiter limiter;
    private final long spinNanos;
    private final long leadNanos;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicLong issued = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean stopped;
    private volatile Thread thread;

    OpenLoopDriver(
            ArrivalSchedule schedule,
            int shard,
            int shards,
            int maxInFlight,
            long trialStart,
            Window window,
            ExecutorService executor,
            RequestRunner runner) {
        this(
                schedule,
                shard,
                shards,
                maxInFlight,
                trialStart,
                window,
                executor,
                runner,
                SPIN_NANOS,
                PREPARE_LEAD_NANOS);
    }

    /**
     * As above, with the dispatcher's spin window and the preparation lead given (the dispatch-lag
     * probe compares settings). With a lead of 0 the dispatcher itself parks and spins to each
     * instant; with a lead it only parks (precision is then the sending thread's business).
     */
    OpenLoopDriver(
            ArrivalSchedule schedule,
            int shard,
            int shards,
            int maxInFlight,
            long trialStart,
            Window window,
            ExecutorService executor,
            RequestRunner runner,
            long spinNanos,
            long leadNanos) {
        this.spinNanos = leadNanos > 0 ? 0 : spinNanos;
        this.leadNanos = leadNanos;
        this.schedule = schedule;
        this.shard = shard;
        this.shards = shards;
        this.trialStart = trialStart;
        this.window = window;
        this.executor = executor;
        this.runner = runner;
        this.limiter = maxInFlight > 0 ? new InFlightLimiter(maxInFlight, this::startLimited) : null;
    }

    @Override
    public void start() {
        Thread t = RequestThreads.daemonFactory("llmh-dispatch").newThread(this::dispatch);
        t.setPriority(Thread.MAX_PRIORITY);
        thread = t;
        t.start();
    }

    private void dispatch() {
        try {
            ScheduleCursor cursor = new ScheduleCursor(schedule, shard, shards);
            while (!stopped) {
                long offset = cursor.next();
                if (offset == ArrivalSchedule.END) {
                    return;
                }
                long intended = trialStart + offset;
                Window.Part part = window.classify(intended);
                if (part == Window.Part.DONE) {
                    return;
                }
                if (!parkUntil(intended - leadNanos)) {
                    return;
                }
                Ticket ticket = new Ticket(cursor.index(), intended, part == Window.Part.MEASURE, false);
                issued.incrementAndGet();
                if (limiter != null) {
                    limiter.submit(ticket);
                } else {
                    executor.execute(() -> runner.run(ticket));
                }
            }
        } finally {
            ended.countDown();
        }
    }

    private void startLimited(Ticket ticket) {
        executor.execute(() -> {
            try {
                runner.run(ticket);
            } finally {
                limiter.release();
            }
        });
    }

    /** Parks, then spins, until {@code deadline}; false if stopped meanwhile. */
    private boolean parkUntil(long deadline) {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > spinNanos) {
            LockSupport.parkNanos(remaining - spinNanos);
            if (stopped) {
                return false;
            }
        }
        while (System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        return !stopped;
    }

    @Override
    public void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public boolean awaitIssuingEnded(long timeoutNanos) throws InterruptedException {
        return ended.await(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public long issued() {
        return issued.get();
    }

    @Override
    public List<Ticket> abandoned() {
        return limiter == null ? List.of() : limiter.drainWaiting();
    }
}
