package dev.llmharness.runtime.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WakeStagesTest {
    /** The parks a wait of {@code remaining} ns goes through when every park ends on time. */
    private static List<Long> stages(long remaining) {
        List<Long> parks = new ArrayList<>();
        while (remaining > 0) {
            long park = WakeStages.park(remaining);
            assertThat(park).isPositive().isLessThanOrEqualTo(remaining);
            parks.add(park);
            remaining -= park;
        }
        return parks;
    }

    @Test
    void aLongWaitEndsAMillisecondEarlyThenATenthOfOneThenAtTheInstant() {
        assertThat(stages(20_000_000L)).containsExactly(19_000_000L, 900_000L, 100_000L);
    }

    @Test
    void aWaitUnderTheFarStageSkipsItAndAShortOneParksOnce() {
        assertThat(stages(WakeStages.FAR_NANOS + WakeStages.NEAR_NANOS))
                .containsExactly(WakeStages.FAR_NANOS, WakeStages.NEAR_NANOS);
        assertThat(stages(WakeStages.NEAR_NANOS * 3 / 2)).containsExactly(WakeStages.NEAR_NANOS * 3 / 2);
        assertThat(stages(1)).containsExactly(1L);
    }

    @Test
    void aLateWakeUpIsAbsorbedByTheNextStage() {
        // The far stage woke 0.95 ms late: 50 µs are left, parked at once, not another stage.
        assertThat(WakeStages.park(50_000L)).isEqualTo(50_000L);
        // It woke 0.5 ms late: the near stage still comes first.
        assertThat(WakeStages.park(500_000L)).isEqualTo(400_000L);
    }

    @Test
    void anAlarmIsArmedAtTheNextStageOrAtAnInstantThatHasCome() {
        long now = 1_000_000_000L;
        assertThat(WakeStages.wakeAt(now + 20_000_000L, now)).isEqualTo(now + 19_000_000L);
        assertThat(WakeStages.wakeAt(now + 1_000_000L, now)).isEqualTo(now + 900_000L);
        assertThat(WakeStages.wakeAt(now + 100_000L, now)).isEqualTo(now + 100_000L);
        assertThat(WakeStages.wakeAt(now - 5, now)).isEqualTo(now - 5);
        // Near the end of nanoTime's range the arithmetic wraps as nanoTime does.
        long late = Long.MAX_VALUE - 10;
        assertThat(WakeStages.wakeAt(late + 20_000_000L, late) - late).isEqualTo(19_000_000L);
    }
}
