package dev.llmharness.runtime.selfbench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The table of self-benchmark steps, in two renderings from one list of columns: the console
 * (fixed-width, a line per step as it ends) and Markdown (a report section). A new figure is one
 * more {@link Column}; each {@link Layout} (one per method) is a list of them.
 */
final class StepTable {
    /** Which columns: every figure (the rising-steps method) or those peers are compared on. */
    enum Layout {
        STEPS,
        PEERS,
        SPIKE;

        static Layout of(SelfBenchConfig.Method method) {
            return switch (method) {
                case PEERS -> PEERS;
                case SPIKE -> SPIKE;
                case STEPS -> STEPS;
            };
        }

        List<Column> columns() {
            return switch (this) {
                case PEERS -> PEER_COLUMNS;
                case SPIKE -> SPIKE_COLUMNS;
                case STEPS -> COLUMNS;
            };
        }
    }

    /** Where a cell is printed; the two differ in width, separators and detail. */
    enum Style {
        CONSOLE,
        MARKDOWN
    }

    /**
     * One column.
     *
     * @param consoleHeader short header; the console column is never narrower than it
     * @param markdownHeader header of the Markdown table
     * @param width console width; negative for a left-aligned text column, 0 for the last column
     * @param cell the cell's text for a step
     */
    private record Column(
            String consoleHeader, String markdownHeader, int width, BiFunction<StepResult, Style, String> cell) {
        /** The console width, never narrower than the header, so that rows line up under it. */
        int consoleWidth() {
            int w = Math.max(Math.abs(width), consoleHeader.length());
            return width < 0 ? -w : width == 0 ? 0 : w;
        }
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("simulator", "simulator", -30, (r, s) -> r.figures().preset()),
            new Column("load", "load", -6, (r, s) -> r.figures().load()),
            new Column("level", "level", 7, (r, s) -> level(r.figures().level())),
            new Column(
                    "offered/s",
                    "offered req/s",
                    9,
                    (r, s) -> orDash(r.figures().offeredRate(), "%.1f")),
            new Column(
                    "achieved/s",
                    "achieved req/s",
                    10,
                    (r, s) -> format("%.1f", r.figures().achievedRate())),
            new Column(
                    "events/s",
                    "token events/s",
                    10,
                    (r, s) -> format(
                            s == Style.CONSOLE ? "%.0f" : "%,.0f", r.figures().tokenEventsPerSecond())),
            new Column(
                    "lag p50/p99/max ms",
                    "dispatch lag p50 / p99 / max (ms)",
                    23,
                    (r, s) -> millis(
                            s,
                            r.figures().dispatchLagP50(),
                            r.figures().dispatchLagP99(),
                            r.figures().dispatchLagMax())),
            new Column(
                    "build p50/p99",
                    "request build p50 / p99 (ms)",
                    15,
                    (r, s) ->
                            millis(s, r.figures().requestBuildP50(), r.figures().requestBuildP99())),
            new Column(
                    "cpu",
                    "harness CPU (cores)",
                    5,
                    (r, s) -> format("%.2f", r.figures().harnessCpu())),
            new Column(
                    "sim",
                    "simulator CPU",
                    5,
                    (r, s) -> format("%.2f", r.figures().simulatorCpu())),
            new Column(
                    "heapMB",
                    "heap max (MiB)",
                    6,
                    (r, s) -> format("%.0f", r.figures().heapUsedMaxMb())),
            new Column(
                    "threads",
                    "peak threads",
                    7,
                    (r, s) -> Integer.toString(r.figures().peakThreads())),
            new Column(
                    "conns",
                    "connections",
                    6,
                    (r, s) -> Integer.toString(r.figures().connections())),
            new Column(
                    "ttftErr p50/p99",
                    "TTFT error p50 / p99 (ms)",
                    15,
                    (r, s) -> millis(s, r.figures().ttftErrorP50(), r.figures().ttftErrorP99())),
            new Column(
                    "tokDelay p50/99",
                    "token delay p50 / p99 / max (ms)",
                    15,
                    (r, s) -> s == Style.CONSOLE
                            ? millis(s, r.figures().tokenDelayP50(), r.figures().tokenDelayP99())
                            : millis(
                                    s,
                                    r.figures().tokenDelayP50(),
                                    r.figures().tokenDelayP99(),
                                    r.figures().tokenDelayMax())),
            new Column(
                    "itlErr p50/99",
                    "ITL error p50 / p99 (ms)",
                    15,
                    (r, s) -> millis(s, r.figures().itlErrorP50(), r.figures().itlErrorP99())),
            new Column(
                    "simLate",
                    "simulator late p99 (ms)",
                    7,
                    (r, s) -> orDash(r.figures().simulatorLateP99(), "%.3f")),
            new Column(
                    "sendDly p50/99",
                    "send delay p50 / p99 (ms)",
                    15,
                    (r, s) -> millis(s, r.figures().sendDelayP50(), r.figures().sendDelayP99())),
            new Column(
                    "load", "load avg", 5, (r, s) -> format("%.1f", r.figures().loadAverage())),
            new Column(
                    "verdict",
                    "verdict",
                    0,
                    (r, s) -> r.clean()
                            ? "clean"
                            : (s == Style.CONSOLE ? "BEHIND: " : "behind: ") + String.join("; ", r.problems())));

    /**
     * The peers' method: the figures issue 12 and docs/performance.md compare with other clients.
     * "read lag" is the first-token read lag (the steps table's TTFT error), "send" the send path to
     * the simulator's receipt, "ttftErr" the TTFT error against the simulator's own TTFT.
     */
    private static final List<Column> PEER_COLUMNS = List.of(
            new Column("simulator", "simulator", -30, (r, s) -> r.figures().preset()),
            new Column(
                    "offered/s", "offered req/s", 9, (r, s) -> level(r.figures().level())),
            new Column(
                    "achieved/s",
                    "achieved req/s",
                    10,
                    (r, s) -> format("%.1f", r.figures().achievedRate())),
            new Column(
                    "lag p50/p99",
                    "dispatch lag p50 / p99 (ms)",
                    15,
                    (r, s) ->
                            millis(s, r.figures().dispatchLagP50(), r.figures().dispatchLagP99())),
            new Column(
                    "readLag p50/p99",
                    "first-token read lag p50 / p99 (ms)",
                    15,
                    (r, s) -> millis(s, r.figures().ttftErrorP50(), r.figures().ttftErrorP99())),
            new Column(
                    "send p50/p99",
                    "send path p50 / p99 (ms)",
                    15,
                    (r, s) -> millis(s, r.figures().sendDelayP50(), r.figures().sendDelayP99())),
            new Column(
                    "ttftErr p50/p99",
                    "TTFT error p50 / p99 (ms)",
                    15,
                    (r, s) -> millis(
                            s, r.figures().ttftErrorVsServerP50(), r.figures().ttftErrorVsServerP99())),
            new Column(
                    "cpu ms/req",
                    "CPU ms/request",
                    10,
                    (r, s) -> orDash(r.figures().cpuMillisPerRequest(), "%.3f")),
            new Column(
                    "cs/req",
                    "context switches/request",
                    6,
                    (r, s) -> orDash(r.figures().contextSwitchesPerRequest(), "%.1f")),
            new Column(
                    "runq ms/req",
                    "run-queue wait ms/request",
                    11,
                    (r, s) -> orDash(r.figures().runQueueWaitMillisPerRequest(), "%.3f")),
            new Column(
                    "cpu",
                    "harness CPU (cores)",
                    5,
                    (r, s) -> format("%.2f", r.figures().harnessCpu())),
            new Column(
                    "sim",
                    "simulator CPU",
                    5,
                    (r, s) -> format("%.2f", r.figures().simulatorCpu())),
            new Column(
                    "threads",
                    "peak threads",
                    7,
                    (r, s) -> Integer.toString(r.figures().peakThreads())),
            new Column(
                    "load", "load avg", 5, (r, s) -> format("%.1f", r.figures().loadAverage())),
            new Column(
                    "verdict",
                    "verdict",
                    0,
                    (r, s) -> r.clean()
                            ? "meets targets"
                            : (s == Style.CONSOLE ? "MISSES: " : "misses: ") + String.join("; ", r.problems())));

    /**
     * The spike method: a row per phase ({@code load} holds its name), the peers' figures with the
     * phase's rate, the requests it scheduled per second, and its dispatch lag's maximum.
     */
    private static final List<Column> SPIKE_COLUMNS = spikeColumns();

    private static List<Column> spikeColumns() {
        List<Column> c = new java.util.ArrayList<>(PEER_COLUMNS);
        c.set(1, new Column("phase", "phase", -6, (r, s) -> r.figures().load()));
        c.add(2, new Column("rate", "rate req/s", 5, (r, s) -> level(r.figures().level())));
        c.add(
                3,
                new Column(
                        "offered/s",
                        "scheduled req/s",
                        9,
                        (r, s) -> format("%.1f", r.figures().offeredRate())));
        c.set(
                5,
                new Column(
                        "lag p50/p99/max",
                        "dispatch lag p50 / p99 / max (ms)",
                        23,
                        (r, s) -> millis(
                                s,
                                r.figures().dispatchLagP50(),
                                r.figures().dispatchLagP99(),
                                r.figures().dispatchLagMax())));
        // Context switches and run-queue wait are read at the trial's window ends, not per phase.
        c.remove(11);
        c.remove(10);
        return List.copyOf(c);
    }

    private StepTable() {}

    /** The console header line of the steps layout. */
    static String consoleHeader() {
        return consoleHeader(Layout.STEPS);
    }

    /** One console line of the steps layout. */
    static String consoleRow(StepResult r) {
        return consoleRow(Layout.STEPS, r);
    }

    /** The Markdown header of the steps layout. */
    static String markdownHeader() {
        return markdownHeader(Layout.STEPS);
    }

    /** One Markdown row of the steps layout. */
    static String markdownRow(StepResult r) {
        return markdownRow(Layout.STEPS, r);
    }

    /** The console header line. */
    static String consoleHeader(Layout layout) {
        return layout.columns().stream()
                .map(c -> pad(c.consoleHeader(), c.consoleWidth()))
                .collect(Collectors.joining(" "));
    }

    /** One console line. */
    static String consoleRow(Layout layout, StepResult r) {
        return layout.columns().stream()
                .map(c -> pad(c.cell().apply(r, Style.CONSOLE), c.consoleWidth()))
                .collect(Collectors.joining(" "));
    }

    /** The Markdown header and alignment lines, each ending with a newline. */
    static String markdownHeader(Layout layout) {
        String names =
                layout.columns().stream().map(Column::markdownHeader).collect(Collectors.joining(" | ", "| ", " |\n"));
        String align = layout.columns().stream()
                .map(c -> c.width() > 0 ? "---:" : "---")
                .collect(Collectors.joining(" | ", "| ", " |\n"));
        return names + align;
    }

    /** One Markdown row, ending with a newline. */
    static String markdownRow(Layout layout, StepResult r) {
        return layout.columns().stream()
                .map(c -> c.cell().apply(r, Style.MARKDOWN))
                .collect(Collectors.joining(" | ", "| ", " |\n"));
    }

    /** Milliseconds with 3 decimals: {@code %7.3f} joined by "/" (console) or " / " (Markdown). */
    private static String millis(Style s, double... values) {
        return Arrays.stream(values)
                .mapToObj(v -> format(s == Style.CONSOLE ? "%7.3f" : "%.3f", v))
                .collect(Collectors.joining(s == Style.CONSOLE ? "/" : " / "));
    }

    /** A figure the step could not measure (NaN) as "-". */
    private static String orDash(double v, String pattern) {
        return Double.isNaN(v) ? "-" : format(pattern, v);
    }

    private static String format(String pattern, double v) {
        return String.format(Locale.ROOT, pattern, v);
    }

    /**
     * Right-aligned to {@code width}, left-aligned to {@code -width}; for 0 (the verdict) unpadded,
     * after one more space.
     */
    private static String pad(String text, int width) {
        if (width == 0) {
            return " " + text;
        }
        return String.format(Locale.ROOT, "%" + width + "s", text);
    }

    /** A level as typed: {@code 800}, or {@code 0.5}. */
    static String level(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
