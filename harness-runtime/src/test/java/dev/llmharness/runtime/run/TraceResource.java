package dev.llmharness.runtime.run;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A trace file on the class path of the thread that creates it (its context class loader, which
 * {@code classpath:} paths are read through), served from memory: it counts how often the file is
 * opened, can take its time to deliver the first bytes (a large file), and notes when the reader
 * closed it, i.e. finished reading. {@link #close()} restores the thread's class loader.
 */
final class TraceResource extends ClassLoader implements AutoCloseable {
    private final String name;
    private final byte[] bytes;
    private final long firstReadDelayMillis;
    private final Thread thread = Thread.currentThread();
    private final ClassLoader previous = thread.getContextClassLoader();
    private final AtomicInteger opens = new AtomicInteger();
    private volatile long closedAt = Long.MIN_VALUE;

    /**
     * @param name the resource, e.g. {@code llmh-test/trace.jsonl}: its path is {@code
     *     classpath:<name>}
     * @param firstReadDelay how long the first read of each opening waits before it returns
     */
    TraceResource(String name, String text, Duration firstReadDelay) {
        super(Thread.currentThread().getContextClassLoader());
        this.name = name;
        this.bytes = text.getBytes(StandardCharsets.UTF_8);
        this.firstReadDelayMillis = firstReadDelay.toMillis();
        thread.setContextClassLoader(this);
    }

    /** The path a trial names it by. */
    String path() {
        return "classpath:" + name;
    }

    /** How often the file was opened. */
    int opens() {
        return opens.get();
    }

    /** {@code nanoTime} at which the reader last closed the file, {@link Long#MIN_VALUE} before. */
    long closedAt() {
        return closedAt;
    }

    @Override
    public InputStream getResourceAsStream(String resource) {
        if (!resource.equals(name)) {
            return super.getResourceAsStream(resource);
        }
        opens.incrementAndGet();
        return new ByteArrayInputStream(bytes) {
            private boolean waited;

            @Override
            public synchronized int read(byte[] b, int off, int len) {
                waitOnce();
                return super.read(b, off, len);
            }

            @Override
            public synchronized int read() {
                waitOnce();
                return super.read();
            }

            private void waitOnce() {
                if (waited) {
                    return;
                }
                waited = true;
                try {
                    Thread.sleep(firstReadDelayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void close() {
                closedAt = System.nanoTime();
            }
        };
    }

    @Override
    public void close() {
        thread.setContextClassLoader(previous);
    }
}
