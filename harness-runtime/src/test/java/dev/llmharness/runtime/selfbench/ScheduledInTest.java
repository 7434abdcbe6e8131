package dev.llmharness.runtime.selfbench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.load.ConstantSchedule;
import dev.llmharness.runtime.load.PoissonSchedule;
import org.junit.jupiter.api.Test;

/** The arrivals a schedule places in a window, counted from the schedule alone. */
class ScheduledInTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void a_constant_schedule_places_exactly_the_rate_times_the_window() {
        assertThat(StepRunner.scheduledIn(new ConstantSchedule(10), 3 * SECOND, 33 * SECOND))
                .isEqualTo(300);
        // The window is half-open: an arrival at its end belongs to the next one.
        assertThat(StepRunner.scheduledIn(new ConstantSchedule(10), 0, SECOND)).isEqualTo(10);
    }

    @Test
    void a_poisson_schedule_places_what_its_gaps_sum_to_not_the_nominal_rate() {
        PoissonSchedule s = new PoissonSchedule(10, 42);
        // The same count from the gaps themselves: request i is at the sum of the gaps before it.
        long expected = 0;
        long at = 0;
        for (long i = 0; at < 33 * SECOND; i++) {
            if (at >= 3 * SECOND) {
                expected++;
            }
            at += s.gapTicks(i);
        }
        long counted = StepRunner.scheduledIn(s, 3 * SECOND, 33 * SECOND);
        assertThat(counted).isEqualTo(expected).isEqualTo(268);
    }
}
