package dev.llmharness.runtime.result;

import dev.llmharness.runtime.metrics.RequestTiming;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Shows that the per-request files keep the heap flat: writes N requests through the CSV (with
 * text) and the inter-token JSONL writers, as request threads do, and prints the heap used after a
 * full GC at every power of ten. A main program (a measurement, not a test).
 *
 * <p>Arguments: requests (default 1,000,000), content events per request (default 128), text
 * characters (default 200).
 */
public final class RequestFilesHeapProbe {
    private RequestFilesHeapProbe() {}

    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int text = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Path dir = Files.createTempDirectory("llmh-heap-probe");
        Path csv = dir.resolve("requests.csv");
        Path jsonl = dir.resolve("itl.jsonl");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.out.printf(Locale.ROOT, "%12s %16s %14s %14s%n", "requests", "heap used (MB)", "csv (MB)", "jsonl (MB)");
        long start = System.nanoTime();
        try (RequestSink sink =
                RequestSink.all(List.of(RequestCsvWriter.open(csv, text), ItlJsonlWriter.open(jsonl)))) {
            long next = 1_000;
            for (long i = 0; i < n; i++) {
                RequestTiming t = RequestFilesTest.request(i, events, i % 20 == 0);
                t.keepText(text);
                sink.write("Probe.chat{rate=1000}", t);
                if (i + 1 == next || i + 1 == n) {
                    System.gc();
                    System.out.printf(
                            Locale.ROOT,
                            "%12d %16.1f %14.1f %14.1f%n",
                            i + 1,
                            memory.getHeapMemoryUsage().getUsed() / 1e6,
                            Files.size(csv) / 1e6,
                            Files.size(jsonl) / 1e6);
                    next *= 10;
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%d requests in %.1f s (%.1f µs per request, both files); files in %s%n",
                n,
                (System.nanoTime() - start) / 1e9,
                (System.nanoTime() - start) / 1e3 / n,
                dir);
        Files.delete(csv);
        Files.delete(jsonl);
        Files.delete(dir);
    }
}
