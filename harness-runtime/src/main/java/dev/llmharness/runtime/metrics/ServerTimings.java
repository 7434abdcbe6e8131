package dev.llmharness.runtime.metrics;

/**
 * What an engine reports about one request's own timing and token counts, converted to
 * nanoseconds and tokens; {@code -1} for a figure the engine does not report. These are the
 * server's truth, recorded beside the client's measurements (see {@code docs/engines.md}).
 *
 * @param promptNanos prompt evaluation (prefill) time: llama.cpp {@code timings.prompt_ms}, Ollama
 *     {@code prompt_eval_duration}
 * @param promptTokens prompt tokens evaluated: llama.cpp {@code timings.prompt_n}, Ollama {@code
 *     prompt_eval_count}
 * @param decodeNanos generation time: llama.cpp {@code timings.predicted_ms}, Ollama {@code
 *     eval_duration}
 * @param decodeTokens tokens generated: llama.cpp {@code timings.predicted_n}, Ollama {@code
 *     eval_count}, TGI {@code details.generated_tokens}
 * @param loadNanos model load time before the request ran: Ollama {@code load_duration}
 * @param totalNanos the whole request on the server: Ollama {@code total_duration}, TGI {@code
 *     x-total-time} (non-streamed {@code /generate} only)
 * @param queueNanos time the request waited in the server's queue before it ran: TGI {@code
 *     x-queue-time} (non-streamed {@code /generate} only)
 */
public record ServerTimings(
        long promptNanos,
        long promptTokens,
        long decodeNanos,
        long decodeTokens,
        long loadNanos,
        long totalNanos,
        long queueNanos) {

    /** Nothing reported. */
    public static final ServerTimings NONE = new ServerTimings(-1, -1, -1, -1, -1, -1, -1);

    /** Figures without a queue time. */
    public ServerTimings(
            long promptNanos, long promptTokens, long decodeNanos, long decodeTokens, long loadNanos, long totalNanos) {
        this(promptNanos, promptTokens, decodeNanos, decodeTokens, loadNanos, totalNanos, -1);
    }

    /** The server's time per output token after the first, ns, or {@code -1}. */
    public long tpotNanos() {
        return decodeNanos >= 0 && decodeTokens >= 2 ? decodeNanos / (decodeTokens - 1) : -1;
    }

    /** These figures, each replaced by {@code other}'s where {@code other} reports it. */
    public ServerTimings with(ServerTimings other) {
        return new ServerTimings(
                pick(other.promptNanos, promptNanos),
                pick(other.promptTokens, promptTokens),
                pick(other.decodeNanos, decodeNanos),
                pick(other.decodeTokens, decodeTokens),
                pick(other.loadNanos, loadNanos),
                pick(other.totalNanos, totalNanos),
                pick(other.queueNanos, queueNanos));
    }

    private static long pick(long preferred, long fallback) {
        return preferred >= 0 ? preferred : fallback;
    }
}
