package dev.llmharness.api;

import java.time.Duration;

/**
 * Parses the duration strings used in annotations: one or more {@code <number><unit>} parts, such
 * as {@code "30s"}, {@code "2m"}, {@code "1m30s"}, {@code "1.5s"} or {@code "250ms"}. Units: {@code
 * ns}, {@code us}, {@code ms}, {@code s}, {@code m}, {@code h}. Whitespace around parts is allowed.
 * Results are exact to the nanosecond; fractions below a nanosecond are truncated.
 */
public final class DurationText {
    private DurationText() {}

    /**
     * Parses {@code text} into a non-negative duration.
     *
     * @throws IllegalArgumentException naming the problem and an example of a valid value
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text, "it is empty");
        }
        String s = text.strip();
        long totalNanos = 0;
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
            int numberStart = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (numberStart == i) {
                throw invalid(text, "expected a number at position " + numberStart);
            }
            String number = s.substring(numberStart, i);
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            long unitNanos = unitNanos(text, unit);
            double value;
            try {
                value = Double.parseDouble(number);
            } catch (NumberFormatException e) {
                throw invalid(text, "'" + number + "' is not a number");
            }
            double nanos = value * unitNanos;
            if (!(nanos < Long.MAX_VALUE - (double) totalNanos)) {
                throw invalid(text, "it is too long");
            }
            totalNanos += (long) nanos;
        }
        return Duration.ofNanos(totalNanos);
    }

    /** Formats a duration in the shortest exact form this class parses, e.g. {@code "1m30s"}. */
    public static String format(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        long[] sizes = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
        String[] names = {"h", "m", "s", "ms", "us", "ns"};
        StringBuilder out = new StringBuilder();
        for (int u = 0; u < sizes.length; u++) {
            long count = nanos / sizes[u];
            if (count > 0) {
                out.append(count).append(names[u]);
                nanos -= count * sizes[u];
            }
        }
        return out.toString();
    }

    private static long unitNanos(String text, String unit) {
        switch (unit) {
            case "ns":
                return 1L;
            case "us":
                return 1_000L;
            case "ms":
                return 1_000_000L;
            case "s":
                return 1_000_000_000L;
            case "m":
                return 60_000_000_000L;
            case "h":
                return 3_600_000_000_000L;
            case "":
                throw invalid(text, "a unit is missing");
            default:
                throw invalid(text, "'" + unit + "' is not a unit (use ns, us, ms, s, m or h)");
        }
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid duration \"" + text + "\": " + why
                + "; write a number and a unit such as \"30s\", \"250ms\", \"2m\" or \"1m30s\"");
    }
}
