package dev.llmharness.runtime.run;

import dev.llmharness.runtime.metrics.SchedulerCounters;
import dev.llmharness.runtime.result.TrialResult;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Takes a trial's two reads of the scheduler's counters ({@link SchedulerCounters}), one in the last
 * {@link #READ_AHEAD_NANOS} before its measurement window opens and one in the last as much before
 * it closes (at once when it closes early), and gives the harness threads' figure over the span
 * between them ({@link TrialResult.HarnessThreads}): both ends shift alike, so the span is a
 * window's length, and it is measured, not assumed.
 *
 * <p>The reads run on one daemon thread for the whole JVM ({@link SchedulerCounters#READER_THREAD}),
 * left out of the counts, at normal priority. Not at idle priority like the harness's other
 * housekeeping ({@code IdlePriority}): there it starved on exactly the busy core it is meant to
 * measure (a busy loop on the harness's core left an open-loop trial with no figure at all). A read
 * costs a few microseconds per thread, about a millisecond with a hundred request threads, twice
 * per trial. Nothing runs on a request's path, and the trial's own thread only asks.
 * The second read is due inside the window, while every thread of the trial is alive, and {@link
 * #figure()} is asked for after the drain, before the trial's request threads are shut down.
 *
 * <p>Where the counters cannot be read (not Linux) it does nothing and the figure is {@code null}.
 * Used by the trial's own thread only.
 */
final class HarnessThreadsWindow {
    /** How long before each end of the window its read is due, ns. */
    static final long READ_AHEAD_NANOS = 100_000_000L;

    /**
     * The longest wait in {@link #figure()} for a read that has not run yet (its thread starved by
     * an overloaded machine), ns: then the figure is {@code null}.
     */
    static final long AWAIT_NANOS = 2_000_000_000L;

    /** The reader thread, started when the first trial asks for a read; a daemon. */
    private static final class Reader {
        static final ScheduledExecutorService EXECUTOR = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, SchedulerCounters.READER_THREAD);
            t.setDaemon(true);
            return t;
        });
    }

    /** A read due at {@code dueNanos} ({@code nanoTime}): when it was asked for, or later. */
    private record Read(long dueNanos, Future<SchedulerCounters> future) {}

    private final boolean available;
    private Read opening;
    private Read closing;

    /** For this machine: reads where {@link SchedulerCounters#available()}. */
    HarnessThreadsWindow() {
        this(SchedulerCounters.available());
    }

    /** @param available whether to read at all (tests: {@code false} stands for a machine without the counters) */
    HarnessThreadsWindow(boolean available) {
        this.available = available;
    }

    /** Whether the window's opening is still to be told ({@link #opensAt}): the trial's thread looks for it until then. */
    boolean awaitsOpening() {
        return available && opening == null;
    }

    /**
     * The window opens at {@code startNanos} ({@code nanoTime}, past or future): its read is due
     * {@link #READ_AHEAD_NANOS} before, at once when that has passed. Later calls change nothing.
     */
    void opensAt(long startNanos) {
        if (awaitsOpening()) {
            opening = schedule(startNanos - READ_AHEAD_NANOS);
        }
    }

    /**
     * The window closes at {@code endNanos}: its read is due {@link #READ_AHEAD_NANOS} before, at
     * once when that has passed. Told an earlier end than before (the window closed early: an
     * interruption, the end of a trace), a read not yet due is brought forward; one already due
     * stays.
     */
    void closesAt(long endNanos) {
        if (!available) {
            return;
        }
        long due = endNanos - READ_AHEAD_NANOS;
        if (closing == null) {
            closing = schedule(due);
        } else if (due - closing.dueNanos() < 0
                && closing.dueNanos() - System.nanoTime() > 0
                && closing.future().cancel(false)) {
            closing = schedule(due);
        }
    }

    /** A read at {@code dueNanos}, or now when that has passed (then due now: late noticing is not a late read). */
    private static Read schedule(long dueNanos) {
        long now = System.nanoTime();
        long due = dueNanos - now > 0 ? dueNanos : now;
        return new Read(due, Reader.EXECUTOR.schedule(SchedulerCounters::read, due - now, TimeUnit.NANOSECONDS));
    }

    /**
     * The figure over the span between the two reads, once the window has closed ({@link
     * #closesAt}), waiting up to {@link #AWAIT_NANOS} for a read that has not run yet. {@code null}
     * where the counters cannot be read, when the window never opened (an interrupted warmup), when
     * a read failed or did not run in time, or when the first ran so late that the span would miss
     * half the window: absent rather than made up.
     */
    TrialResult.HarnessThreads figure() throws InterruptedException {
        if (!available || opening == null || closing == null) {
            cancel();
            return null;
        }
        if (closing.dueNanos() - opening.dueNanos() < 0) {
            cancel(); // closed before it opened: interrupted in the last 0.1 s of the warmup
            return null;
        }
        long deadline = System.nanoTime() + AWAIT_NANOS;
        SchedulerCounters first = await(opening, deadline);
        SchedulerCounters last = await(closing, deadline);
        if (first == null || last == null || last.nanoTime() - first.nanoTime() <= 0) {
            return null;
        }
        if (first.nanoTime() - opening.dueNanos() > (closing.dueNanos() - opening.dueNanos()) / 2) {
            // Its thread starved until the window was half over: the span would describe the
            // rest of it, or the drain, not the window.
            return null;
        }
        SchedulerCounters.Delta d = first.until(last);
        return TrialResult.HarnessThreads.of(d.spanNanos(), d.onCpuNanos(), d.runQueueWaitNanos(), d.timeslices());
    }

    /** Drops the reads not yet run: the trial ends without a figure (an error, or {@link #figure()} gave up). */
    void cancel() {
        for (Read r : new Read[] {opening, closing}) {
            if (r != null) {
                r.future().cancel(false);
            }
        }
    }

    private static SchedulerCounters await(Read read, long deadline) throws InterruptedException {
        try {
            return read.future().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            read.future().cancel(false);
            return null;
        } catch (ExecutionException | CancellationException e) {
            return null; // a read that failed is no figure
        }
    }
}
