package dev.llmharness.runtime.client;

import dev.llmharness.api.Api;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.Prompt;
import dev.llmharness.runtime.load.RequestThreads;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.metrics.TokenCounter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hand-off of a batch of requests to the event-loop transport and back, the way the open loop
 * did it before and does it now, without a network: each request goes to a host name that does not
 * resolve ({@code .invalid}, looked up once per run), so the loop stamps {@code sent}, starts its
 * stall watch, fails the request ({@code connection}) and ends it, touching no socket. What differs
 * is only the seam:
 *
 * <ul>
 *   <li>{@link #threadPerRequest}: a request thread per request (the cached platform pool of JDK
 *       17) calls {@link LlmClient#send}, parks until the loop ends the request, then counts it:
 *       the dispatcher wakes the thread, the thread wakes the loop, the loop wakes the thread;
 *   <li>{@link #onTheLoop}: the caller {@link LlmClient#start starts} the request and the loop's
 *       callback counts it: no thread besides the caller and the loop;
 *   <li>{@link #fromTheLoop}: as the open loop does with {@code -Dllmh.loopDispatch=loop}, the loop itself
 *       starts the requests (it walks the schedule): no hand-off from one thread to another.
 * </ul>
 *
 * Figures are per request ({@value #BATCH} per invocation; the caller waits once per batch).
 * Pin it to one core ({@code taskset -c 0}) to see the context switches' cost as it is under load.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LoopHandoffBenchmark {
    static final int BATCH = 100;

    private EventLoopTransport loop;
    private LlmClient client;
    private PreparedRequest prepared;
    private ExecutorService requestThreads;
    private final AtomicInteger ended = new AtomicInteger();
    private volatile Thread waiter;
    private long index;

    @Setup
    public void setUp() {
        loop = new EventLoopTransport(ClientTimeouts.defaults());
        client = new LlmClient(
                loop,
                new Target("http://llmh-handoff.invalid:8000", Api.OPENAI_CHAT, "sim-llm", null, null, true),
                TokenCounter.contentEvents(),
                ClientTimeouts.defaults());
        prepared = client.prepare(ChatRequest.of(new Prompt(0, "hello", 1, 16, true, null)), 0);
        requestThreads = RequestThreads.newExecutor("llmh-request");
        // One request waiting an hour for its instant, as a loaded loop always has some: every check
        // for a due send then reads the clock, as it does under load.
        client.start(prepared, new RequestTiming(-1, System.nanoTime() + TimeUnit.HOURS.toNanos(1), true), () -> {});
    }

    @TearDown
    public void tearDown() {
        requestThreads.shutdownNow();
        loop.close();
    }

    private RequestTiming timing() {
        return new RequestTiming(index++, System.nanoTime(), true);
    }

    /** Counts an ended request; the last of the batch wakes the caller. */
    private void count() {
        if (ended.incrementAndGet() == BATCH) {
            LockSupport.unpark(waiter);
        }
    }

    private int awaitBatch() {
        while (ended.get() < BATCH) {
            LockSupport.park(this);
        }
        return ended.getAndSet(0);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int threadPerRequest() {
        waiter = Thread.currentThread();
        for (int i = 0; i < BATCH; i++) {
            RequestTiming t = timing();
            requestThreads.execute(() -> {
                client.send(prepared, t);
                count();
            });
        }
        return awaitBatch();
    }

    /**
     * As the open loop does when it walks its schedule on the loop ({@code llmh.loopDispatch=loop}): one task on the loop starts
     * the batch there, so that no request is handed from one thread to another.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int fromTheLoop() {
        waiter = Thread.currentThread();
        client.sendingLoop().execute(() -> {
            for (int i = 0; i < BATCH; i++) {
                client.start(prepared, timing(), this::count);
            }
        });
        return awaitBatch();
    }

    /**
     * The check each read makes for a due send ({@link EventLoopTransport#sendDue}) when none is
     * due, the common case: its cost is paid once per HTTP object read. Called from the benchmark
     * thread: the loop is idle meanwhile and nobody changes its queue (one request, an hour away).
     */
    @Benchmark
    public void sendDueWithNothingDue() {
        loop.sendDue();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int onTheLoop() {
        waiter = Thread.currentThread();
        for (int i = 0; i < BATCH; i++) {
            client.start(prepared, timing(), this::count);
        }
        return awaitBatch();
    }
}
