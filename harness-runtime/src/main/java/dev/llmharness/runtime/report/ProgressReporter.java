package dev.llmharness.runtime.report;

import dev.llmharness.api.DurationText;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.load.IdlePriority;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prints one progress line every interval while a trial runs: the trial and its load as run, the
 * phase (warmup, measurement, drain) and what is left of it, requests in flight, completed
 * requests/s and output tokens/s since the previous line, failures and the error rate, TTFT
 * p50/p99 and dispatch lag p99 over the window so far. Runs on its own daemon thread; never touches
 * the request path beyond reading wait-free recorders.
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
        this.timer = Executors.newSingleThreadScheduledExecutor(IdlePriority.housekeeping("llmh-progress"));
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
        long ended = m.completed() + m.failed();
        return String.format(
                Locale.ROOT,
                "[%s] %s %s, %s  in flight %d  %.1f req/s  %.0f tok/s  errors %d (%s)  TTFT p50 %s p99 %s  lag p99 %s",
                p.asRun().isEmpty() ? p.trialId() : p.trialId() + " " + p.asRun(),
                p.phase().word(),
                seconds(Math.max(0, p.elapsedNanos())),
                left(p),
                p.inFlight(),
                reqRate,
                tokRate,
                m.failed(),
                ended == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * m.failed() / ended),
                ms(m.ttftP50Nanos()),
                ms(m.ttftP99Nanos()),
                ms(m.dispatchLagP99Nanos()));
    }

    /**
     * The line printed as a trial starts: its id and its parameters as run, after run-time
     * overrides ({@code --rate-scale}, {@code --duration}, {@code --warmup}...).
     */
    public static String trialStart(int index, int count, TrialSpec spec) {
        String load = spec.load().describe();
        return String.format(
                Locale.ROOT,
                "-- trial %d/%d %s: %s, warmup %s, measurement %s, seed %d",
                index,
                count,
                spec.id(),
                load,
                phase(spec.warmup()),
                phase(spec.measurement()),
                spec.seed());
    }

    private static String phase(Phase p) {
        if (p.isEmpty()) {
            return "none";
        }
        return p.countsRequests() ? p.requests() + " requests" : DurationText.format(p.duration());
    }

    private static String left(ProgressSample p) {
        if (p.requestsLeft() >= 0) {
            return p.requestsLeft() + " requests left";
        }
        return p.leftNanos() < 0 ? "until done" : seconds(p.leftNanos()) + " left";
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
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
