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
 * @param criteria the stop criteria (steps) or the targets (peers)
 * @param arrival open-loop arrivals: {@code constant} or {@code poisson}
 * @param method {@code steps}, {@code peers} or {@code spike} ({@link SelfBenchConfig.Method})
 * @param series one per simulator setup and load kind, in run order
 * @param transport {@code threads} or {@code event-loop}: how requests reached the simulator
 * @param jitPriority the priority of the harness's compiler and housekeeping threads: {@code idle},
 *     {@code normal} or {@code unavailable} ({@link dev.llmharness.runtime.load.IdlePriority#recorded()})
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
        StepCriteria criteria,
        String arrival,
        String method,
        List<SeriesResult> series,
        String transport,
        String jitPriority) {

    public SelfBenchReport {
        harnessJvmOptions = List.copyOf(harnessJvmOptions);
        simJvmOptions = List.copyOf(simJvmOptions);
        series = List.copyOf(series);
    }

    /** The header of the console table. */
    static String tableHeader() {
        return StepTable.consoleHeader();
    }

    /** One row of the console table. */
    static String tableRow(StepResult r) {
        return StepTable.consoleRow(r);
    }

    private StepTable.Layout layout() {
        return switch (method) {
            case "peers" -> StepTable.Layout.PEERS;
            case "spike" -> StepTable.Layout.SPIKE;
            default -> StepTable.Layout.STEPS;
        };
    }

    /** What the summary lines are prefixed with: {@code "capacity: "}, or {@code "spike: "}. */
    String summaryLabel() {
        return "spike".equals(method) ? "spike: " : "capacity: ";
    }

    /**
     * One line per series: the highest clean step; for the spike method, the dispatch lag p99 of
     * each phase against the targets ({@link SpikePlan#summaryLines}).
     */
    public List<String> capacityLines() {
        if ("spike".equals(method)) {
            return SpikePlan.summaryLines(series, criteria);
        }
        return series.stream()
                .map(s -> String.format(
                        Locale.ROOT,
                        "%s, %s loop: %s%s",
                        s.preset(),
                        s.load(),
                        s.highestClean() == null
                                ? "no clean step"
                                : "clean up to " + StepTable.level(s.highestClean())
                                        + (s.load().equals("open") ? " requests/s" : " concurrent streams"),
                        s.fellBehind()
                                ? " (fell behind at " + StepTable.level(firstUnclean(s)) + ")"
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
        out.println(StepTable.consoleHeader(layout()));
        for (SeriesResult s : series) {
            for (StepResult r : s.steps()) {
                out.println(StepTable.consoleRow(layout(), r));
            }
        }
        out.println();
        capacityLines().forEach(l -> out.println(summaryLabel() + l));
    }

    /** A short Markdown section: settings, a table of every step, and the capacity per series. */
    public String toMarkdown() {
        StringBuilder b = new StringBuilder();
        b.append("### Harness self-benchmark (").append(startTime).append(")\n\n");
        b.append(String.format(
                Locale.ROOT,
                "Method %s, %s arrivals, %s transport, compiler threads at %s priority. Java %s, %s request threads, %d cores; steps of %.0f s after %.0f s warmup;"
                        + " prompts of %d tokens, outputs of %d tokens; harness JVM options %s; simulator JVM options"
                        + " %s; pinning: simulator %s, harness %s.%n%n",
                method,
                arrival,
                transport,
                jitPriority,
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
        b.append(StepTable.markdownHeader(layout()));
        for (SeriesResult s : series) {
            for (StepResult r : s.steps()) {
                b.append(StepTable.markdownRow(layout(), r));
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
