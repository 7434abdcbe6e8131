package dev.llmharness.runtime.metrics;

import dev.llmharness.api.spi.SloMetric;
import dev.llmharness.runtime.result.Direction;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * The one place that knows each metric a trial reports: its name in result files, its unit, what
 * kind of figure it is and which way it improves. The recorder, the result summary, the console
 * table, the SLO evaluator and {@code llmh compare} all ask here; a new metric is one more constant.
 *
 * <p>Definitions (from the request's intended start, in {@code docs/metrics.md}) are in each
 * constant's comment.
 */
public enum Metric {
    /** Time to first token: first content event minus intended start. Milliseconds. */
    TTFT("ttft", Kind.LATENCY, true),
    /** First content event minus the send: the figure most other tools call TTFT. Milliseconds. */
    TTFT_FROM_SEND("ttftFromSend", Kind.LATENCY, true),
    /** Send minus intended start: the harness's own delay; above 1 ms p99 the harness limits. */
    DISPATCH_LAG("dispatchLag", Kind.LATENCY, true),
    /** Each gap between consecutive content events. Milliseconds; many correlated gaps per request. */
    ITL("itl", Kind.LATENCY, true),
    /** (last token - first token) / (output tokens - 1) per request. Milliseconds. */
    TPOT("tpot", Kind.LATENCY, true),
    /** Last content event minus intended start. Milliseconds. */
    E2E("e2e", Kind.LATENCY, true),
    /** Prompt tokens per completed request. */
    INPUT_TOKENS("inputTokens", Kind.TOKEN_COUNT, false),
    /** Generated tokens per completed request. */
    OUTPUT_TOKENS("outputTokens", Kind.TOKEN_COUNT, false),
    /** Time the benchmark method and request building took per request. Milliseconds. */
    REQUEST_BUILD("requestBuild", Kind.LATENCY, true),
    /** Requests that completed inside the measurement window per second of the declared window. */
    REQUESTS_PER_SECOND("requestsPerSecond", Kind.RATE, false),
    /** Output tokens received inside the measurement window per second of the declared window. */
    OUTPUT_TOKENS_PER_SECOND("outputTokensPerSecond", Kind.RATE, false),
    /** failed / (completed + failed), in [0, 1]. */
    ERROR_RATE("errorRate", Kind.PROPORTION, false),
    /** The server's own prompt (prefill) time, as it reported it. Milliseconds. */
    SERVER_PROMPT("serverPrompt", Kind.LATENCY, false),
    /** The server's own time per output token, as it reported it. Milliseconds. */
    SERVER_TPOT("serverTpot", Kind.LATENCY, false),
    /** The server's own time for the whole request. Milliseconds. */
    SERVER_TOTAL("serverTotal", Kind.LATENCY, false),
    /** The time the request waited in the server's queue, as it reported it. Milliseconds. */
    SERVER_QUEUE("serverQueue", Kind.LATENCY, false),
    /** TTFT from the send minus the server's load and prompt time: the client's overhead. Milliseconds. */
    TTFT_OVERHEAD("ttftOverhead", Kind.LATENCY, false),
    /** Last token minus the send, minus the server's total time. Milliseconds. */
    E2E_OVERHEAD("e2eOverhead", Kind.LATENCY, false),
    /** First reasoning event minus intended start. Milliseconds. */
    TTFT_REASONING("ttftReasoning", Kind.LATENCY, false),
    /** First answer (non-reasoning) event minus intended start. Milliseconds. */
    TTFT_ANSWER("ttftAnswer", Kind.LATENCY, false),
    /** Reasoning content events of one request. */
    REASONING_TOKENS("reasoningTokens", Kind.TOKEN_COUNT, false),
    /** Answer content events of one request that reasoned. */
    ANSWER_TOKENS("answerTokens", Kind.TOKEN_COUNT, false);

    /** What sort of figure a metric is; decides its unit and how it is recorded and compared. */
    public enum Kind {
        /** A distribution of durations: histogram in ns, summaries in ms. */
        LATENCY("ms", "ns"),
        /** A distribution of token counts per request. */
        TOKEN_COUNT("tokens", "tokens"),
        /** A rate over the measurement window. */
        RATE(null, null),
        /** A proportion of requests, in [0, 1]. */
        PROPORTION("ratio", null);

        private final String unit;
        private final String histogramUnit;

        Kind(String unit, String histogramUnit) {
            this.unit = unit;
            this.histogramUnit = histogramUnit;
        }
    }

    private final String key;
    private final Kind kind;
    private final boolean console;

    Metric(String key, Kind kind, boolean console) {
        this.key = key;
        this.kind = kind;
        this.console = console;
    }

    /** The name in result files, {@code --gate} and {@code --threshold}, e.g. {@code "ttft"}. */
    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the metric is a per-request distribution kept as a histogram. */
    public boolean isDistribution() {
        return kind == Kind.LATENCY || kind == Kind.TOKEN_COUNT;
    }

    /**
     * Unit of the reported values: {@code "ms"}, {@code "tokens"}, {@code "requests/s"}, {@code
     * "tokens/s"} or {@code "ratio"}.
     */
    public String unit() {
        if (this == REQUESTS_PER_SECOND) {
            return "requests/s";
        }
        if (this == OUTPUT_TOKENS_PER_SECOND) {
            return "tokens/s";
        }
        return kind.unit;
    }

    /** Unit of the values inside the histogram ({@code "ns"} or {@code "tokens"}), null for non-distributions. */
    public String histogramUnit() {
        return kind.histogramUnit;
    }

    /** Divisor from a histogram value to the reported unit: 1e6 for ns to ms, else 1. */
    public double histogramScale() {
        return kind == Kind.LATENCY ? 1_000_000.0 : 1.0;
    }

    /** How charts and headings name the metric, e.g. {@code "TTFT"}; the key where there is no shorter name. */
    public String title() {
        return switch (this) {
            case TTFT -> "TTFT";
            case ITL -> "ITL";
            case TPOT -> "TPOT";
            case E2E -> "E2E latency";
            default -> key;
        };
    }

    /** Which way the metric improves: latencies and errors down, rates and token counts up. */
    public Direction direction() {
        return kind == Kind.LATENCY || kind == Kind.PROPORTION ? Direction.LOWER_IS_BETTER : Direction.HIGHER_IS_BETTER;
    }

    /** Whether the console table of a trial shows this metric (latencies only). */
    public boolean shownOnConsole() {
        return console;
    }

    /**
     * Whether a latency comes from the server under test (rather than the harness's own work):
     * the metrics worth comparing and gating.
     */
    public boolean measuresServer() {
        return this != DISPATCH_LAG
                && this != REQUEST_BUILD
                && this != TTFT_OVERHEAD
                && this != E2E_OVERHEAD
                && kind != Kind.TOKEN_COUNT;
    }

    /**
     * Whether the histogram holds several correlated values per request, so that the number of
     * independent samples is the number of requests, not the histogram's count (ITL).
     */
    public boolean manyValuesPerRequest() {
        return this == ITL;
    }

    /** An empty histogram with the settings every histogram of this metric uses. */
    public Histogram newHistogram() {
        if (!isDistribution()) {
            throw new IllegalStateException(key + " is not a distribution");
        }
        return kind == Kind.LATENCY ? Histograms.newLatency() : Histograms.newTokens();
    }

    /** Every per-request distribution, in the order result files list them. */
    public static List<Metric> distributions() {
        return List.of(TTFT, TTFT_FROM_SEND, DISPATCH_LAG, ITL, TPOT, E2E, INPUT_TOKENS, OUTPUT_TOKENS, REQUEST_BUILD);
    }

    /**
     * The distributions a result lists only when at least one request recorded them, in the order
     * result files list them: the server's own figures and the client's overhead over them (servers
     * that report timings, docs/engines.md), and when reasoning and answer began and how many
     * events each took (requests that reasoned).
     */
    public static List<Metric> optionalDistributions() {
        return List.of(
                SERVER_PROMPT,
                SERVER_TPOT,
                SERVER_TOTAL,
                SERVER_QUEUE,
                TTFT_OVERHEAD,
                E2E_OVERHEAD,
                TTFT_REASONING,
                TTFT_ANSWER,
                REASONING_TOKENS,
                ANSWER_TOKENS);
    }

    /** The console table's rows, in order. */
    public static List<Metric> consoleRows() {
        return List.of(TTFT, TTFT_FROM_SEND, ITL, TPOT, E2E, DISPATCH_LAG, REQUEST_BUILD);
    }

    /** The metric with this result-file name. */
    public static Optional<Metric> byKey(String key) {
        return Arrays.stream(values()).filter(m -> m.key.equals(key)).findFirst();
    }

    /** The distribution an SLO latency bound is about. */
    public static Metric of(SloMetric slo) {
        return switch (slo) {
            case TTFT -> TTFT;
            case TPOT -> TPOT;
            case ITL -> ITL;
            case E2E -> E2E;
        };
    }
}
