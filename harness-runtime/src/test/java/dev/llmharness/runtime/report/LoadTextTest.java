package dev.llmharness.runtime.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.result.TrialResult;
import org.junit.jupiter.api.Test;

/**
 * How a report names a trial's load: one rate or fixed workers in words, a shape or a trace by its
 * description. A shape's {@code rate} field is only its peak, and a trace has neither rate nor
 * arrival process, so words built from those fields would misname it.
 */
class LoadTextTest {
    @Test
    void aShapeOrATraceIsNamedByItsDescriptionNotByItsPeakRate() {
        TrialResult.LoadInfo spike = new TrialResult.LoadInfo(
                "open",
                "POISSON",
                50.0,
                0,
                null,
                null,
                "spike",
                1.0,
                "spike POISSON 5 → 5 over 10s ⇒ 50 → 50 over 10s ⇒ 5 → 5 over 20s req/s");
        assertThat(Text.load(spike)).isEqualTo(spike.description());

        TrialResult.LoadInfo trace = new TrialResult.LoadInfo(
                "open", null, null, 0, null, null, "trace", null, "trace mooncake.jsonl x2 with its lengths");
        assertThat(Text.load(trace)).isEqualTo(trace.description());

        TrialResult.LoadInfo workers = new TrialResult.LoadInfo(
                "closed",
                null,
                null,
                null,
                16,
                0.0,
                "worker-stages",
                null,
                "closed stages 1 → 1 over 10s ⇒ 16 workers");
        assertThat(Text.load(workers)).isEqualTo(workers.description());
    }

    @Test
    void oneRateOrFixedWorkersKeepTheirWords() {
        TrialResult.LoadInfo open =
                new TrialResult.LoadInfo("open", "CONSTANT", 8.0, 4, null, null, null, 1.0, "open CONSTANT 8 req/s");
        assertThat(Text.load(open)).isEqualTo("open loop, CONSTANT arrivals at 8 req/s, at most 4 in flight");
        TrialResult.LoadInfo closed =
                new TrialResult.LoadInfo("closed", null, null, null, 16, 0.0, null, null, "closed 16 workers");
        assertThat(Text.load(closed)).isEqualTo("closed loop, 16 workers");
        assertThat(Text.load(null)).isEqualTo("-");
    }
}
