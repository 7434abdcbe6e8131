package dev.llmharness.runtime.client;

import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.protocol.SseReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okio.AsyncTimeout;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What timing a response body's reads costs per read, with one read per token event (a server
 * writing each token on its own, as at a 20 ms ITL): Okio's per-read timeout (every read enters
 * and leaves the watchdog's queue, and wakes the {@code Okio Watchdog} thread when it becomes the
 * queue's head, as it does whenever no other stream is reading) against {@link StallWatch} (one
 * {@code nanoTime} and one release store per read, checked by its own thread once a second with
 * the default timeouts). Figures are per event; the watchdog's wake-ups also cost its thread a
 * context switch each, which this benchmark's time does not show: count them with {@code llmh
 * selfbench --method peers} ({@code cs/req}).
 *
 * <p>Run: see {@code docs/performance.md} ("Benchmarks of the hot paths").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BodyReadTimeoutBenchmark {
    static final int EVENTS = 128;

    private byte[] stream;
    private int eventBytes;
    private StallWatch.Watched watched;

    @Setup
    public void setUp() {
        String event = "data: {\"id\":\"chatcmpl-8f2c1e0a9b7d4c3e\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1795422772,\"model\":\"sim-llm\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"content\":\" word\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
        eventBytes = event.length();
        stream = event.repeat(EVENTS).getBytes(StandardCharsets.UTF_8);
        StallWatch watch = new StallWatch(Duration.ofMinutes(5), Duration.ofSeconds(60));
        watched = watch.unwatched(new RequestTiming(0, System.nanoTime(), true));
        watched.onFirstContent(System.nanoTime());
    }

    /** A socket-like source: each read returns at most one event, as one token per packet does. */
    private Source perEventReads() {
        Buffer all = new Buffer().write(stream);
        return new Source() {
            @Override
            public long read(Buffer sink, long byteCount) {
                if (all.size() == 0) {
                    return -1;
                }
                long n = Math.min(Math.min(byteCount, eventBytes), all.size());
                sink.write(all, n);
                return n;
            }

            @Override
            public Timeout timeout() {
                return Timeout.NONE;
            }

            @Override
            public void close() {}
        };
    }

    private static int events(Source timed) throws IOException {
        int[] n = {0};
        new SseReader().read(Okio.buffer(timed), (data, offset, length) -> {
            n[0]++;
            return true;
        });
        return n[0];
    }

    /** Okio's per-read timeout (what the body used before): the watchdog's queue on every read. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int okioWatchdogPerRead() throws IOException {
        AsyncTimeout timeout = new AsyncTimeout();
        timeout.timeout(60, TimeUnit.SECONDS);
        return events(timeout.source(perEventReads()));
    }

    /** The stall watch's stamp on every read (what the body uses now). */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int stallWatchPerRead() throws IOException {
        StallWatch.Watched w = watched;
        return events(new ForwardingSource(perEventReads()) {
            @Override
            public long read(Buffer sink, long byteCount) throws IOException {
                long n = super.read(sink, byteCount);
                w.onRead(System.nanoTime());
                return n;
            }
        });
    }

    /** No timing at all: the floor of this reading path. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int untimed() throws IOException {
        return events(perEventReads());
    }
}
