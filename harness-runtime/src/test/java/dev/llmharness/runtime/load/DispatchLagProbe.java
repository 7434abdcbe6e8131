package dev.llmharness.runtime.load;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.runtime.metrics.Histograms;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Prints the open-loop dispatcher's lateness (the request thread's {@link Ticket#awaitIntendedStart()}
 * return minus the intended instant) at a given rate, for several spin windows, so that the default
 * spin is chosen on figures. The fourth argument is the preparation lead in ns (default {@link
 * LoadDriver#PREPARE_LEAD_NANOS}; 0: the dispatcher itself waits for each instant). A main
 * program, not a test (timing on a shared machine is not a pass/fail matter).
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/test.cp) \
 *     dev.llmharness.runtime.load.DispatchLagProbe 1000 10 0,20000,50000,100000
 * </pre>
 *
 * Arguments: rate (req/s), seconds per setting, spin windows in ns (comma-separated), lead in ns.
 */
public final class DispatchLagProbe {
    private DispatchLagProbe() {}

    public static void main(String[] args) throws Exception {
        double rate = args.length > 0 ? Double.parseDouble(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String spins = args.length > 2 ? args[2] : "0,20000,50000,100000";
        long lead = args.length > 3 ? Long.parseLong(args[3]) : LoadDriver.PREPARE_LEAD_NANOS;
        System.out.printf(
                "JVM %s, %d CPUs, virtual threads %s, rate %.0f/s, %d s per setting (POISSON)%n",
                System.getProperty("java.runtime.version"),
                Runtime.getRuntime().availableProcessors(),
                RequestThreads.virtual(),
                rate,
                seconds);
        for (int round = 0; round < 2; round++) {
            for (String s : spins.split(",")) {
                long spin = Long.parseLong(s.trim());
                Histogram h = measure(rate, seconds, spin, lead);
                if (round == 1) {
                    System.out.printf(
                            "spin %6d ns: lateness p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.1f µs (n=%d)%n",
                            spin,
                            h.getValueAtPercentile(50) / 1e3,
                            h.getValueAtPercentile(99) / 1e3,
                            h.getValueAtPercentile(99.9) / 1e3,
                            h.getMaxValue() / 1e3,
                            h.getTotalCount());
                }
            }
        }
    }

    private static Histogram measure(double rate, int seconds, long spin, long lead) throws InterruptedException {
        Recorder lateness = Histograms.newLatencyRecorder();
        ExecutorService executor = RequestThreads.newExecutor("probe");
        long start = System.nanoTime() + 10_000_000L;
        Window window = new Window(start, Phase.NONE, Phase.ofDuration(Duration.ofSeconds(seconds)));
        OpenLoopDriver driver = new OpenLoopDriver(
                ArrivalSchedule.of(new OpenLoopModel(Arrival.POISSON, rate, 0), 1),
                0,
                1,
                0,
                start,
                window,
                executor,
                t -> {
                    t.awaitIntendedStart();
                    Histograms.recordLatency(lateness, System.nanoTime() - t.intendedStart());
                },
                spin,
                lead);
        driver.start();
        driver.awaitIssuingEnded(TimeUnit.SECONDS.toNanos(seconds + 5));
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        return lateness.getIntervalHistogram();
    }
}
