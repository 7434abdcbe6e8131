package dev.llmharness.runtime.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.spi.ClosedLoopModel;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.TraceLoadModel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoadDriverTest {
    private final ExecutorService executor = RequestThreads.newExecutor("test-requests");

    @AfterEach
    void shutDown() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void openLoopIssuesWarmupThenExactlyTheCountedWindowAtScheduledInstants() throws Exception {
        long start = System.nanoTime() + 5_000_000;
        Window window = new Window(start, Phase.ofRequests(5), Phase.ofRequests(20));
        ConcurrentLinkedQueue<long[]> seen = new ConcurrentLinkedQueue<>();
        LoadDriver driver =
                LoadDriver.of(new OpenLoopModel(Arrival.CONSTANT, 200, 0), 1, start, window, executor, t -> {
                    t.awaitIntendedStart();
                    seen.add(new long[] {t.index(), t.intendedStart(), t.measured() ? 1 : 0, System.nanoTime()});
                });
        driver.start();
        assertThat(driver.awaitIssuingEnded(TimeUnit.SECONDS.toNanos(10))).isTrue();
        Thread.sleep(50);
        List<long[]> all = List.copyOf(seen);
        assertThat(all).hasSize(25);
        for (long[] r : all) {
            assertThat(r[1]).isEqualTo(start + Math.round(r[0] * 5e6));
            assertThat(r[2]).isEqualTo(r[0] >= 5 ? 1 : 0);
            // Ran no earlier than intended (generous upper bound: the machine is shared).
            assertThat(r[3] - r[1]).isBetween(0L, 200_000_000L);
        }
        assertThat(window.windowStart()).isEqualTo(start + 25_000_000L);
    }

    /**
     * The driver of a trace replay reads no file: it is made after the trial's start is fixed, so a
     * read there would make every arrival due during it late. It replays the trace it is given.
     */
    @Test
    void aTraceReplayIsDrivenFromTheTraceItIsGivenAndReadsNoFile() throws Exception {
        // A path that does not exist: reading it would fail with "trace file not found".
        TraceLoadModel model = new TraceLoadModel("no/such/trace.jsonl", 2, 0);
        long start = System.nanoTime() + 5_000_000;
        Window window = new Window(start, Phase.NONE, Phase.ofDuration(Duration.ofDays(365)));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> LoadDriver.of(model, 1, start, window, executor, t -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs that trace read before the trial's start is fixed, got none");
        ArrivalTrace trace = new ArrivalTrace(
                "no/such/trace.jsonl",
                new long[] {0, 10_000_000, 10_000_000, 40_000_000},
                new int[] {1, 2, 3, 4},
                new int[] {1, 1, 1, 1});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoadDriver.of(
                        new TraceLoadModel("other.jsonl", 1, 0), trace, 1, start, window, executor, t -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got no/such/trace.jsonl");
        ConcurrentLinkedQueue<long[]> seen = new ConcurrentLinkedQueue<>();
        LoadDriver driver = LoadDriver.of(
                model, trace, 1, start, window, executor, t -> seen.add(new long[] {t.index(), t.intendedStart()}));
        driver.start();
        assertThat(driver.awaitIssuingEnded(TimeUnit.SECONDS.toNanos(10))).isTrue();
        Thread.sleep(50);
        // Twice as fast: the recorded offsets halved.
        assertThat(seen.stream()
                        .sorted(java.util.Comparator.comparingLong(r -> r[0]))
                        .map(r -> r[1] - start))
                .containsExactly(0L, 5_000_000L, 5_000_000L, 20_000_000L);
    }

    @Test
    void openLoopWithACapQueuesRequestsAndMarksThemDelayed() throws Exception {
        long start = System.nanoTime() + 2_000_000;
        Window window = new Window(start, Phase.NONE, Phase.ofRequests(12));
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicInteger delayed = new AtomicInteger();
        LoadDriver driver =
                LoadDriver.of(new OpenLoopModel(Arrival.CONSTANT, 1000, 2), 1, start, window, executor, t -> {
                    maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    if (t.delayed()) {
                        delayed.incrementAndGet();
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    inFlight.decrementAndGet();
                });
        driver.start();
        assertThat(driver.awaitIssuingEnded(TimeUnit.SECONDS.toNanos(10))).isTrue();
        Thread.sleep(400);
        assertThat(maxSeen.get()).isEqualTo(2);
        assertThat(delayed.get()).isGreaterThanOrEqualTo(8);
        assertThat(driver.abandoned()).isEmpty();
    }

    /** A runner whose requests end by themselves, on a timer thread of its own, like an event loop. */
    private static final class AsyncRunner implements RequestRunner {
        final java.util.concurrent.ScheduledExecutorService loop =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        final ConcurrentLinkedQueue<String> startedOn = new ConcurrentLinkedQueue<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxSeen = new AtomicInteger();
        final AtomicInteger ended = new AtomicInteger();
        final AtomicInteger delayed = new AtomicInteger();
        /** Requests from this index on end inside start (as a request that fails to build does). */
        volatile long endAtOnceFrom = Long.MAX_VALUE;
        /** How long the others hold their slot, ms. */
        volatile long holdMillis = 20;
        /** Whether the open loop may walk its schedule on {@link #loop} (an event loop's {@code dispatchLoop}). */
        volatile boolean walkOnLoop;
        /** When each ticket was started, {@code nanoTime}, by index (the test's schedule is short). */
        final long[] startedAt = new long[64];

        final long[] intendedOf = new long[64];

        @Override
        public java.util.concurrent.ScheduledExecutorService dispatchLoop() {
            return walkOnLoop ? loop : null;
        }

        String loopThreadName() throws Exception {
            return loop.submit(() -> Thread.currentThread().getName()).get();
        }

        @Override
        public void run(Ticket ticket) {
            throw new AssertionError("an asynchronous runner's requests need no thread");
        }

        @Override
        public boolean asynchronous() {
            return true;
        }

        @Override
        public void start(Ticket ticket, Runnable done) {
            startedOn.add(Thread.currentThread().getName());
            if (ticket.index() < startedAt.length) {
                startedAt[(int) ticket.index()] = System.nanoTime();
                intendedOf[(int) ticket.index()] = ticket.intendedStart();
            }
            maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            if (ticket.delayed()) {
                delayed.incrementAndGet();
            }
            Runnable end = () -> {
                inFlight.decrementAndGet();
                ended.incrementAndGet();
                done.run();
            };
            if (ticket.index() >= endAtOnceFrom) {
                end.run();
            } else {
                loop.schedule(end, holdMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Test
    void anAsynchronousRunnerStartsEveryRequestOnTheDispatcherWithoutARequestThread() throws Exception {
        long start = System.nanoTime() + 2_000_000;
        Window window = new Window(start, Phase.NONE, Phase.ofRequests(20));
        AsyncRunner runner = new AsyncRunner();
        // An executor that refuses work: the open loop must not give these requests threads.
        ExecutorService none = java.util.concurrent.Executors.newSingleThreadExecutor();
        none.shutdown();
        try {
            LoadDriver driver =
                    LoadDriver.of(new OpenLoopModel(Arrival.CONSTANT, 1000, 0), 1, start, window, none, runner);
            driver.start();
            assertThat(driver.awaitIssuingEnded(TimeUnit.SECONDS.toNanos(10))).isTrue();
            Thread.sleep(200);
            assertThat(driver.issued()).isEqualTo(20);
            assertThat(runner.ended.get()).isEqualTo(20);
            assertThat(runner.startedOn).allMatch(n -> n.startsWith("llmh-dispatch"));
        } finally {
            runner.loop.shutdownNow();
        }
    }

    @Test
    void withADispatchLoopTheScheduleIsWalkedOnTheLoopWithNoDispatcherThread() throws Exception {
        long start = System.nanoTime() + 20_000_000;
        Window window = new Window(start, Phase.ofRequests(4), Phase.ofRequests(36));
        AsyncRunner runner = new AsyncRunner();
        runner.walkOnLoop = true;
        ExecutorService none = java.util.concurrent.Executors.newSingleThreadExecutor();
        none.shutdown();
        try {
            String loopThread = runner.loopThreadName();
            LoadDriver driver =
                    LoadDriver.of(new OpenLoopModel(Arrival.CONSTANT, 500, 0), 1, start, window, none, runner);
            driver.start();
            assertThat(driver.awaitIssuingEnded(TimeUnit.SECONDS.toNanos(10))).isTrue();
            Thread.sleep(200);
            assertThat(driver.issued()).isEqualTo(40);
            assertThat(runner.ended.get()).isEqualTo(40);
            // Every request was handed over on the loop itself: no dispatcher thread, no request thread.
            assertThat(runner.startedOn).hasSize(40).containsOnly(loopThread);
            for (int i = 0; i < 40; i++) {
                // The drift-free schedule, exactly; each handed over at its lead, never before it.
                assertThat(runner.intendedOf[i]).isEqualTo(start + i * 2_000_000L);
                assertThat(runner.startedAt[i] - (runner.intendedOf[i] - LoadDriver.PREPARE_LEAD_NANOS))
                        .as("request %d", i)
                        .isGreaterThanOrEqualTo(0L);
            }
        } finally {
            runner.loop.shutdownNow();
        }
    }

    @Test
    void stoppingAWalkOnTheLoopEndsItAtOnceNotAtTheNextArrival() throws Exception {
        long start = System.nanoTime() + 2_000_000;
        // One request every 10 s: after the first, the walk waits on the loop's timer for 10 s.
        Window window = new Window(start, Phase.NONE, Phase.ofRequests(5));
        AsyncRunner runner = new AsyncRunner();
        runner.walkOnLoop = true;
        try {
            LoadDriver driver =
                    LoadDriver.of(new OpenLoopModel(Arrival.CONSTANT, 0.1, 0), 1, start, window, executor, runner);
            driver.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (driver.issued() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(driver.issued()).isEqualTo(1);
            assertThat(driver.awaitIssuingEnded(TimeUnit.MILLISECONDS.toNanos(100)))
                    .isFalse();
            driver.stop();
            assertThat(driver.awaitIssuingEnded(TimeUnit.SECONDS.toNanos(2))).isTrue();
            assertThat(driver.issued()).isEqualTo(1);
        } finally {
            runner.loop.shutdownNow();
        }
    }

    @Test
    void withACapAnAsynchronousRunnersEndHandsItsSlotOnAndEndsInsideStartDoNotRecurse() throws Exception {
        capHandsSlotsOnWithoutRecursion(false);
    }

    @Test
    void withACapAWalkOnTheLoopHandsSlotsOnWithoutRecursionToo() throws Exception {
        capHandsSlotsOnWithoutRecursion(true);
    }

    private void capHandsSlotsOnWithoutRecursion(boolean walkOnLoop) throws Exception {
        long start = System.nanoTime() + 2_000_000;
        // 20,000 requests at a million per second behind a cap of 2: nearly all queue.
        Window window = new Window(start, Phase.NONE, Phase.ofRequests(20_000));
        AsyncRunner runner = new AsyncRunner();
        runner.endAtOnceFrom = 2; // the two first hold their slots 200 ms, the rest end at once
        runner.holdMillis = 200;
        runner.walkOnLoop = walkOnLoop;
        try {
            LoadDriver driver = LoadDriver.of(
                    new OpenLoopModel(Arrival.CONSTANT, 1_000_000, 2), 1, start, window, executor, runner);
            driver.start();
            assertThat(driver.awaitIssuingEnded(TimeUnit.SECONDS.toNanos(10))).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (runner.ended.get() < 20_000 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            // Thousands of queued tickets ended one after another inside start(): no stack overflow,
            // each started once, never more than two at a time.
            assertThat(runner.ended.get()).isEqualTo(20_000);
            assertThat(runner.maxSeen.get()).isEqualTo(2);
            assertThat(runner.delayed.get()).isGreaterThan(1_000);
            assertThat(driver.abandoned()).isEmpty();
        } finally {
            runner.loop.shutdownNow();
        }
    }

    @Test
    void closedLoopNeverExceedsItsConcurrency() throws Exception {
        long start = System.nanoTime();
        Window window = new Window(start, Phase.NONE, Phase.ofDuration(Duration.ofMillis(300)));
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicInteger requests = new AtomicInteger();
        LoadDriver driver =
                LoadDriver.of(new ClosedLoopModel(4, Duration.ofMillis(1)), 1, start, window, executor, t -> {
                    maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    requests.incrementAndGet();
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    inFlight.decrementAndGet();
                });
        driver.start();
        assertThat(driver.awaitIssuingEnded(TimeUnit.SECONDS.toNanos(10))).isTrue();
        assertThat(maxSeen.get()).isEqualTo(4);
        // 4 workers for 300 ms with ~6 ms per cycle: far more than 4 requests, far fewer than 4 * 300.
        assertThat(requests.get()).isBetween(20, 1200);
    }

    @Test
    void aClosedLoopWithATimedWarmupStaggersItsWorkersFirstRequestsBySeed() throws Exception {
        long start = System.nanoTime() + 5_000_000;
        Duration warmup = Duration.ofMillis(400);
        Window window = new Window(start, Phase.ofDuration(warmup), Phase.ofDuration(Duration.ofMillis(200)));
        long[] firstStart = new long[4];
        java.util.Arrays.fill(firstStart, Long.MIN_VALUE);
        LoadDriver driver = LoadDriver.of(new ClosedLoopModel(4, Duration.ZERO), 7, start, window, executor, t -> {
            synchronized (firstStart) {
                if (firstStart[t.worker()] == Long.MIN_VALUE) {
                    firstStart[t.worker()] = t.intendedStart() - start;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        driver.start();
        assertThat(driver.awaitIssuingEnded(TimeUnit.SECONDS.toNanos(10))).isTrue();
        WorkerPlan plan = WorkerPlan.staggered(4, warmup, 7);
        for (int k = 0; k < 4; k++) {
            // Not before the plan's seeded instant, and close after it (generous: the machine is shared).
            assertThat(firstStart[k] - plan.nextStart(k, 0)).as("worker %d", k).isBetween(0L, 80_000_000L);
            assertThat(plan.nextStart(k, 0)).isBetween(k * 100_000_000L, (k + 1) * 100_000_000L);
        }
    }
}
