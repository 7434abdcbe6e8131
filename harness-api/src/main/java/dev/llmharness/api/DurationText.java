package dev.llmharness.api;

import java.time.Duration;

/**
 * Parses the duration strings used in annotations: one or more {@code <number><unit>} parts, such
 * as {@code "30s"}, {@code "2m"}, {@code "1m30s"}, {@code "1.5s"} or {@code "250ms"}. Units: {@code
 * ns}, {@code us}, {@code ms}, {@code s}, {@code m}, {@code h}. Whitespace around parts is allowed,
 * not between a number and its unit. Results are exact to the nanosecond; fractions below a
 * nanosecond are truncated. Negative durations and ISO-8601 ({@code PT10S}) are rejected with the
 * form to write instead.
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
        if (s.startsWith("-")) {
            throw invalid(
                    text,
                    "negative durations are not allowed (a duration is a length of time); write \""
                            + s.substring(1).strip() + "\" or \"0s\" for none");
        }
        String iso = isoEquivalent(s);
        if (iso != null) {
            throw invalid(text, "ISO-8601 durations are not the syntax here; write \"" + iso + "\"");
        }
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
                throw invalid(text, noNumber(s, numberStart));
            }
            String number = s.substring(numberStart, i);
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            long unitNanos = unitNanos(text, s, number, unit, i);
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

    /** The text in this syntax when {@code s} is an ISO-8601 duration such as {@code PT10S}. */
    private static String isoEquivalent(String s) {
        if (s.length() < 2 || (s.charAt(0) != 'P' && s.charAt(0) != 'p')) {
            return null;
        }
        try {
            Duration d = Duration.parse(s);
            return d.isNegative() ? null : format(d);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** Why no number starts at {@code at}. */
    private static String noNumber(String s, int at) {
        char c = s.charAt(at);
        if (Character.isLetter(c)) {
            int end = at;
            while (end < s.length() && Character.isLetter(s.charAt(end))) {
                end++;
            }
            return "the unit '" + s.substring(at, end) + "' has no number before it";
        }
        if (c == ',') {
            return "use a period for decimals, not a comma";
        }
        return "'" + c + "' at position " + at + " is not part of a duration";
    }

    private static long unitNanos(String text, String s, String number, String unit, int end) {
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
                throw invalid(text, missingUnit(s, number, end));
            default:
                String known = ALIASES.get(unit.toLowerCase(java.util.Locale.ROOT));
                throw invalid(
                        text,
                        "'" + unit + "' is not a unit (use ns, us, ms, s, m or h)"
                                + (known == null ? "" : "; write \"" + number + known + "\""));
        }
    }

    /** Why the number that ends before {@code end} has no unit, with the fix. */
    private static String missingUnit(String s, String number, int end) {
        int next = end;
        while (next < s.length() && s.charAt(next) == ' ') {
            next++;
        }
        if (next > end && next < s.length() && Character.isLetter(s.charAt(next))) {
            int unitEnd = next;
            while (unitEnd < s.length() && Character.isLetter(s.charAt(unitEnd))) {
                unitEnd++;
            }
            String unit = s.substring(next, unitEnd);
            String known = ALIASES.getOrDefault(unit.toLowerCase(java.util.Locale.ROOT), unit);
            return "remove the space between " + number + " and " + unit + ": write \"" + number + known + "\"";
        }
        if (end < s.length() && s.charAt(end) == ',') {
            return "use a period for decimals, not a comma";
        }
        return "a unit is missing after " + number + " (e.g. \"" + number + "s\" for seconds, \"" + number
                + "ms\" for milliseconds)";
    }

    /** Spellings of units that people write, by the unit they mean. */
    private static final java.util.Map<String, String> ALIASES = java.util.Map.ofEntries(
            java.util.Map.entry("nanos", "ns"),
            java.util.Map.entry("nanosecond", "ns"),
            java.util.Map.entry("nanoseconds", "ns"),
            java.util.Map.entry("µs", "us"),
            java.util.Map.entry("micros", "us"),
            java.util.Map.entry("microsecond", "us"),
            java.util.Map.entry("microseconds", "us"),
            java.util.Map.entry("ms", "ms"),
            java.util.Map.entry("msec", "ms"),
            java.util.Map.entry("msecs", "ms"),
            java.util.Map.entry("millis", "ms"),
            java.util.Map.entry("millisecond", "ms"),
            java.util.Map.entry("milliseconds", "ms"),
            java.util.Map.entry("s", "s"),
            java.util.Map.entry("sec", "s"),
            java.util.Map.entry("secs", "s"),
            java.util.Map.entry("second", "s"),
            java.util.Map.entry("seconds", "s"),
            java.util.Map.entry("m", "m"),
            java.util.Map.entry("min", "m"),
            java.util.Map.entry("mins", "m"),
            java.util.Map.entry("minute", "m"),
            java.util.Map.entry("minutes", "m"),
            java.util.Map.entry("h", "h"),
            java.util.Map.entry("hr", "h"),
            java.util.Map.entry("hrs", "h"),
            java.util.Map.entry("hour", "h"),
            java.util.Map.entry("hours", "h"),
            java.util.Map.entry("ns", "ns"),
            java.util.Map.entry("us", "us"));

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

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid duration \"" + text + "\": " + why
                + "; write a number and a unit such as \"30s\", \"250ms\", \"2m\" or \"1m30s\"");
    }
}
