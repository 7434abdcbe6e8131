package dev.llmharness.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.runtime.metrics.Histograms;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The harness-limited rule: its thresholds, its reading of a lag histogram, merging, its words. */
class HarnessLimitTest {
    @Test
    void threeLateRequestsAreNeededAtAnySizeAndOnePercentInALargeTrial() {
        assertThat(HarnessLimit.allowedLate(0)).isEqualTo(2);
        assertThat(HarnessLimit.allowedLate(40)).isEqualTo(2);
        assertThat(HarnessLimit.allowedLate(299)).isEqualTo(2);
        assertThat(HarnessLimit.allowedLate(300)).isEqualTo(3);
        assertThat(HarnessLimit.allowedLate(10_000)).isEqualTo(100);
        assertThat(HarnessLimit.of(40, 2).limited()).isFalse();
        assertThat(HarnessLimit.of(40, 3).limited()).isTrue();
        // Large samples: "more than 1 % late", which is what "p99 above 1 ms" meant.
        assertThat(HarnessLimit.of(10_000, 100).limited()).isFalse();
        assertThat(HarnessLimit.of(10_000, 101).limited()).isTrue();
        assertThat(HarnessLimit.of(0, 0).limited()).isFalse();
    }

    @Test
    void lateIsAboveOneMillisecondOfDispatchLagReadFromTheHistogram() {
        Histogram lag = Histograms.newLatency();
        for (int i = 0; i < 77; i++) {
            Histograms.recordLatency(lag, 40_000L + i * 1_000L);
        }
        Histograms.recordLatency(lag, HarnessLimit.LATE_NANOS); // exactly 1 ms: on time
        Histograms.recordLatency(lag, 1_001_000L);
        Histograms.recordLatency(lag, 250_000_000L);
        HarnessLimit limit = HarnessLimit.of(lag);
        assertThat(limit.measuredRequests()).isEqualTo(80);
        assertThat(limit.lateRequests()).isEqualTo(2);
        assertThat(limit.allowedLate()).isEqualTo(2);
        assertThat(limit.limited()).isFalse();
        assertThat(limit.rule()).isEqualTo(HarnessLimit.RULE_LATE_COUNT);
        Histograms.recordLatency(lag, 3_000_000L);
        assertThat(HarnessLimit.of(lag))
                .isEqualTo(new HarnessLimit(true, 1.0, 81, 3L, 2L, HarnessLimit.RULE_LATE_COUNT));
        assertThat(HarnessLimit.of(Histograms.newLatency()).measuredRequests()).isZero();
        assertThat(HarnessLimit.isLate(HarnessLimit.LATE_NANOS)).isFalse();
        assertThat(HarnessLimit.isLate(HarnessLimit.LATE_NANOS + 1)).isTrue();
    }

    @Test
    void describesItsFiguresInWords() {
        assertThat(HarnessLimit.of(80, 5).describe())
                .isEqualTo("dispatch lag above 1 ms in 5 of 80 measured requests (at most 2 allowed)");
        assertThat(HarnessLimit.fromOldWarnings(List.of("dispatch lag p99 exceeds 1 ms: ... (p99 3.1 ms)"), 80)
                        .describe())
                .contains("written before")
                .contains("dispatch lag p99 exceeds 1 ms");
    }

    @Test
    void anOldFileIsLimitedExactlyWhenItCarriesTheOldWarning() {
        HarnessLimit warned = HarnessLimit.fromOldWarnings(
                List.of("dispatch lag p99 exceeds 1 ms: the harness, not the server, is limiting this measurement"
                        + " (p99 92.799 ms)"),
                88);
        assertThat(warned).isEqualTo(new HarnessLimit(true, 1.0, 88, null, null, HarnessLimit.RULE_P99_WARNING));
        assertThat(HarnessLimit.fromOldWarnings(List.of("3 of 90 requests failed (timeout 3)"), 88)
                        .limited())
                .isFalse();
        assertThat(HarnessLimit.fromOldWarnings(null, 0).limited()).isFalse();
    }

    @Test
    void mergingAppliesTheRuleToTheSumsAndKeepsAnOldVerdict() {
        // Two shards of 100 with 2 late each: each is fine, together 4 of 200 are not (at most 2).
        assertThat(HarnessLimit.merge(List.of(HarnessLimit.of(100, 2), HarnessLimit.of(100, 2)), null))
                .isEqualTo(HarnessLimit.of(200, 4));
        // A limited shard of 100 among 1,000 clean requests: 3 of 1,100 (at most 11).
        assertThat(HarnessLimit.merge(List.of(HarnessLimit.of(100, 3), HarnessLimit.of(1_000, 0)), null)
                        .limited())
                .isFalse();
        HarnessLimit old = HarnessLimit.fromOldWarnings(List.of("dispatch lag p99 exceeds 1 ms"), 50);
        assertThat(HarnessLimit.merge(List.of(old, HarnessLimit.of(100, 0)), null))
                .isEqualTo(new HarnessLimit(true, 1.0, 150, null, null, HarnessLimit.RULE_P99_WARNING));
        assertThat(HarnessLimit.merge(java.util.Arrays.asList(HarnessLimit.of(100, 0), null), null))
                .isNull();
    }

    @Test
    void lateSendsThatBarelyMoveTtftLeaveTheTrialJudgedByItsServer() {
        // 4 of 86 late (at most 2): limited when TTFT moved by more than 2 %, or when unknown.
        assertThat(HarnessLimit.of(86, 4, 0.0093).limited()).isFalse();
        assertThat(HarnessLimit.of(86, 4, 0.0093).tooManyLate()).isTrue();
        assertThat(HarnessLimit.of(86, 4, 0.021).limited()).isTrue();
        assertThat(HarnessLimit.of(86, 4, null).limited()).isTrue();
        // A small shift never excuses a count within the rule, nor makes one limited.
        assertThat(HarnessLimit.of(86, 2, 0.5).limited()).isFalse();
        assertThat(HarnessLimit.of(86, 2, 0.5).tooManyLate()).isFalse();
        assertThat(HarnessLimit.of(86, 4, 0.0093).describe())
                .isEqualTo("dispatch lag above 1 ms in 4 of 86 measured requests (at most 2 allowed),"
                        + " raising TTFT by up to 0.93 % (at most 2 % allowed)");
        // Merged: the merged trial's own shift decides with the summed count.
        assertThat(HarnessLimit.merge(List.of(HarnessLimit.of(100, 2), HarnessLimit.of(100, 2)), 0.001)
                        .limited())
                .isFalse();
        assertThat(HarnessLimit.merge(List.of(HarnessLimit.of(100, 2), HarnessLimit.of(100, 2)), 0.03)
                        .limited())
                .isTrue();
    }

    @Test
    void theTtftShiftIsTheLargestRiseOfAPercentileFromTheSendToTheIntendedStart() {
        Histogram fromSend = Histograms.newLatency();
        Histogram fromIntended = Histograms.newLatency();
        for (int i = 1; i <= 200; i++) {
            long ms = 30 + i / 4;
            Histograms.recordLatency(fromSend, ms * 1_000_000L);
            // The last six requests were sent 3 ms late: only the top percentiles move.
            Histograms.recordLatency(fromIntended, (ms + (i > 194 ? 3 : 0)) * 1_000_000L);
        }
        var metrics = java.util.Map.of(
                dev.llmharness.runtime.metrics.Metric.TTFT.key(),
                MetricResult.of(dev.llmharness.runtime.metrics.Metric.TTFT, fromIntended),
                dev.llmharness.runtime.metrics.Metric.TTFT_FROM_SEND.key(),
                MetricResult.of(dev.llmharness.runtime.metrics.Metric.TTFT_FROM_SEND, fromSend));
        MetricResult a = metrics.get("ttft");
        MetricResult b = metrics.get("ttftFromSend");
        double expected = Math.max(a.p50() / b.p50() - 1, Math.max(a.p90() / b.p90() - 1, a.p99() / b.p99() - 1));
        assertThat(HarnessLimit.ttftShift(metrics)).isEqualTo(expected).isGreaterThan(0.03);
        assertThat(HarnessLimit.ttftShift(java.util.Map.of())).isNull();
        // Identical histograms: no shift.
        assertThat(HarnessLimit.ttftShift(java.util.Map.of("ttft", b, "ttftFromSend", b)))
                .isZero();
    }

    @Test
    void impossibleCountsAreRefused() {
        assertThatThrownBy(() -> HarnessLimit.of(10, 11)).hasMessageContaining("late must be in [0, 10]");
        assertThatThrownBy(() -> HarnessLimit.of(10, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
