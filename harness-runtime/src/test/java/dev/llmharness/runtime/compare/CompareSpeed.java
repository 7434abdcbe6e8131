package dev.llmharness.runtime.compare;

import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.SyntheticResults;
import dev.llmharness.runtime.result.SyntheticResults.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Prints how long {@code llmh compare} takes on large result files (not a test: a main program, so
 * that timing never makes a build flaky). Run from {@code harness-runtime} after {@code
 * test-compile}: {@code java -cp target/classes:target/test-classes:<dependencies>
 * dev.llmharness.runtime.compare.CompareSpeed [requestsPerSecond] [seconds]}.
 */
public final class CompareSpeed {
    private CompareSpeed() {}

    public static void main(String[] args) throws Exception {
        double rate = args.length > 0 ? Double.parseDouble(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        Path dir = Files.createTempDirectory("llmh-compare-speed");
        Path base = dir.resolve("base.json");
        Path contender = dir.resolve("contender.json");
        ResultJson.write(SyntheticResults.run(1, Spec.of("T").rate(rate, seconds)), base);
        ResultJson.write(
                SyntheticResults.run(2, Spec.of("T").rate(rate, seconds).itlScaled(1.05)), contender);
        long requests = ResultJson.read(base).trials().get(0).counts().completed();
        long gaps = ResultJson.read(base).trials().get(0).metrics().get("itl").count();
        System.out.printf(
                Locale.ROOT,
                "one trial, %d requests and %d ITL gaps per side; file size %d KB%n",
                requests,
                gaps,
                Files.size(base) / 1024);
        for (int i = 0; i < 6; i++) {
            long start = System.nanoTime();
            ComparisonReport report =
                    Comparison.compareFiles(List.of(base), List.of(contender), CompareOptions.defaults());
            long nanos = System.nanoTime() - start;
            System.out.printf(
                    Locale.ROOT,
                    "run %d: read + compare %d metrics x %d resamples: %.1f ms (itl.p99 %s)%n",
                    i,
                    report.trials().get(0).metrics().size(),
                    report.resamples(),
                    nanos / 1e6,
                    report.trials().get(0).metrics().get(3).verdict().label());
        }
        Files.delete(base);
        Files.delete(contender);
        Files.delete(dir);
    }
}
