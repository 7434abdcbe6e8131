package dev.llmharness.api.spi;

import java.util.Locale;

/**
 * A per-window objective: at least {@code attainment} of the measurement's windows of {@code
 * seconds} met the trial's other objectives ("90 % of 10 s windows met the SLO").
 *
 * @param attainment the smallest acceptable share of windows that met the SLO, in (0, 1]
 * @param seconds the window length in seconds, at least 1
 */
public record WindowObjective(double attainment, int seconds) {
    /** The window length when none is given: 10 s. */
    public static final int DEFAULT_SECONDS = 10;

    public WindowObjective {
        if (!(attainment > 0 && attainment <= 1)) {
            throw new IllegalArgumentException(
                    "the share of windows must be in (0, 1] (0.9 is 90 %), got " + attainment);
        }
        if (seconds < 1) {
            throw new IllegalArgumentException("a window lasts at least 1 s, got " + seconds);
        }
    }

    /** The objective as verdicts name it: {@code "windows(10s) met >= 90%"}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "windows(%ds) met >= %s%%", seconds, percent(attainment));
    }

    private static String percent(double fraction) {
        return new java.math.BigDecimal(Double.toString(fraction))
                .movePointRight(2)
                .stripTrailingZeros()
                .toPlainString();
    }
}
