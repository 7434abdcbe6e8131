package dev.llmharness.runtime.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.api.Cost;
import dev.llmharness.runtime.result.TrialResult;
import org.junit.jupiter.api.Test;

class CostModelTest {
    /** The worked example of docs/observability.md. */
    @Test
    void proportionalChargesTheUsedShareOfTheGpusFullInstanceTheWholeInstances() {
        CostModel proportional = new CostModel(Cost.Allocation.PROPORTIONAL, 98.32, 8, 1, 0.6, 1);
        assertThat(proportional.costPerHour()).isCloseTo(7.374, org.assertj.core.data.Offset.offset(1e-9));
        CostModel full = new CostModel(Cost.Allocation.FULL_INSTANCE, 98.32, 8, 1, 0.6, 1);
        assertThat(full.costPerHour()).isEqualTo(98.32);
        // Ten GPUs on eight-GPU instances take two whole instances; two replicas, four.
        assertThat(new CostModel(Cost.Allocation.FULL_INSTANCE, 10, 8, 10, 1, 2).costPerHour())
                .isEqualTo(40);

        // 1,000 output tokens/s and 4 requests/s: 3.6 M tokens and 14,400 requests an hour.
        dev.llmharness.runtime.result.Cost c = proportional.price(new TrialResult.Throughput(4, 1000, 1500, null));
        assertThat(c.costPerHour()).isEqualTo(7.374);
        assertThat(c.costPerMillionOutputTokens()).isEqualTo(2.04833); // 7.374 / 3.6
        assertThat(c.costPerThousandRequests()).isEqualTo(0.5120830); // 7.374 / 14.4
        assertThat(c.outputTokensPerDollar()).isEqualTo(488202.0); // 3,600,000 / 7.374
        assertThat(c.allocation()).isEqualTo("proportional");

        dev.llmharness.runtime.result.Cost idle = proportional.price(new TrialResult.Throughput(0, 0, 0, null));
        assertThat(idle.costPerMillionOutputTokens()).isNull();
        assertThat(idle.outputTokensPerDollar()).isNull();
    }

    @Test
    void optionsOverrideTheAnnotationValueByValue() {
        @Cost(instancePricePerHour = 98.32, gpusPerInstance = 8, utilization = 0.6)
        class Annotated {}
        Cost declared = Annotated.class.getAnnotation(Cost.class);
        ObserveSettings.CostOverrides none = new ObserveSettings.CostOverrides(null, null, null, null, null, null);
        assertThat(none.over(null)).isNull();
        assertThat(none.over(declared)).isEqualTo(new CostModel(Cost.Allocation.PROPORTIONAL, 98.32, 8, 1, 0.6, 1));
        ObserveSettings.CostOverrides replicas =
                new ObserveSettings.CostOverrides(null, null, null, null, 3, Cost.Allocation.FULL_INSTANCE);
        assertThat(replicas.over(declared))
                .isEqualTo(new CostModel(Cost.Allocation.FULL_INSTANCE, 98.32, 8, 1, 0.6, 3));
        ObserveSettings.CostOverrides price = new ObserveSettings.CostOverrides(2.5, null, null, null, null, null);
        assertThat(price.over(null)).isEqualTo(new CostModel(Cost.Allocation.PROPORTIONAL, 2.5, 1, 1, 1.0, 1));
        assertThatThrownBy(() -> new ObserveSettings.CostOverrides(2.5, null, null, 1.5, null, null).over(null))
                .hasMessageContaining("utilisation must be in (0, 1], got 1.5");
    }
}
