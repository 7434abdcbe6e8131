package dev.llmharness.api;

/**
 * Limits the runtime enforces, in one place: the annotation processor rejects at compile time
 * what the runtime would reject (or distort) at run time, with the same constants.
 */
public final class Limits {
    /**
     * Largest synthetic prompt or requested output, in tokens (1,048,576): far beyond any context
     * window, yet low enough to catch an unbounded {@code UNIFORM} range.
     */
    public static final int MAX_TOKENS = 1 << 20;

    /**
     * Fewest requests an open-loop measurement window must expect (rate times window length), or
     * count when bounded by requests: below a handful, no latency percentile or throughput figure
     * means anything, and a Poisson window may hold none at all.
     */
    public static final int MIN_EXPECTED_REQUESTS = 5;

    /**
     * Tokenizer encodings the runtime can load without a download (those bundled with jtokkit):
     * the only values {@code @TokenShape(encoding)} and {@code @Dataset(encoding)} accept.
     */
    public static final java.util.List<String> ENCODINGS =
            java.util.List.of("cl100k_base", "o200k_base", "p50k_base", "p50k_edit", "r50k_base");

    /**
     * Highest open-loop rate, requests per second (1,000,000: one request a microsecond, the
     * resolution of every latency histogram). Orders of magnitude beyond what one harness can send,
     * so a rate above it is a typo or a runaway {@code --rate-scale}; at such rates the schedule's
     * gaps fall below a nanosecond and the in-flight bounds overflow.
     */
    public static final double MAX_RATE = 1_000_000;

    /**
     * The message refusing a rate above {@link #MAX_RATE}, or {@code null} when it is not above it.
     *
     * @param what how the message names the rate, e.g. {@code "rate"} or {@code "the peak rate"}
     */
    public static String aboveMaxRate(String what, double rate) {
        return rate > MAX_RATE
                ? what + " must be at most " + (long) MAX_RATE + " requests/s (Limits.MAX_RATE), got " + rate
                : null;
    }

    /**
     * Most closed-loop workers, or requests in flight under an open loop's {@code maxInFlight}
     * (100,000). Each worker holds one request, so one connection, in flight: one host reaches one
     * server port from fewer than 65,536 local ports, and on JDK 17 each worker is a platform thread
     * with its own stack. A value above it is a slip of the digits ({@code 10_000_000} for {@code
     * 10_000}) or a load for several harness JVMs whose results {@code llmh merge} joins.
     */
    public static final int MAX_CONCURRENCY = 100_000;

    /**
     * The message refusing a number of workers (or requests in flight) above {@link
     * #MAX_CONCURRENCY}, or {@code null} when it is not above it.
     *
     * @param what how the message names the value, e.g. {@code "@ClosedLoop(concurrency)"}
     */
    public static String aboveMaxConcurrency(String what, long workers) {
        return workers > MAX_CONCURRENCY
                ? what + " must be at most " + MAX_CONCURRENCY + " (Limits.MAX_CONCURRENCY), got " + workers
                : null;
    }

    /**
     * Lowest gamma shape of POISSON gaps (vLLM's {@code --burstiness}), 0.01: the gaps' coefficient
     * of variation is then 10, already bursts of many requests between long silences; below it
     * most sampled gaps round to zero and the schedule degenerates into bursts at one instant.
     */
    public static final double MIN_BURSTINESS = 0.01;

    /**
     * Highest gamma shape of POISSON gaps, 1000: the gaps' coefficient of variation is then 0.03,
     * as even as {@code Arrival.CONSTANT}, which is what to write for evenly spaced arrivals.
     */
    public static final double MAX_BURSTINESS = 1000;

    /**
     * The message refusing a gamma shape outside [{@link #MIN_BURSTINESS}, {@link
     * #MAX_BURSTINESS}] (or not a number), or {@code null} when it is inside: the one wording of
     * the processor, the load models and the schedules.
     *
     * @param what how the message names the value, e.g. {@code "@OpenLoop(burstiness)"} or {@code
     *     "burstiness"}
     */
    public static String outsideBurstiness(String what, double burstiness) {
        return burstiness >= MIN_BURSTINESS && burstiness <= MAX_BURSTINESS
                ? null
                : what + " must be in [" + MIN_BURSTINESS + ", " + (long) MAX_BURSTINESS
                        + "] (1 = Poisson, < 1 burstier, > 1 more even), got " + burstiness;
    }

    /**
     * Most runs a side of {@code llmh gate} ({@code @Fork}, {@code --forks}, {@code -Dllmh.forks}),
     * 100: every run repeats all the selected trials on both sides, so a hundred runs of a
     * one-minute suite already take over three hours, and the run-to-run interval narrows like one
     * over the square root of the runs (JMH's default is 5 forks); more is a slip of the digits.
     */
    public static final int MAX_FORKS = 100;

    /**
     * The message refusing a number of runs a side outside 1 to {@link #MAX_FORKS}, or {@code null}
     * when it is inside.
     *
     * @param what how the message names the value, e.g. {@code "@Fork"} or {@code "--forks"}
     */
    public static String outsideForks(String what, long runs) {
        if (runs < 1) {
            return what + " is the number of runs a side, >= 1, got " + runs;
        }
        return runs > MAX_FORKS
                ? what + " must be at most " + MAX_FORKS + " runs a side (Limits.MAX_FORKS), got " + runs
                : null;
    }

    /**
     * Longest duration any annotation attribute or run-time option gives a phase, stage or pause
     * (168h, one week): longer than any trial one JVM should run unattended, so a longer value is a
     * slip of the unit ({@code "400h"} for {@code "400s"}); it also keeps sums of phases, in
     * nanoseconds, far from overflowing.
     */
    public static final java.time.Duration MAX_DURATION = java.time.Duration.ofDays(7);

    /**
     * The message refusing a duration above {@link #MAX_DURATION}, or {@code null} when it is not
     * above it.
     *
     * @param what how the message names the duration, e.g. {@code "@Soak(duration)"}
     */
    public static String aboveMaxDuration(String what, java.time.Duration duration) {
        return duration.compareTo(MAX_DURATION) > 0
                ? what + " must be at most " + DurationText.format(MAX_DURATION) + " (Limits.MAX_DURATION), got "
                        + DurationText.format(duration)
                : null;
    }

    /**
     * Most requests a phase may count ({@code @Warmup(requests)}, {@code @Measurement(requests)},
     * {@code --warmup 50req}): 604,800,000,000, what {@link #MAX_RATE} sends in {@link
     * #MAX_DURATION}, so a count above it could never be reached by any load and is a slip of the
     * digits. Not a compile-time constant: it follows the two bounds it is made of.
     */
    public static final long MAX_REQUESTS = (long) MAX_RATE * MAX_DURATION.getSeconds();

    /**
     * The message refusing a request count above {@link #MAX_REQUESTS}, or {@code null} when it is
     * not above it.
     *
     * @param what how the message names the count, e.g. {@code "@Measurement(requests)"}
     */
    public static String aboveMaxRequests(String what, long requests) {
        return requests > MAX_REQUESTS
                ? what + " must be at most " + MAX_REQUESTS + " requests (Limits.MAX_REQUESTS: what MAX_RATE sends in"
                        + " MAX_DURATION), got " + requests
                : null;
    }

    /**
     * Most levels of a {@code @Step} test (100): each level is one stage of the schedule (two with
     * its ramp), written out in the generated suite's code, whose methods javac limits to 64 KB; a
     * hundred levels of ten seconds already last over a quarter of an hour, so more is a slip of
     * the digits.
     */
    public static final int MAX_STEP_LEVELS = 100;

    /**
     * Slowest replay of a trace ({@code @TraceReplay(speedup)}, times {@code --rate-scale}), 0.001:
     * a minute of the trace then lasts almost 17 hours and an hour of it six weeks, far past {@link
     * #MAX_DURATION}; slower is a slip of the digits.
     */
    public static final double MIN_SPEEDUP = 0.001;

    /**
     * Fastest replay of a trace, 1000: arrivals a millisecond apart in the trace (the resolution of
     * the public traces' timestamps) are then a microsecond apart, the spacing of {@link #MAX_RATE}
     * and the resolution of every latency histogram; faster would pile distinct arrivals onto one
     * instant.
     */
    public static final double MAX_SPEEDUP = 1000;

    /**
     * The message refusing a trace speed-up outside [{@link #MIN_SPEEDUP}, {@link #MAX_SPEEDUP}] (or
     * not a number), or {@code null} when it is inside: the one wording of the processor, the load
     * model and {@code --rate-scale}.
     *
     * @param what how the message names the value, e.g. {@code "@TraceReplay(speedup)"}
     */
    public static String outsideSpeedup(String what, double speedup) {
        return speedup >= MIN_SPEEDUP && speedup <= MAX_SPEEDUP
                ? null
                : what + " must be in [" + MIN_SPEEDUP + ", " + (long) MAX_SPEEDUP
                        + "] (Limits.MIN_SPEEDUP, MAX_SPEEDUP; 2 replays twice as fast), got " + speedup;
    }

    /**
     * Most GPUs one instance has or one replica uses ({@code @Cost(gpusPerInstance)}, {@code
     * @Cost(gpusUsed)}, {@code --gpus-per-instance}, {@code --gpus-used}), 1,024: beyond the largest
     * single systems sold (a rack-scale NVLink domain holds 72 to 576 GPUs), so a larger count is a
     * slip of the digits, and it keeps every product of counts in the cost far from overflowing.
     */
    public static final int MAX_GPUS = 1024;

    /**
     * Most replicas serving the load ({@code @Cost(replicas)}, {@code --replicas}), {@link
     * #MAX_CONCURRENCY}: a replica is busy only with a request in flight, and one harness keeps at
     * most that many in flight, so more replicas could never all be at work and their cost would be
     * charged to requests they never served.
     */
    public static final int MAX_REPLICAS = MAX_CONCURRENCY;

    /**
     * The message refusing a count of {@code @Cost} outside 1 to {@code max}, or {@code null} when
     * it is inside.
     *
     * @param what how the message names the count, e.g. {@code "@Cost(gpusUsed)"} or {@code
     *     "--replicas"}
     * @param counts what it counts, e.g. {@code "the GPUs one replica uses"}
     * @param max {@link #MAX_GPUS} or {@link #MAX_REPLICAS}
     */
    public static String outsideCostCount(String what, String counts, long value, int max) {
        if (value < 1) {
            return what + " counts " + counts + ": it must be >= 1, got " + value;
        }
        return value > max
                ? what + " must be at most " + max + " (Limits." + (max == MAX_GPUS ? "MAX_GPUS" : "MAX_REPLICAS")
                        + "), got " + value + ": check the digits"
                : null;
    }

    /**
     * Most characters of prompt and of response text the per-request CSV keeps per request ({@code
     * --csv-text}, {@code llmh.csvText}), 1,048,576: a whole prompt or answer of {@link #MAX_TOKENS}
     * tokens fits in a few of these, and each request in flight holds its text until it ends, so a
     * value in the billions is a slip of the digits that would have every request hold gigabytes.
     */
    public static final int MAX_CSV_TEXT = 1 << 20;

    /**
     * The message refusing a number of CSV text characters outside 0 to {@link #MAX_CSV_TEXT}, or
     * {@code null} when it is inside.
     *
     * @param what how the message names the value, e.g. {@code "--csv-text"}
     */
    public static String outsideCsvText(String what, long chars) {
        if (chars < 0) {
            return what + " is a number of characters, >= 0 (0 keeps no text), got " + chars;
        }
        return chars > MAX_CSV_TEXT
                ? what + " must be at most " + MAX_CSV_TEXT + " characters (Limits.MAX_CSV_TEXT), got " + chars
                : null;
    }

    private Limits() {}
}
