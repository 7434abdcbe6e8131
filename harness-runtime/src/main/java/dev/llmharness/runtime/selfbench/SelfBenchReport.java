package dev.llmharness.runtime.selfbench;

import dev.llmharness.runtime.result.ResultJson;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A self-benchmark's outcome: the machine, the settings, and every series of steps.
 *
 * @param startTime ISO-8601 instant the run started
 * @param java {@code java.version} and VM name of the harness JVM
 * @param harnessJvmOptions the harness JVM's command-line options
 * @param requestThreads {@code virtual} or {@code platform}: the threads requests ran on
 * @param availableProcessors cores this JVM could use
 * @param warmupSeconds warmup of each step
 * @param stepSeconds measurement window of each step
 * @param inputTokens prompt length
 * @param outputTokens output length
 * @param simJvmOptions the simulator process's JVM options
 * @param simCpus CPU list the simulator was pinned to, or {@code null}
 * @param harnessCpus CPU list this JVM was pinned to, or {@code null}
 * @param criteria the stop criteria
 * @param series one per simulator setup and load kind, in run order
 */
public record SelfBenchReport(
        String startTime,
        String java,
        List<String> harnessJvmOptions,
        String requestThreads,
        int availableProcessors,
        double warmupSeconds,
        double stepSeconds,
        int inputTokens,
        int outputTokens,
        List<String> simJvmOptions,
        String simCpus,
        String harnessCpus,
        StopCriteria criteria,
        List<SeriesResult> series) {

    public SelfBenchReport {
        harnessJvmOptions = List.copyOf(harnessJvmOptions);
        simJvmOptions = List.copyOf(simJvmOptions);
        series = List.copyOf(series);
    }

    /** The header of the console table. */
    static String tableHeader() {
        return String.format(
                Locale.ROOT,
                "%-28s %-6s %7s %9s %9s %10s %23s %15s %5s %5s %6s %7s %6s %15s %15s %15s %7s %15s %5s  %s",
                "simulator",
                "load",
                "level",
                "offered/s",
                "achieved/s",
                "events/s",
                "lag p50/p99/max ms",
                "build p50/p99",
                "cpu",
                "sim",
                "heapMB",
                "threads",
                "conns",
                "ttftErr p50/p99",
                "tokDelay p50/99",
                "itlErr p50/99",
                "simLate",
                "sendDly p50/99",
                "load",
                "verdict");
    }

    /** One row of the console table. */
    static String tableRow(StepResult r) {
        StepFigures f = r.figures();
        return String.format(
                Locale.ROOT,
                "%-28s %-6s %7s %9s %9.1f %10.0f %7.3f/%7.3f/%7.3f %7.3f/%7.3f %5.2f %5.2f %6.0f %7d %6d %7.3f/%7.3f %7.3f/%7.3f %7.3f/%7.3f %7s %7.3f/%7.3f %5.1f  %s",
                f.preset(),
                f.load(),
                level(f.level()),
                Double.isNaN(f.offeredRate()) ? "-" : String.format(Locale.ROOT, "%.1f", f.offeredRate()),
                f.achievedRate(),
                f.tokenEventsPerSecond(),
                f.dispatchLagP50(),
                f.dispatchLagP99(),
                f.dispatchLagMax(),
                f.requestBuildP50(),
                f.requestBuildP99(),
                f.harnessCpu(),
                f.simulatorCpu(),
                f.heapUsedMaxMb(),
                f.peakThreads(),
                f.connections(),
                f.ttftErrorP50(),
                f.ttftErrorP99(),
                f.tokenDelayP50(),
                f.tokenDelayP99(),
                f.itlErrorP50(),
                f.itlErrorP99(),
                notMeasuredAsDash(f.simulatorLateP99()),
                f.sendDelayP50(),
                f.sendDelayP99(),
                f.loadAverage(),
                r.clean() ? "clean" : "BEHIND: " + String.join("; ", r.problems()));
    }

    /** A figure the step could not measure (NaN: the zero preset keeps no schedule) as "-". */
    private static String notMeasuredAsDash(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String level(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** One line per series: the highest clean step. */
    public List<String> capacityLines() {
        return series.stream()
                .map(s -> String.format(
                        Locale.ROOT,
                        "%s, %s loop: %s%s",
                        s.preset(),
                        s.load(),
                        s.highestClean() == null
                                ? "no clean step"
                                : "clean up to " + level(s.highestClean())
                                        + (s.load().equals("open") ? " requests/s" : " concurrent streams"),
                        s.fellBehind()
                                ? " (fell behind at " + level(firstUnclean(s)) + ")"
                                : " (every step clean; the limit is higher)"))
                .toList();
    }

    private static double firstUnclean(SeriesResult s) {
        return s.steps().stream()
                .filter(r -> !r.clean())
                .findFirst()
                .orElseThrow()
                .figures()
                .level();
    }

    /** Prints the whole table and the capacity lines. */
    public void print(PrintStream out) {
        out.println(tableHeader());
        for (SeriesResult s : series) {
            for (StepResult r : s.steps()) {
                out.println(tableRow(r));
            }
        }
        out.println();
        capacityLines().forEach(l -> out.println("capacity: " + l));
    }

    /** A short Markdown section: settings, a table of every step, and the capacity per series. */
    public String toMarkdown() {
        StringBuilder b = new StringBuilder();
        b.append("### Harness self-benchmark (").append(startTime).append(")\n\n");
        b.append(String.format(
                Locale.ROOT,
                "Java %s, %s request threads, %d cores; steps of %.0f s after %.0f s warmup; prompts of %d tokens, outputs of %d"
                        + " tokens; harness JVM options %s; simulator JVM options %s; pinning: simulator %s,"
                        + " harness %s.%n%n",
                java,
                requestThreads,
                availableProcessors,
                stepSeconds,
                warmupSeconds,
                inputTokens,
                outputTokens,
                harnessJvmOptions.isEmpty() ? "none" : String.join(" ", harnessJvmOptions),
                simJvmOptions.isEmpty() ? "none" : String.join(" ", simJvmOptions),
                simCpus == null ? "none" : simCpus,
                harnessCpus == null ? "none" : harnessCpus));
        b.append(
                "| simulator | load | level | offered req/s | achieved req/s | token events/s | dispatch lag"
                        + " p50 / p99 / max (ms) | request build p50 / p99 (ms) | harness CPU (cores) | simulator CPU | heap max (MiB) | peak threads | connections | TTFT error p50"
                        + " / p99 (ms) | token delay p50 / p99 / max (ms) | ITL error p50 / p99 (ms) | simulator late p99 (ms) | send delay p50 / p99 (ms) | load avg | verdict |\n");
        b.append(
                "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (SeriesResult s : series) {
            for (StepResult r : s.steps()) {
                StepFigures f = r.figures();
                b.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %s | %s | %.1f | %,.0f | %.3f / %.3f / %.3f | %.3f / %.3f | %.2f | %.2f | %.0f | %d | %d | %.3f / %.3f |"
                                + " %.3f / %.3f / %.3f | %.3f / %.3f | %s | %.3f / %.3f | %.1f | %s |%n",
                        f.preset(),
                        f.load(),
                        level(f.level()),
                        Double.isNaN(f.offeredRate()) ? "-" : String.format(Locale.ROOT, "%.1f", f.offeredRate()),
                        f.achievedRate(),
                        f.tokenEventsPerSecond(),
                        f.dispatchLagP50(),
                        f.dispatchLagP99(),
                        f.dispatchLagMax(),
                        f.requestBuildP50(),
                        f.requestBuildP99(),
                        f.harnessCpu(),
                        f.simulatorCpu(),
                        f.heapUsedMaxMb(),
                        f.peakThreads(),
                        f.connections(),
                        f.ttftErrorP50(),
                        f.ttftErrorP99(),
                        f.tokenDelayP50(),
                        f.tokenDelayP99(),
                        f.tokenDelayMax(),
                        f.itlErrorP50(),
                        f.itlErrorP99(),
                        notMeasuredAsDash(f.simulatorLateP99()),
                        f.sendDelayP50(),
                        f.sendDelayP99(),
                        f.loadAverage(),
                        r.clean() ? "clean" : "behind: " + String.join("; ", r.problems())));
            }
        }
        b.append('\n');
        capacityLines().forEach(l -> b.append("- ").append(l).append('\n'));
        return b.toString();
    }

    /** Writes this report as JSON ({@link ResultJson#mapper()}; {@code NaN} figures as {@code null}). */
    public void writeJson(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** This report as JSON. */
    public String toJson() {
        try {
            return ResultJson.mapper()
                    .copy()
                    .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule()
                            .addSerializer(Double.class, new NanAsNull())
                            .addSerializer(double.class, new NanAsNull()))
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a NaN figure (not measured) as JSON {@code null}, which every reader accepts. */
    private static final class NanAsNull extends com.fasterxml.jackson.databind.ser.std.StdSerializer<Double> {
        NanAsNull() {
            super(Double.class);
        }

        @Override
        public void serialize(
                Double value,
                com.fasterxml.jackson.core.JsonGenerator gen,
                com.fasterxml.jackson.databind.SerializerProvider provider)
                throws IOException {
            if (value == null || value.isNaN() || value.isInfinite()) {
                gen.writeNull();
            } else {
                gen.writeNumber(value);
            }
        }
    }

    /** Writes the Markdown section to a file. */
    public void writeMarkdown(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, toMarkdown());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
