package dev.llmharness.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.metrics.RequestTiming;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long requests held their connection ({@link HoldTimes}), which sizes {@code --preopen auto}. */
class HoldTimesTest {
    private static RequestTiming held(long index, long millis) {
        RequestTiming t = new RequestTiming(index, 1_000_000L, true);
        t.markSent(2_000_000L);
        t.complete(2_000_000L + millis * 1_000_000L);
        return t;
    }

    @Test
    void theP99IsOfTheTimeFromSentToTheEndAndResetForgetsTheFirstRequests() {
        HoldTimes h = new HoldTimes();
        assertThat(h.measured("warmup requests")).isNull();
        // A slow first request, as while the JVMs compile, then 99 of 5 ms.
        h.record(held(0, 900));
        assertThat(h.count()).isEqualTo(1);
        h.reset();
        for (int i = 1; i < 100; i++) {
            h.record(held(i, 5));
        }
        // Never sent (abandoned at the drain): it held no connection.
        h.record(new RequestTiming(100, 1_000_000L, true));
        Preopen.Measured m = h.measured("warmup requests");
        assertThat(m.requests()).isEqualTo(99);
        assertThat(m.source()).isEqualTo("warmup requests");
        // Within the histogram's 3 significant digits of 5 ms.
        assertThat(m.p99().toNanos())
                .isBetween(
                        Duration.ofMillis(5).toNanos() - 10_000,
                        Duration.ofMillis(5).toNanos() + 10_000);
    }
}
