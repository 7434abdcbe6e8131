package dev.llmharness.runtime.client;

import dev.llmharness.runtime.load.IdlePriority;
import dev.llmharness.runtime.metrics.FailureCategory;
import dev.llmharness.runtime.metrics.RequestTiming;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Ends response bodies that stall: one daemon thread looks at every watched stream's deadline ten
 * times per timeout, at most once a second ({@link #periodNanos}), and, once a deadline has
 * passed, fails the request as a {@link FailureCategory#TIMEOUT} and cancels its call. Before
 * the first content event the deadline is the send instant plus the first-token timeout; from the
 * first content event on, it is the last socket read plus the idle timeout. A stream may also
 * carry a total deadline (the event-loop transport's total timeout; OkHttp has its own call
 * timeout).
 *
 * <p>It replaces Okio's per-read timeout on response bodies. That timeout puts every socket read
 * into the Okio watchdog's queue and wakes the watchdog thread whenever the read becomes the
 * queue's head: at 100 requests/s of 128 tokens written at once (ITL 0) that was about 10.7
 * wake-ups per request, and each is a context switch on a one-core budget. This watch wakes a fixed
 * number of times per second, whatever the load (once a second with the default timeouts), and
 * costs a stream one {@code nanoTime} and one ordered write (no fence) per read. A timeout is
 * noticed up to one period late: a tenth of the shortest timeout (the total one included), at most
 * 1 s.
 *
 * <p>Thread-safe. The thread starts with the first watched stream and ends after {@value
 * #IDLE_EXIT_MILLIS} ms in which no stream was watched, so an unused client holds no thread. Streams
 * that end between two ticks (ITL 0, a few milliseconds each) still count as use: otherwise, at 10
 * requests/s, the thread would end and start again every second, and each start costs a {@code
 * chrt} process on the harness's core ({@link IdlePriority}).
 */
final class StallWatch {
    /** How long the thread keeps ticking without a watched stream before it ends. */
    static final long IDLE_EXIT_MILLIS = 1_000;

    private final long firstTokenNanos;
    private final long idleNanos;
    private final Duration firstToken;
    private final Duration idle;
    private final long periodNanos;
    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private Thread thread; // guarded by lock
    /** The send instant of the stream watched last, {@code nanoTime}. */
    private volatile long lastWatchedNanos;

    StallWatch(Duration firstToken, Duration idle) {
        this(firstToken, idle, null);
    }

    /**
     * @param total the total timeout that streams may be watched for ({@link #watch(Runnable,
     *     RequestTiming, long, Duration)}), or {@code null} for none: it bounds the period too, so
     *     that a short total timeout is noticed as promptly as a short idle one
     */
    StallWatch(Duration firstToken, Duration idle, Duration total) {
        this.firstToken = firstToken;
        this.idle = idle;
        this.firstTokenNanos = firstToken.toNanos();
        this.idleNanos = idle.toNanos();
        long shortest = Math.min(firstTokenNanos, idleNanos);
        this.periodNanos = periodNanos(total == null ? shortest : Math.min(shortest, total.toNanos()));
    }

    /**
     * The check period for a shortest timeout of {@code timeoutNanos}: a tenth of it, at least 1 ms
     * and at most {@value #MAX_PERIOD_NANOS} ns (one wake-up per second with the default timeouts,
     * the shortest of which is 60 s). The cap was 100 ms: ten wake-ups a second of the harness's
     * core, at 10 requests/s as many as the requests' own, to notice a 60 s silence 0.1 s late
     * rather than 1 s.
     */
    static long periodNanos(long timeoutNanos) {
        return Math.max(1_000_000L, Math.min(MAX_PERIOD_NANOS, timeoutNanos / 10));
    }

    /** The longest check period, ns. */
    static final long MAX_PERIOD_NANOS = 1_000_000_000L;

    /** This watch's check period, ns ({@link #periodNanos(long)} of its shortest timeout). */
    long checkPeriodNanos() {
        return periodNanos;
    }

    /**
     * Starts watching a stream whose headers have arrived.
     *
     * @param sentNanos the request's send instant; the first content event is due within the
     *     first-token timeout of it
     */
    Watched watch(Runnable cancel, RequestTiming timing, long sentNanos) {
        return watch(cancel, timing, sentNanos, null);
    }

    /**
     * As {@link #watch(Runnable, RequestTiming, long)}, and fails the stream once {@code total} has
     * passed since {@code sentNanos}, whatever it is doing.
     *
     * @param cancel ends the stream's connection; called after the timing record has failed
     * @param total the total timeout, or {@code null} for none
     */
    Watched watch(Runnable cancel, RequestTiming timing, long sentNanos, Duration total) {
        Watched w = new Watched(cancel, timing, sentNanos + firstTokenNanos, total, sentNanos);
        lastWatchedNanos = sentNanos;
        watched.add(w);
        synchronized (lock) {
            if (thread == null) {
                Thread t = new Thread(this::loop, "llmh-stall-watch");
                t.setDaemon(true);
                thread = t;
                t.start();
            }
        }
        return w;
    }

    /**
     * A stream that is not watched (its deadline is never checked): for reading a stream that
     * cannot stall, such as the warm-up's in-memory ones.
     */
    Watched unwatched(RequestTiming timing) {
        return new Watched(() -> {}, timing, Long.MAX_VALUE, null, 0);
    }

    /** Streams being watched now. */
    int size() {
        return watched.size();
    }

    private void loop() {
        // Housekeeping: a stall is noticed up to a period late anyway, so the watch runs only when
        // the core is otherwise idle and never delays a send or a read.
        IdlePriority.demoteCurrentThread();
        while (true) {
            try {
                TimeUnit.NANOSECONDS.sleep(periodNanos);
            } catch (InterruptedException e) {
                synchronized (lock) {
                    thread = null;
                }
                return;
            }
            long now = System.nanoTime();
            for (Watched w : watched) {
                if (now - w.deadline > 0 || now - w.totalDeadline > 0) {
                    w.expire(now);
                }
            }
            if (watched.isEmpty() && now - lastWatchedNanos > IDLE_EXIT_MILLIS * 1_000_000L) {
                synchronized (lock) {
                    // watch() adds before it looks at the thread under this lock: a stream added
                    // meanwhile either keeps this thread or finds it gone and starts another.
                    if (watched.isEmpty()) {
                        thread = null;
                        return;
                    }
                }
            }
        }
    }

    /** {@link Watched}'s deadline, for its release stores. */
    private static final VarHandle DEADLINE;

    static {
        try {
            DEADLINE = MethodHandles.lookup().findVarHandle(Watched.class, "deadline", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One watched stream; {@link #close()} it when the stream has ended, however it ended. */
    final class Watched implements AutoCloseable {
        private final Runnable cancel;
        private final RequestTiming timing;
        private final Duration total;
        private final long totalDeadline;
        private volatile long deadline;
        private volatile boolean flowing;

        private Watched(Runnable cancel, RequestTiming timing, long deadline, Duration total, long sentNanos) {
            this.cancel = cancel;
            this.timing = timing;
            this.deadline = deadline;
            this.total = total;
            // Far in the future without a total timeout: nanoTime differences stay correct.
            this.totalDeadline = total == null ? sentNanos + Long.MAX_VALUE / 2 : sentNanos + total.toNanos();
        }

        /**
         * A socket read returned at {@code nanos}: once content flows, the idle timeout restarts.
         * A release store, not a volatile one: the watch thread reads the deadline a period late
         * at best anyway, and a volatile store's fence cost each read a few nanoseconds more.
         */
        void onRead(long nanos) {
            if (flowing) {
                DEADLINE.setRelease(this, nanos + idleNanos);
            }
        }

        /** The first content event was read at {@code nanos}: from now on the idle timeout applies. */
        void onFirstContent(long nanos) {
            flowing = true;
            deadline = nanos + idleNanos;
        }

        private void expire(long now) {
            timing.fail(
                    now,
                    FailureCategory.TIMEOUT,
                    now - totalDeadline > 0
                            ? ClientTimeouts.totalExpired(total)
                            : flowing
                                    ? ClientTimeouts.idleExpired(idle, timing.contentEvents())
                                    : ClientTimeouts.firstTokenExpired(firstToken));
            cancel.run();
            watched.remove(this);
        }

        @Override
        public void close() {
            watched.remove(this);
        }
    }
}
