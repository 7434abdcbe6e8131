package dev.llmharness.api.spi;

import dev.llmharness.api.DurationText;
import java.time.Duration;
import java.util.List;

/**
 * The names and syntax of Automatic Analysis limits, {@code "<warn>,<fail>"}, as {@code
 * @AnalysisLimits} and the {@code llmh.analysis.*} properties write them: one place that checks
 * them, for the annotation processor (a compile error) and the runtime.
 */
public final class AnalysisLimit {
    private AnalysisLimit() {}

    /** Every name, in report order. */
    public static final List<String> NAMES = List.of("errorRate", "ttftP90", "itlP99", "e2eP90", "saturation");

    /** Whether the limits of {@code name} are durations (else plain numbers). */
    public static boolean isLatency(String name) {
        return name.equals("ttftP90") || name.equals("itlP99") || name.equals("e2eP90");
    }

    /**
     * Parses {@code "<warn>,<fail>"} of {@code name}: milliseconds for a latency, else the number.
     *
     * @throws IllegalArgumentException naming the problem and an example
     */
    public static double[] parse(String name, String text) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no analysis limit named " + name + "; the names are " + NAMES);
        }
        String[] parts = text.strip().split("\\s*,\\s*");
        if (parts.length != 2) {
            throw new IllegalArgumentException("\"" + text + "\": write the warn and the fail limit separated by a"
                    + " comma, e.g. \"" + example(name) + "\"");
        }
        double warn;
        double fail;
        if (isLatency(name)) {
            try {
                warn = millis(DurationText.parse(parts[0]));
                fail = millis(DurationText.parse(parts[1]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("\"" + text + "\": write two durations, warn and fail, e.g. \""
                        + example(name) + "\" (" + e.getMessage() + ")");
            }
        } else {
            try {
                warn = Double.parseDouble(parts[0]);
                fail = Double.parseDouble(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "\"" + text + "\": write two numbers, warn and fail, e.g. \"" + example(name) + "\"");
            }
        }
        if (!(warn >= 0) || !(fail >= warn) || Double.isInfinite(fail)) {
            throw new IllegalArgumentException("\"" + text + "\": the warn limit must be >= 0 and at most the fail"
                    + " limit, e.g. \"" + example(name) + "\"");
        }
        if (isLatency(name) && fail > millis(dev.llmharness.api.Limits.MAX_DURATION)) {
            // No request is measured that long (its drain timeout is at most MAX_DURATION).
            throw new IllegalArgumentException("\"" + text + "\": a latency limit must be at most "
                    + DurationText.format(dev.llmharness.api.Limits.MAX_DURATION)
                    + " (Limits.MAX_DURATION); check the unit (ms, s, m, h), e.g. \"" + example(name) + "\"");
        }
        if (name.equals("errorRate") && fail > 1) {
            throw new IllegalArgumentException(
                    "\"" + text + "\": error rates are fractions in [0, 1] (0.01 is 1 %), e.g. \"0.01,0.05\"");
        }
        return new double[] {warn, fail};
    }

    /** An example value of {@code name}: its default. */
    public static String example(String name) {
        return switch (name) {
            case "errorRate" -> "0.01,0.05";
            case "ttftP90" -> "1s,5s";
            case "itlP99" -> "100ms,500ms";
            case "e2eP90" -> "10s,30s";
            default -> "1.5,3";
        };
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }
}
