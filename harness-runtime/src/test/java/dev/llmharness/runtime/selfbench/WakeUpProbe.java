package dev.llmharness.runtime.selfbench;

import dev.llmharness.runtime.metrics.Histograms;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The machine's floor for the token delay that selfbench measures: one thread writes a byte to a
 * loopback TCP connection every {@code gap}, stamping {@code System.nanoTime()} just before the
 * write; another thread, blocked in {@code read}, stamps its return. Nothing else runs, no HTTP,
 * no parsing: what remains is the kernel's and the hypervisor's time to wake a blocked reader.
 * The writer's own lateness against its schedule (it parks to absolute deadlines, as the
 * simulator's engine does) is printed too. A main program, not a test (timing on a shared machine
 * is not a pass/fail matter).
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/test.cp) \
 *     dev.llmharness.runtime.selfbench.WakeUpProbe 20 5000 1
 * </pre>
 *
 * Arguments: gap between writes in ms (may be fractional), number of writes, parallel pairs.
 */
public final class WakeUpProbe {
    private WakeUpProbe() {}

    public static void main(String[] args) throws Exception {
        double gapMs = args.length > 0 ? Double.parseDouble(args[0]) : 20;
        int writes = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        long gap = (long) (gapMs * 1_000_000);
        Histogram delay = Histograms.newLatency();
        Histogram late = Histograms.newLatency();
        Thread[] threads = new Thread[pairs];
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            for (int p = 0; p < pairs; p++) {
                Socket out = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket in = server.accept();
                out.setTcpNoDelay(true);
                long phase = gap * p / pairs;
                threads[p] = new Thread(() -> pair(out, in, gap, phase, writes, delay, late), "pair-" + p);
                threads[p].start();
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        System.out.printf(
                Locale.ROOT,
                "JVM %s, %d CPUs, %d pair(s), a write every %.3f ms, %d writes each%n",
                System.getProperty("java.runtime.version"),
                Runtime.getRuntime().availableProcessors(),
                pairs,
                gapMs,
                writes);
        print("read - write (wake-up of a blocked reader)", delay);
        print("write - schedule (parkNanos to a deadline)", late);
    }

    private static void pair(Socket out, Socket in, long gap, long phase, int writes, Histogram delay, Histogram late) {
        AtomicLongArray written = new AtomicLongArray(writes);
        Thread reader = new Thread(
                () -> {
                    try (InputStream is = in.getInputStream()) {
                        for (int i = 0; i < writes; i++) {
                            if (is.read() < 0) {
                                return;
                            }
                            long now = System.nanoTime();
                            synchronized (delay) {
                                delay.recordValue(Math.max(0, now - written.get(i)));
                            }
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                },
                Thread.currentThread().getName() + "-reader");
        reader.start();
        try (OutputStream os = out.getOutputStream()) {
            long start = System.nanoTime() + 100_000_000L + phase;
            for (int i = 0; i < writes; i++) {
                long due = start + i * gap;
                for (long left; (left = due - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(left);
                }
                long now = System.nanoTime();
                synchronized (late) {
                    late.recordValue(now - due);
                }
                written.set(i, now); // stored before the write system call that wakes the reader
                os.write(1);
                os.flush();
            }
            reader.join();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void print(String what, Histogram h) {
        System.out.printf(
                Locale.ROOT,
                "%-44s p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f ms (n=%d)%n",
                what,
                h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(90) / 1e6,
                h.getValueAtPercentile(99) / 1e6,
                h.getValueAtPercentile(99.9) / 1e6,
                h.getMaxValue() / 1e6,
                h.getTotalCount());
    }
}
