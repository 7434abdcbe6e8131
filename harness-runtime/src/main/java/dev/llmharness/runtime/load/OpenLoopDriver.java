package dev.llmharness.runtime.load;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The open-loop dispatcher: one platform thread walks the schedule, parks until {@link
 * LoadDriver#PREPARE_LEAD_NANOS} before each intended instant, and hands the request to a sending thread
 * without waiting for it. The sending thread builds the prompt and the request, then waits for the
 * intended instant ({@link Ticket#awaitIntendedStart()}) and sends: building costs no dispatch lag
 * unless it takes longer than the lead, and a slow benchmark method delays only its own request
 * (visible as dispatch lag), never the schedule.
 *
 * <p>When the runner is {@link RequestRunner#asynchronous() asynchronous} (the event-loop
 * transport), the request is built by whoever walks the schedule and handed to the transport,
 * which sends it at its instant and ends it on its own thread: no thread is started, woken or
 * parked per request. When the runner also has a {@link RequestRunner#dispatchLoop() dispatch
 * loop}, the schedule is walked on that loop ({@link LoopDispatch}) and there is no dispatcher
 * thread at all: on one core a dispatcher waking beside the loop was one more thread to schedule
 * per request, and its hand-off one more wake-up of the loop. The runner stops being asynchronous
 * once a benchmark method has overrun the lead (see {@code TrialRequests}), so that a slow method
 * again delays only its own request.
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
    private volatile LoopDispatch onLoop;

    // The walk's position: owned by whichever walks the schedule (the dispatcher thread or the loop).
    private ScheduleCursor cursor;
    /** Whether the cursor's current arrival is classified and waiting for its lead. */
    private boolean pending;

    private long nextIntended;
    private boolean nextMeasured;

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
        cursor = new ScheduleCursor(schedule, shard, shards);
        ScheduledExecutorService loop = runner.asynchronous() ? runner.dispatchLoop() : null;
        if (loop != null) {
            LoopDispatch onLoop = new LoopDispatch(loop);
            this.onLoop = onLoop;
            try {
                loop.execute(onLoop);
                return;
            } catch (RejectedExecutionException e) {
                this.onLoop = null; // the loop has closed: walk the schedule on a thread
            }
        }
        Thread t = RequestThreads.daemonFactory("llmh-dispatch").newThread(this::dispatch);
        t.setPriority(Thread.MAX_PRIORITY);
        thread = t;
        t.start();
    }

    /** The dispatcher thread: parks until each arrival's lead, then issues it. */
    private void dispatch() {
        try {
            while (!stopped && advance()) {
                if (!parkUntil(nextIntended - leadNanos)) {
                    return;
                }
                issueNext();
            }
        } finally {
            ended.countDown();
        }
    }

    /**
     * Moves the cursor to the next arrival unless one is already pending; false once the schedule
     * or the window has ended. Classifies each arrival once (the window counts measured requests).
     */
    private boolean advance() {
        if (pending) {
            return true;
        }
        long offset = cursor.next();
        if (offset == ArrivalSchedule.END) {
            return false;
        }
        long intended = trialStart + offset;
        Window.Part part = window.classify(intended);
        if (part == Window.Part.DONE) {
            return false;
        }
        nextIntended = intended;
        nextMeasured = part == Window.Part.MEASURE;
        pending = true;
        return true;
    }

    /** Issues the pending arrival: to the in-flight cap, the runner's {@code start}, or a request thread. */
    private void issueNext() {
        pending = false;
        Ticket ticket = new Ticket(cursor.index(), nextIntended, nextMeasured, false);
        issued.incrementAndGet();
        if (limiter != null) {
            limiter.submit(ticket);
        } else if (runner.asynchronous()) {
            runner.start(ticket, NOTHING);
        } else {
            executor.execute(() -> runner.run(ticket));
        }
    }

    /**
     * The schedule walked on the runner's {@link RequestRunner#dispatchLoop() loop}: each turn
     * issues the arrivals whose lead has come, then arms the loop's timer for the next one's lead
     * and returns. No thread of its own: the loop builds each request as well as sending it. A turn
     * issues at most {@value #ISSUES_PER_TURN} arrivals, so that when the loop is behind (a long
     * stall) the reads due meanwhile are not held up by a long run of builds (the sends due are
     * not: each hand-over first sends what is due, {@code EventLoopTransport.hold}). Once the
     * runner is no longer asynchronous (a slow benchmark method) the walk stays on the loop, which
     * only waits, and each request is built on a request thread of its own.
     */
    private final class LoopDispatch implements Runnable {
        private final ScheduledExecutorService loop;

        LoopDispatch(ScheduledExecutorService loop) {
            this.loop = loop;
        }

        @Override
        public void run() {
            boolean more = false;
            try {
                int issuedNow = 0;
                while (!stopped && advance()) {
                    long wait = nextIntended - leadNanos - System.nanoTime();
                    if (wait > 0) {
                        loop.schedule(this, wait, TimeUnit.NANOSECONDS);
                        more = true;
                        return;
                    }
                    if (issuedNow++ == ISSUES_PER_TURN) {
                        // A timer, not execute(): Netty runs the tasks queued meanwhile in the same
                        // pass, while a timer lets the loop read its ready streams first.
                        loop.schedule(this, TURN_PAUSE_NANOS, TimeUnit.NANOSECONDS);
                        more = true;
                        return;
                    }
                    issueNext();
                }
            } catch (RejectedExecutionException e) {
                more = false; // the transport has closed: nothing more can be sent
            } finally {
                if (!more) {
                    ended.countDown();
                }
            }
        }
    }

    /** See {@link LoopDispatch}. */
    static final int ISSUES_PER_TURN = 16;

    /** How long a walk on the loop that hit {@link #ISSUES_PER_TURN} leaves the loop to its reads, ns. */
    static final long TURN_PAUSE_NANOS = 20_000L;

    private static final Runnable NOTHING = () -> {};

    /**
     * Starts a ticket that holds an in-flight slot. An asynchronous one starts on this thread (the
     * dispatcher, or the thread that ended the request whose slot it takes); a request that ends
     * inside {@link RequestRunner#start} (it failed to build, or the trial is cancelling) hands its
     * slot on in this loop, not by recursion, so that a long queue of tickets cancelled at once
     * cannot overflow the stack.
     */
    private void startLimited(Ticket ticket) {
        for (Ticket t = ticket; t != null; ) {
            if (!runner.asynchronous()) {
                Ticket onThread = t;
                executor.execute(() -> {
                    try {
                        runner.run(onThread);
                    } finally {
                        limiter.release();
                    }
                });
                return;
            }
            LimitedEnd end = new LimitedEnd();
            runner.start(t, end);
            t = end.returned();
        }
    }

    /** The end of a limited asynchronous request: hands its slot on, to the next waiting ticket. */
    private final class LimitedEnd implements Runnable {
        private static final int STARTING = 0;
        private static final int ENDED_WHILE_STARTING = 1;
        private static final int STARTED = 2;
        private final AtomicInteger state = new AtomicInteger();

        /** The request has ended (any thread). */
        @Override
        public void run() {
            if (state.compareAndSet(STARTING, ENDED_WHILE_STARTING)) {
                return; // start() has not returned: its caller takes the next ticket
            }
            Ticket next = limiter.releaseAndTake();
            if (next != null) {
                startLimited(next);
            }
        }

        /** start() has returned: the ticket to start next on this thread, if the request has ended. */
        Ticket returned() {
            return state.compareAndSet(STARTING, STARTED) ? null : limiter.releaseAndTake();
        }
    }

    /**
     * Parks, then spins, until {@code deadline}; false if stopped meanwhile. Without a lead the
     * deadline is the intended instant and the park goes in stages ({@link WakeStages}); with one,
     * the sending thread waits for the instant and one park to the lead is enough.
     */
    private boolean parkUntil(long deadline) {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > spinNanos) {
            LockSupport.parkNanos(leadNanos > 0 ? remaining : WakeStages.park(remaining - spinNanos));
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
        LoopDispatch l = onLoop;
        if (l != null) {
            try {
                l.loop.execute(l); // a turn now sees stopped and ends the walk, not at the next lead
            } catch (RejectedExecutionException e) {
                ended.countDown(); // the loop has closed: no turn will run
            }
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
