package dev.llmharness.runtime.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.runtime.metrics.Metric;
import org.junit.jupiter.api.Test;

class MetricKeyTest {
    /**
     * Every distribution a result can hold can be named in --gate and --threshold, the server's own
     * timings too (docs/compare.md says so; they were refused while they were not in the registry).
     */
    @Test
    void everyRegisteredDistributionCanBeNamed() {
        MetricKey k = MetricKey.parse("serverTpot.p50");
        assertThat(k.metric()).isEqualTo(Metric.SERVER_TPOT);
        assertThat(k.unit()).isEqualTo("ms");
        assertThat(MetricKey.parse("reasoningTokens.p90").unit()).isEqualTo("tokens");
        assertThatThrownBy(() -> MetricKey.parse("errorRate.p50"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown metric");
    }

    @Test
    void theDefaultNamesAreBuiltFromTheRegistry() {
        assertThat(MetricKey.name(Metric.TTFT, 90)).isEqualTo("ttft.p90");
        assertThat(CompareOptions.DEFAULT_METRICS)
                .startsWith("ttft.p50", "ttft.p90", "ttft.p99", "itl.p50", "itl.p99")
                .endsWith("outputTokensPerSecond", "requestsPerSecond", "errorRate");
        assertThat(CompareOptions.OPEN_LOOP_GATE)
                .containsExactlyInAnyOrder("ttft.p50", "ttft.p90", "tpot.p50", "tpot.p90", "errorRate");
    }
}
