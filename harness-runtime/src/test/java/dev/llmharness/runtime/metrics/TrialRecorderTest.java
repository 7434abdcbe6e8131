package dev.llmharness.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.spi.LatencyBound;
import dev.llmharness.api.spi.SloMetric;
import dev.llmharness.api.spi.SloSpec;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class TrialRecorderTest {
    private static final long MS = 1_000_000L;

    /** A request intended at t0, sent 1 ms later, with content events at the given ms offsets. */
    private static RequestTiming request(long index, long t0, int outputUsage, long... eventsMs) {
        RequestTiming t = new RequestTiming(index, t0, true);
        t.setRequested(100, 64);
        t.markSent(t0 + MS);
        for (long e : eventsMs) {
            t.onContentEvent(t0 + e * MS, 1);
        }
        if (outputUsage >= 0) {
            t.onUsage(100, outputUsage);
        }
        t.complete(t0 + (eventsMs[eventsMs.length - 1] + 5) * MS);
        return t;
    }

    @Test
    void perRequestMetricsFollowTheDesignDefinitions() {
        // Events at 100, 110, 130 ms carrying 5 tokens by usage.
        RequestTiming t = request(0, 1_000_000_000L, 5, 100, 110, 130);
        assertThat(t.ttftNanos()).isEqualTo(100 * MS);
        assertThat(t.ttftFromSendNanos()).isEqualTo(99 * MS);
        assertThat(t.dispatchLagNanos()).isEqualTo(MS);
        assertThat(t.e2eNanos()).as("E2E ends at the last token, not at [DONE]").isEqualTo(130 * MS);
        assertThat(t.tpotNanos()).as("(130 - 100) / (5 - 1)").isEqualTo(7_500_000L);
        assertThat(t.outputTokens()).isEqualTo(5);
        assertThat(t.tokenSource()).isEqualTo("usage");
        assertThat(t.maxItlNanos()).isEqualTo(20 * MS);
    }

    @Test
    void withoutUsageTokensAreCountedAndTheSourceSaysSo() {
        RequestTiming t = request(0, 0, -1, 10, 20);
        assertThat(t.outputTokens()).isEqualTo(2);
        assertThat(t.tokenSource()).isEqualTo("events");
        assertThat(t.inputTokens()).as("the prompt's length stands in").isEqualTo(100);
        RequestTiming one = request(1, 0, -1, 10);
        assertThat(one.tpotNanos()).as("no TPOT below 2 tokens").isEqualTo(-1);
    }

    @Test
    void recorderKeepsOneItlValuePerGapAndAccountsEveryOutcome() {
        long w = 5_000_000_000L;
        TrialRecorder r = new TrialRecorder(SloSpec.NONE, w);
        RequestTiming a = request(0, w, 4, 100, 110, 130);
        RequestTiming b = request(1, w, -1, 50, 60);
        RequestTiming failed = new RequestTiming(2, w, true);
        failed.markSent(w + MS);
        failed.fail(w + 3 * MS, FailureCategory.HTTP_429, "429");
        RequestTiming cancelled = new RequestTiming(3, w, true);
        cancelled.markSent(w + MS);
        cancelled.cancel(w + 9 * MS);
        RequestTiming warmup = new RequestTiming(4, w - 1, false);
        for (RequestTiming t : List.of(a, b, failed, cancelled, warmup)) {
            r.onSent(t);
            t.complete(w + 10 * MS);
            r.onEnded(t);
        }
        TrialMetrics m = r.finish();
        assertThat(m.sent()).isEqualTo(4);
        assertThat(m.completed()).isEqualTo(2);
        assertThat(m.failed()).isEqualTo(1);
        assertThat(m.cancelled()).isEqualTo(1);
        assertThat(m.accountingHolds()).isTrue();
        assertThat(m.failures()).containsEntry("http_429", 1L).containsEntry("timeout", 0L);
        assertThat(m.histograms().get("itl").getTotalCount()).isEqualTo(3);
        assertThat(m.histograms().get("ttft").getTotalCount()).isEqualTo(2);
        assertThat(m.histograms().get("dispatchLag").getTotalCount()).isEqualTo(4);
        assertThat(m.histograms().get("tpot").getTotalCount()).isEqualTo(2);
        assertThat(m.outputTokens()).isEqualTo(6);
        assertThat(m.tokenSource()).isEqualTo("mixed");
        assertThat(m.timeline()).hasSize(1);
        assertThat(m.timeline().get(0).completed()).isEqualTo(2);
        assertThat(m.timeline().get(0).outputTokens()).isEqualTo(6);
    }

    @Test
    void itlGapsRecordedBetweenProgressSnapshotsAllReachTheTotalExactly() {
        TrialRecorder r = new TrialRecorder(SloSpec.NONE, 0);
        org.HdrHistogram.Histogram expected = Histograms.newLatency();
        for (int i = 0; i < 5; i++) {
            RequestTiming t = request(i, 0, -1, 10, 12 + i, 20 + 3 * i, 100);
            r.onSent(t);
            r.onEnded(t);
            for (int k = 1; k < t.contentEvents(); k++) {
                expected.recordValue(t.eventNanos(k) - t.eventNanos(k - 1));
            }
            if (i % 2 == 0) {
                assertThat(r.snapshot().completed()).isEqualTo(i + 1);
            }
        }
        assertThat(r.finish().histograms().get("itl")).isEqualTo(expected);
    }

    @Test
    void goodputCountsRequestsThatMeetEveryBoundOnTheirOwn() {
        SloSpec slo = new SloSpec(
                List.of(
                        LatencyBound.parse(SloMetric.TTFT, "p99 <= 120ms"),
                        LatencyBound.parse(SloMetric.ITL, "p50 <= 15ms")),
                OptionalDouble.empty());
        TrialRecorder r = new TrialRecorder(slo, 0);
        RequestTiming fast = request(0, 0, 3, 100, 110, 120);
        RequestTiming slowFirst = request(1, 0, 3, 200, 210, 220);
        RequestTiming slowGaps = request(2, 0, 3, 100, 130, 160);
        for (RequestTiming t : List.of(fast, slowFirst, slowGaps)) {
            r.onSent(t);
            r.onEnded(t);
        }
        assertThat(r.finish().goodRequests()).isEqualTo(1);
    }

    @Test
    void accountingViolationIsDetectable() {
        TrialRecorder r = new TrialRecorder(SloSpec.NONE, 0);
        RequestTiming lost = new RequestTiming(0, 0, true);
        r.onSent(lost);
        assertThat(r.finish().accountingHolds()).isFalse();
    }

    @Test
    void throughputCountsWhatCompletedInsideTheDeclaredWindowAndTheDrainApart() {
        long w = 10_000_000_000L;
        long window = 2_000 * MS;
        TrialRecorder r = new TrialRecorder(SloSpec.NONE, () -> w, window);
        // A warmup request finishing inside the window counts towards throughput, not the counts.
        RequestTiming warmup = new RequestTiming(0, w - 500 * MS, false);
        warmup.markSent(w - 499 * MS);
        warmup.onContentEvent(w - 400 * MS, 1);
        warmup.onContentEvent(w + 100 * MS, 1);
        warmup.onUsage(10, 2);
        warmup.complete(w + 100 * MS);
        // Measured: one inside the window, one ending in the drain with 2 of its 4 events inside.
        RequestTiming inside = request(1, w + 100 * MS, 3, 100, 200, 300);
        RequestTiming drained = request(2, w + 1_500 * MS, 4, 300, 400, 600, 700);
        // A warmup request that ended before the window opened counts nowhere.
        RequestTiming before = new RequestTiming(3, w - 900 * MS, false);
        before.markSent(w - 899 * MS);
        before.onContentEvent(w - 800 * MS, 1);
        before.complete(w - 790 * MS);
        for (RequestTiming t : List.of(warmup, inside, drained, before)) {
            r.onSent(t);
            r.onEnded(t);
        }
        TrialRecorder.WindowCounts c = r.windowCounts();
        assertThat(c.completed()).as("the warmup request and the one inside").isEqualTo(2);
        assertThat(c.drainCompleted()).isEqualTo(1);
        assertThat(c.outputTokens())
                .as("1 of the warmup's, 3 inside, 2 of the drained one's")
                .isEqualTo(6);
        assertThat(c.inputTokens())
                .as("prompt tokens of the completions inside")
                .isEqualTo(110);
        assertThat(r.finish().completed())
                .as("counts hold measured requests only")
                .isEqualTo(2);
    }
}
