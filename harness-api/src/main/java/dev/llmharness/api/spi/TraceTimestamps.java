package dev.llmharness.api.spi;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * The one parser of an Azure LLM inference trace's {@code TIMESTAMP} column, for the runtime that
 * replays a trace and the annotation processor that checks its length at compile time: both read a
 * file's times the same way, offsets included.
 */
public final class TraceTimestamps {
    private TraceTimestamps() {}

    /**
     * An Azure trace's {@code TIMESTAMP} as nanoseconds since 1970-01-01T00:00Z, so that every
     * row is on one scale whatever its offset: {@code yyyy-MM-dd HH:mm:ss} (or {@code T} between
     * the date and the time), then optionally a fraction of a second of 1 to 9 digits, then
     * optionally an offset: {@code Z}, {@code +HH:MM}, {@code +HHMM} or {@code +HH} (or {@code -},
     * at most 18 hours). Without an offset the time is UTC, as the 2023 traces' are. Parsed by
     * hand: a week-long trace has 27 million of them, and {@code java.time}'s parser takes a
     * microsecond or more each.
     *
     * @throws DateTimeException when the text is not such a date-time, or names no real date or
     *     time (2023-02-30, 24:00:00)
     * @throws ArithmeticException outside 1677-09-21T00:12:44Z to 2262-04-11T23:47:16Z, the
     *     instants that nanoseconds since 1970 in a {@code long} can hold
     */
    public static long nanos(String s) {
        int n = s.length();
        if (n < 19
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || (s.charAt(10) != ' ' && s.charAt(10) != 'T')
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            throw new DateTimeException("not yyyy-MM-dd HH:mm:ss: " + s);
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (hour > 23 || minute > 59 || second > 59) {
            throw new DateTimeException("no such time of day: " + s);
        }
        int i = 19;
        long nanoOfSecond = 0;
        if (i < n && s.charAt(i) == '.') {
            int from = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            int count = i - from;
            if (count < 1 || count > 9) {
                throw new DateTimeException("a fraction of 1 to 9 digits expected: " + s);
            }
            nanoOfSecond = digits(s, from, count);
            for (int k = count; k < 9; k++) {
                nanoOfSecond *= 10;
            }
        }
        int offsetSeconds = 0;
        if (i < n) {
            char c = s.charAt(i);
            int rest = n - i - 1;
            if (c == 'Z' && rest == 0) {
                offsetSeconds = 0;
            } else if ((c == '+' || c == '-') && (rest == 2 || rest == 4 || (rest == 5 && s.charAt(i + 3) == ':'))) {
                int hours = digits(s, i + 1, 2);
                int minutes = rest == 2 ? 0 : digits(s, n - 2, 2);
                if (hours > 18 || minutes > 59 || (hours == 18 && minutes > 0)) {
                    throw new DateTimeException("no such offset: " + s);
                }
                offsetSeconds = (c == '+' ? 1 : -1) * (hours * 3600 + minutes * 60);
            } else {
                throw new DateTimeException("an offset (Z, +HH:MM, +HHMM or +HH) or the end expected: " + s);
            }
        }
        // LocalDate checks the calendar (no 2023-02-30) and counts the days.
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        long seconds = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanoOfSecond);
    }

    /** The decimal number of {@code count} digits at {@code from}. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int k = from; k < from + count; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                throw new DateTimeException("a digit expected at " + (k + 1) + ": " + s);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
