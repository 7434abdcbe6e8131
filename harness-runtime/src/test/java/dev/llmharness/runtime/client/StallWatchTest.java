package dev.llmharness.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * How often the stall watch looks at its streams: a tenth of the shortest timeout it enforces, at
 * least every 1 ms and at most every 1 s, so that it wakes once a second with the default timeouts
 * and still notices a short timeout, the total one included, within a tenth of it.
 */
class StallWatchTest {
    private static long period(Duration firstToken, Duration idle, Duration total) {
        return new StallWatch(firstToken, idle, total).checkPeriodNanos();
    }

    @Test
    void theDefaultTimeoutsAreCheckedOnceASecond() {
        ClientTimeouts d = ClientTimeouts.defaults();
        assertThat(period(d.firstToken(), d.idle(), d.total())).isEqualTo(1_000_000_000L);
    }

    @Test
    void aShortTimeoutIsCheckedTenTimesPerTimeoutWhicheverItIs() {
        Duration longer = Duration.ofSeconds(10);
        Duration shorter = Duration.ofMillis(300);
        assertThat(period(shorter, longer, longer)).isEqualTo(30_000_000L);
        assertThat(period(longer, shorter, longer)).isEqualTo(30_000_000L);
        assertThat(period(longer, longer, shorter)).as("the total timeout").isEqualTo(30_000_000L);
        assertThat(new StallWatch(longer, longer).checkPeriodNanos())
                .as("no total timeout")
                .isEqualTo(1_000_000_000L);
    }

    @Test
    void thePeriodIsAtLeastOneMillisecond() {
        Duration tiny = Duration.ofMillis(5);
        assertThat(period(tiny, tiny, tiny)).isEqualTo(1_000_000L);
    }
}
