package dev.llmharness.runtime.report;

import dev.llmharness.runtime.load.RequestThreads;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prints one progress line every interval while a trial runs: elapsed time, requests in flight,
 * completed requests/s and output tokens/s since the previous line, TTFT p50/p99 and dispatch lag
 * p99 over the window so far, and failures. Runs on its own daemon thread; never touches the
 * request path beyond reading wait-free recorders.
 */
public final class ProgressReporter implements AutoCloseable {
    private final ScheduledExecutorService timer;
    private final Supplier<ProgressSample> source;
    private final PrintStream out;
    private final long intervalNanos;
    private String lastTrial;
    private long lastCompleted;
    private long lastTokens;
    private long lastNanos;

    private ProgressReporter(Duration interval, Supplier<ProgressSample> source, PrintStream out) {
        this.source = source;
        this.out = out;
        this.intervalNanos = interval.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(RequestThreads.daemonFactory("llmh-progress"));
    }

    /** Starts printing every {@code interval} what {@code source} reports ({@code null}: nothing). */
    public static ProgressReporter start(Duration interval, Supplier<ProgressSample> source, PrintStream out) {
        ProgressReporter r = new ProgressReporter(interval, source, out);
        r.timer.scheduleAtFixedRate(r::tick, r.intervalNanos, r.intervalNanos, TimeUnit.NANOSECONDS);
        return r;
    }

    private void tick() {
        try {
            ProgressSample p = source.get();
            if (p == null) {
                return;
            }
            out.println(line(p));
        } catch (RuntimeException e) {
            out.println("progress unavailable: " + e);
        }
    }

    /** Formats one line; keeps the previous totals to compute rates. */
    synchronized String line(ProgressSample p) {
        long now = System.nanoTime();
        if (!p.trialId().equals(lastTrial)) {
            lastTrial = p.trialId();
            lastCompleted = 0;
            lastTokens = 0;
            lastNanos = now - Math.max(1, Math.min(p.elapsedNanos(), intervalNanos));
        }
        var m = p.measured();
        double secs = Math.max(1e-9, (now - lastNanos) / 1e9);
        double reqRate = (m.completed() - lastCompleted) / secs;
        double tokRate = (m.outputTokens() - lastTokens) / secs;
        lastCompleted = m.completed();
        lastTokens = m.outputTokens();
        lastNanos = now;
        return String.format(
                Locale.ROOT,
                "[%s] %6.1fs  in flight %d  %.1f req/s  %.0f tok/s  TTFT p50 %s p99 %s  errors %d  lag p99 %s",
                p.trialId(),
                Math.max(0, p.elapsedNanos()) / 1e9,
                p.inFlight(),
                reqRate,
                tokRate,
                ms(m.ttftP50Nanos()),
                ms(m.ttftP99Nanos()),
                m.failed(),
                ms(m.dispatchLagP99Nanos()));
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
