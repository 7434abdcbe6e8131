package dev.llmharness.runtime.result;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A verdict's metric and percentile are fields; only files written before them are read from the text. */
class SloVerdictTest {
    @Test
    void theFieldsWinOverTheText() {
        // A label that says something else: the fields decide, the text is never parsed back.
        TrialResult.SloVerdict v = new TrialResult.SloVerdict("errorRate <= 2s", 2000, 5.0, true, "tpot", 90.0);
        assertThat(v.boundMetric()).isEqualTo("tpot");
        assertThat(v.boundPercentile()).isEqualTo(90.0);
        assertThat(v.onErrorRate()).isFalse();
    }

    @Test
    void aVerdictWrittenBeforeTheFieldsIsReadFromItsText() {
        TrialResult.SloVerdict latency = new TrialResult.SloVerdict("ttft p99.9 <= 2s", 2000, 5.0, true);
        assertThat(latency.boundMetric()).isEqualTo("ttft");
        assertThat(latency.boundPercentile()).isEqualTo(99.9);
        assertThat(latency.onErrorRate()).isFalse();

        TrialResult.SloVerdict errors = new TrialResult.SloVerdict("errorRate <= 0.01", 0.01, 0.0, true);
        assertThat(errors.boundMetric()).isEqualTo("errorRate");
        assertThat(errors.boundPercentile()).isNull();
        assertThat(errors.onErrorRate()).isTrue();

        assertThat(new TrialResult.SloVerdict("something else", 1, 0.0, true).boundMetric())
                .isNull();
    }

    @Test
    void theErrorRateAndWindowVerdictsSayWhatTheyBound() {
        assertThat(TrialResult.SloVerdict.errorRate(0.01, 0.0).onErrorRate()).isTrue();
        TrialResult.SloVerdict windows = TrialResult.SloVerdict.windows("windows >= 90%", 0.9, 10, 0.95);
        assertThat(windows.onErrorRate()).isFalse();
        assertThat(windows.perWindow()).isTrue();
        assertThat(windows.boundPercentile()).isNull();
    }
}
