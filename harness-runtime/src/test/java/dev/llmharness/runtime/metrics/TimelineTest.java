package dev.llmharness.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmharness.api.spi.SloSpec;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class TimelineTest {
    private static final long MS = 1_000_000L;
    private static final long W = 7_000_000_000L;

    /** A completed request: intended and sent at the given ms from the window start, events after. */
    private static RequestTiming request(long index, long intendedMs, long sentMs, long endMs, long... eventsMs) {
        RequestTiming t = new RequestTiming(index, W + intendedMs * MS, true);
        t.markSent(W + sentMs * MS);
        for (long e : eventsMs) {
            t.onContentEvent(W + e * MS, 1);
        }
        t.complete(W + endMs * MS);
        return t;
    }

    private static TrialMetrics record(List<RequestTiming> requests) {
        TrialRecorder r = new TrialRecorder(SloSpec.NONE, W);
        for (RequestTiming t : requests) {
            r.onSent(t);
            r.onEnded(t);
        }
        return r.finish();
    }

    /**
     * A request whose in-flight time is the first thing filed beyond the arrays' first 64 seconds:
     * growing them while adding its busy time once indexed the old array (found by
     * EventPathBenchmark, whose recorder lives longer than 64 s).
     */
    @Test
    void inFlightTimeIntoASecondNotSeenBeforeGrowsTheArrays() {
        RequestTiming t = new RequestTiming(0, W + 63_000 * MS, true);
        t.markSent(W + 63_500 * MS);
        t.fail(W + 64_500 * MS, FailureCategory.HTTP_5XX, "500");
        List<TrialMetrics.Second> s = record(List.of(t)).timeline();
        assertThat(s).hasSize(65);
        assertThat(s.get(63).inFlightMicros()).isEqualTo(500_000L);
        assertThat(s.get(64).inFlightMicros()).isEqualTo(500_000L);
        assertThat(s.get(64).failed()).isEqualTo(1L);
    }

    @Test
    void eachValueIsFiledUnderTheSecondItWasObservedIn() {
        // A: intended 200 ms, sent 300 ms, tokens at 800, 1100, 1400 ms, ends 1500 ms.
        // B: intended 1200 ms, sent 1200 ms, tokens at 2500, 2600 ms, ends 2600 ms.
        // C: intended 1900 ms, fails at 2100 ms after being sent at 1950 ms.
        RequestTiming c = new RequestTiming(2, W + 1_900 * MS, true);
        c.markSent(W + 1_950 * MS);
        c.fail(W + 2_100 * MS, FailureCategory.HTTP_5XX, "500");
        TrialMetrics m = record(List.of(
                request(0, 200, 300, 1_500, 800, 1_100, 1_400), request(1, 1_200, 1_200, 2_600, 2_500, 2_600), c));

        List<TrialMetrics.Second> s = m.timeline();
        assertThat(s).hasSize(3);
        assertThat(s).extracting(TrialMetrics.Second::started).containsExactly(1L, 2L, 0L);
        assertThat(s).extracting(TrialMetrics.Second::completed).containsExactly(0L, 1L, 1L);
        assertThat(s).extracting(TrialMetrics.Second::failed).containsExactly(0L, 0L, 1L);
        // A in flight 300..1500: 0.7 s in second 0, 0.5 s in second 1; B 1200..2600: 0.8 s and 0.6 s;
        // C 1950..2100: 0.05 s in second 1, 0.1 s in second 2.
        assertThat(s).extracting(TrialMetrics.Second::inFlightMicros).containsExactly(700_000L, 1_350_000L, 700_000L);
        // TTFT of A (600 ms) by its first token at 800 ms; B's (1300 ms) by its first token at 2500 ms.
        assertThat(s.get(0).latencies().get("ttft").getValueAtPercentile(50)).isCloseTo(600 * MS, within(6 * MS));
        assertThat(s.get(1).latencies()).doesNotContainKey("ttft");
        assertThat(s.get(2).latencies().get("ttft").getValueAtPercentile(50)).isCloseTo(1_300 * MS, within(13 * MS));
        // A's gaps end at 1100 and 1400 ms (second 1), B's one gap at 2600 ms (second 2).
        assertThat(s.get(0).latencies()).doesNotContainKey("itl");
        assertThat(s.get(1).latencies().get("itl").getTotalCount()).isEqualTo(2);
        assertThat(s.get(2).latencies().get("itl").getTotalCount()).isEqualTo(1);
        // E2E by the last token: A's 1200 ms in second 1, B's 1400 ms in second 2.
        assertThat(s.get(1).latencies().get("e2e").getMaxValue()).isCloseTo(1_200 * MS, within(12 * MS));
        assertThat(s.get(2).latencies().get("e2e").getMaxValue()).isCloseTo(1_400 * MS, within(14 * MS));
    }

    @Test
    void perSecondPercentilesAreWithinOnePercentAndAddUpToTheTrialDistribution() {
        // 1,000 requests whose first tokens all arrive in second 3, with TTFTs of 1..1000 ms.
        List<RequestTiming> requests = new java.util.ArrayList<>();
        for (int k = 1; k <= 1_000; k++) {
            long first = 3_500;
            requests.add(request(k, first - k, first - k, first + 10, first, first + 10));
        }
        TrialMetrics m = record(requests);
        Histogram second3 = m.timeline().get(3).latencies().get("ttft");
        assertThat(second3.getTotalCount()).isEqualTo(1_000);
        assertThat((double) second3.getValueAtPercentile(50)).isCloseTo(500 * MS, within(5.0 * MS));
        assertThat((double) second3.getValueAtPercentile(99)).isCloseTo(990 * MS, within(9.9 * MS));

        Histogram sum = Histograms.newTimelineLatency();
        m.timeline().forEach(s -> {
            Histogram h = s.latencies().get("itl");
            if (h != null) {
                sum.add(h);
            }
        });
        Histogram trial = m.histograms().get("itl");
        assertThat(sum.getTotalCount()).isEqualTo(trial.getTotalCount());
        assertThat((double) sum.getValueAtPercentile(99))
                .isCloseTo(trial.getValueAtPercentile(99), within(trial.getValueAtPercentile(99) * 0.01));
    }

    @Test
    void requestsOfTheWarmupAndSecondsBeforeTheWindowAreLeftOut() {
        RequestTiming warmup = new RequestTiming(0, W - 500 * MS, false);
        warmup.markSent(W - 500 * MS);
        warmup.onContentEvent(W + 100 * MS, 1);
        warmup.complete(W + 200 * MS);
        TrialMetrics m = record(List.of(warmup));
        assertThat(m.timeline()).isEmpty();
    }
}
