package dev.llmharness.api.spi;

import java.util.Locale;

/**
 * A throughput objective: in each of the measurement's windows of {@code seconds}, the server
 * completed at least {@code floor} of the requests offered to it (it kept up with the load). The
 * runtime's rule, with its handling of latency and of windows with few requests, is the release
 * gate's ({@code ThroughputFloor} in the runtime).
 *
 * @param floor the smallest acceptable share of the offered requests, in (0, 1]
 * @param seconds the window length in seconds, at least 1
 */
public record ThroughputObjective(double floor, int seconds) {
    public ThroughputObjective {
        if (!(floor > 0 && floor <= 1)) {
            throw new IllegalArgumentException(
                    "the share of the offered requests must be in (0, 1] (0.9 is 90 %), got " + floor);
        }
        if (seconds < 1) {
            throw new IllegalArgumentException("a window lasts at least 1 s, got " + seconds);
        }
    }

    /** The objective as verdicts name it: {@code "throughput(10s) >= 90% of offered"}. */
    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "throughput(%ds) >= %s%% of offered",
                seconds,
                new java.math.BigDecimal(Double.toString(floor))
                        .movePointRight(2)
                        .stripTrailingZeros()
                        .toPlainString());
    }
}
