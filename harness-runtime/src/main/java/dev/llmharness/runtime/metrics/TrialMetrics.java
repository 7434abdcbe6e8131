package dev.llmharness.runtime.metrics;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Everything measured in one trial's window, as {@link TrialRecorder#finish()} returns it.
 *
 * @param histograms by metric name ({@code ttft}, {@code ttftFromSend}, {@code dispatchLag}, {@code
 *     itl}, {@code tpot}, {@code e2e}: ns; {@code inputTokens}, {@code outputTokens}: tokens;
 *     {@code requestBuild}: ns)
 * @param sent measured requests started
 * @param completed measured requests completed
 * @param failed measured requests failed
 * @param cancelled measured requests cancelled
 * @param failures failed requests by category key, every category present
 * @param delayedStarts measured requests that waited for an in-flight slot
 * @param inputTokens prompt tokens over completed requests
 * @param outputTokens output tokens over completed requests
 * @param requestedOutputTokens {@code max_tokens} over completed requests
 * @param tokenSource {@code "usage"}, the counter's source, or {@code "mixed"}; {@code null} when
 *     nothing completed
 * @param goodRequests completed requests that met every latency bound
 * @param timeline per-second counts from the window start
 * @param unterminatedStreams completed requests whose stream ended cleanly after the answer's
 *     {@code finish_reason} without its terminator ({@code data: [DONE]})
 * @param ignoredEvents events with nothing the harness reads (keep-alives such as {@code data: {}})
 *     over all measured requests
 * @param failureMessages the distinct failure messages by category key, only categories that had
 *     failures (bounded: see {@link FailureLog})
 * @param tokenTotals intended, counted and server-reported tokens of completed requests, apart
 */
public record TrialMetrics(
        Map<String, Histogram> histograms,
        long sent,
        long completed,
        long failed,
        long cancelled,
        Map<String, Long> failures,
        long delayedStarts,
        long inputTokens,
        long outputTokens,
        long requestedOutputTokens,
        String tokenSource,
        long goodRequests,
        List<Second> timeline,
        long unterminatedStreams,
        long ignoredEvents,
        Map<String, FailureLog.Messages> failureMessages,
        TokenTotals tokenTotals) {

    /**
     * One second of the window, each value filed under the second it was observed in.
     *
     * @param second offset from the window start, from 0
     * @param started measured requests whose intended start fell in this second (the offered load)
     * @param completed requests that completed in this second
     * @param failed requests that failed in this second
     * @param outputTokens tokens received in this second
     * @param inFlightMicros microseconds measured requests spent between send and end within this
     *     second, summed over the requests (divided by 10^6: the mean number in flight)
     * @param latencies per-second histograms ({@code ttft}, {@code itl}, {@code e2e}; ns, settings
     *     of {@link Histograms#newTimelineLatency()}), only those with a value in this second
     */
    public record Second(
            int second,
            long started,
            long completed,
            long failed,
            long outputTokens,
            long inFlightMicros,
            Map<String, Histogram> latencies) {}

    /** Whether {@code sent == completed + failed + cancelled}. */
    public boolean accountingHolds() {
        return sent == completed + failed + cancelled;
    }
}
