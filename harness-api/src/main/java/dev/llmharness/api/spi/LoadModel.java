package dev.llmharness.api.spi;

/**
 * How requests are started: an open-loop schedule (constant rate, a rate shape, a recorded trace)
 * or closed-loop workers (a fixed number, or a number that changes over time).
 *
 * <p>Each model knows how it describes itself, how it scales under {@code --rate-scale} and
 * {@code --duration-scale} (or why it does not: {@link #rateScaleNotApplied}, {@link
 * #durationScaleNotApplied}) and how many requests it may have in flight; the runtime maps it to a
 * driver in one place, through a
 * {@link Visitor}, so that a new model is a compile error wherever it must be handled rather than a
 * {@code ClassCastException} at run time.
 */
public sealed interface LoadModel
        permits OpenLoopModel, ShapedLoadModel, TraceLoadModel, ClosedLoopModel, StagedClosedLoopModel {

    /**
     * The trial parameter that names this load in a trial's id ({@code rate=8}, {@code
     * concurrency=16}, {@code load=spike}, {@code trace=conv.jsonl}): distinct between kinds of load,
     * so that {@code compare} and {@code merge} never pair an open loop's trial with a closed
     * loop's. No default, so that a new model must name itself.
     */
    LoadId id();

    /** One line for people: {@code "open POISSON 8 req/s"}, {@code "step 10→50 req/s, ..."}. */
    String describe();

    /**
     * This model with every open-loop rate multiplied by {@code factor} ({@code --rate-scale}; a
     * trace replays {@code factor} times faster). A model with no rate of its own (a closed loop)
     * returns itself, and {@link #rateScaleNotApplied} says why, so that the run can say it.
     *
     * @param factor finite, {@code > 0}
     * @throws IllegalArgumentException when the scaled model is invalid (a rate past {@link
     *     dev.llmharness.api.Limits#MAX_RATE}, a speed-up out of its range)
     */
    LoadModel scaled(double factor);

    /**
     * Why {@code --rate-scale factor} leaves this load as declared ({@link #scaled} returns it
     * unchanged), as the rest of a sentence that begins with the option ({@code "--rate-scale 2 "}):
     * what the load is, why the option has nothing to multiply, and what to change instead; empty
     * when {@link #scaled} applies the factor. A closed loop has no rate: its workers send as fast as
     * the server answers, so its knob is its number of workers. No default, so that a new model
     * must say whether it has a rate to scale rather than ignore the option in silence.
     *
     * @param factor finite, {@code > 0}, other than 1
     */
    java.util.Optional<String> rateScaleNotApplied(double factor);

    /**
     * Why {@code --duration-scale factor} leaves this load's time as declared, as the rest of a
     * sentence that begins with the option ({@code "--duration-scale 0.1 "}) and names what does
     * scale it; empty when the option applies, through {@link #scaledTime} or through the window
     * the caller scales. A trace keeps its recorded time: compressing it is its speed-up, which
     * {@code --rate-scale} sets. No default, so that a new model must answer it.
     *
     * @param factor finite, {@code > 0}, other than 1
     */
    java.util.Optional<String> durationScaleNotApplied(double factor);

    /**
     * This model with the duration of every phase of its own multiplied by {@code factor}, rates
     * and workers unchanged ({@code --duration-scale}): a rate shape's stages, a worker shape's
     * stages or ramp-up. A load whose window sets its length (one rate, fixed workers) is unchanged,
     * since the caller scales the window; a trace is unchanged too, since its time is its file's and
     * compressing it is its speedup, which {@link #scaled} (--rate-scale) already sets. No default,
     * so that a new model must answer it.
     *
     * @param factor finite, {@code > 0}
     * @throws IllegalArgumentException when the scaled model is invalid (a phase past {@link
     *     dev.llmharness.api.Limits#MAX_DURATION})
     */
    LoadModel scaledTime(double factor);

    /**
     * A bound on requests in flight to size the HTTP client for: the workers of a closed loop, the
     * in-flight cap of an open one, else the peak rate times a generous 30 s per request, capped
     * at 10,000.
     */
    int peakConcurrency();

    /**
     * Requests in flight at this load's peak when each takes {@code perRequest}: for an open loop
     * Little's law, its peak rate (requests/s) times {@code perRequest}, rounded up and kept within
     * its in-flight cap; for a closed loop its most workers, whatever the duration. The harness opens
     * this many connections before the load ({@code --preopen}). Empty when the peak is known only
     * once the load runs (a trace's rate is in its file).
     *
     * @param perRequest how long one request holds its connection, {@code >= 0}
     */
    java.util.OptionalInt peakInFlight(java.time.Duration perRequest);

    /**
     * How long the load runs by itself, from the trial start, when it ends on its own (a rate or
     * concurrency shape): the trial then measures until it ends. Empty when the measurement window
     * ends the load (a constant rate, fixed workers, a held ramp) or when the length is known only
     * at run time (a trace, which ends after its last request).
     */
    default java.util.Optional<java.time.Duration> length() {
        return java.util.Optional.empty();
    }

    /**
     * Whether the measurement window closes as soon as the load has issued its last request (a
     * trace: its length is its own), rather than lasting its declared duration.
     */
    default boolean windowEndsWithLastRequest() {
        return false;
    }

    /**
     * How long a trial of this load with {@code warmup} and {@code measurement} measures, known
     * before the run: the window's duration, or for a load that ends by itself ({@link #length()})
     * its length after a timed warmup (zero or less when the warmup is as long as the load, which
     * the caller refuses). Empty when the window counts requests or ends with a trace's last
     * request. The one rule of the processor's checks (a per-window SLO's window must fit in it) and
     * the runtime's window.
     */
    default java.util.Optional<java.time.Duration> measuredLength(Phase warmup, Phase measurement) {
        if (measurement.countsRequests() || windowEndsWithLastRequest()) {
            return java.util.Optional.empty();
        }
        java.util.Optional<java.time.Duration> length = length();
        if (length.isEmpty()) {
            return java.util.Optional.of(measurement.duration());
        }
        java.time.Duration warm = warmup.countsRequests() ? java.time.Duration.ZERO : warmup.duration();
        return java.util.Optional.of(length.get().minus(warm));
    }

    /**
     * The one rate this load holds for the whole trial, requests per second, when it has one (a
     * constant or Poisson open loop): the rate the window's expected requests and a saturation
     * warning are reckoned from, and the one a trial id's {@code rate} parameter names. Empty for a
     * rate that changes (a shape), a trace and a closed loop.
     */
    default java.util.OptionalDouble fixedRate() {
        return java.util.OptionalDouble.empty();
    }

    /**
     * The file this load replays its arrivals from (a trace), read and checked before any load so
     * that a missing or malformed one stops the run at once; empty when the load reads no file.
     */
    default java.util.Optional<String> tracePath() {
        return java.util.Optional.empty();
    }

    /**
     * The requests this load expects to start from {@code from} to {@code to} after the trial
     * start, a mean rather than a whole number: one rate times the span, a rate shape's integral of
     * its rate over the part of the span inside the shape. Empty when the load alone does not say:
     * a closed loop's requests follow the server's speed, and a trace's arrivals are known once its
     * file is read. What the prompts sized before a trial ({@code --tokenizer server}) and the
     * warning about a window of too few requests are reckoned from. No default, so that a new model
     * must answer it.
     *
     * @param from start of the span after the trial start, {@code >= 0}
     * @param to end of the span, {@code >= from}
     */
    java.util.OptionalDouble expectedArrivals(java.time.Duration from, java.time.Duration to);

    /** Seconds from {@code from} to {@code to}, at least 0. */
    static double spanSeconds(java.time.Duration from, java.time.Duration to) {
        return Math.max(0, to.minus(from).toNanos() / 1e9);
    }

    /**
     * The trace file whose rows also size each request, input and output tokens (a trace replayed
     * with {@code @TraceReplay(lengths = true)}); empty when the prompts come from the workload.
     */
    default java.util.Optional<String> traceLengths() {
        return java.util.Optional.empty();
    }

    /** Calls the visitor's method for this model's kind. */
    <R> R accept(Visitor<R> visitor);

    /** One method per kind of load model. */
    interface Visitor<R> {
        R open(OpenLoopModel model);

        R shaped(ShapedLoadModel model);

        R trace(TraceLoadModel model);

        R closed(ClosedLoopModel model);

        R stagedClosed(StagedClosedLoopModel model);
    }

    /** The in-flight bound of an open loop: its cap, or its peak rate times 30 s, capped at 10,000. */
    static int openPeakConcurrency(int maxInFlight, double peakRate) {
        if (maxInFlight > 0) {
            return maxInFlight;
        }
        return (int) Math.max(1, Math.min(10_000, Math.ceil(peakRate * 30)));
    }

    /**
     * Little's law for an open loop: {@code peakRate} requests/s each lasting {@code perRequest}
     * keep {@code ceil(peakRate × perRequest)} in flight (at least 1), at most {@code maxInFlight}
     * when it caps them ({@code > 0}).
     */
    static java.util.OptionalInt littlesLaw(int maxInFlight, double peakRate, java.time.Duration perRequest) {
        if (perRequest.isNegative()) {
            throw new IllegalArgumentException("a request's duration must be >= 0, got " + perRequest);
        }
        double n = Math.max(1, Math.ceil(peakRate * perRequest.toNanos() / 1e9));
        if (maxInFlight > 0) {
            n = Math.min(n, maxInFlight);
        }
        return java.util.OptionalInt.of((int) Math.min(Integer.MAX_VALUE, n));
    }

    /** Checks a {@code --duration-scale} factor. */
    static void checkTimeScale(double factor) {
        if (!Double.isFinite(factor) || factor <= 0) {
            throw new IllegalArgumentException("a duration scale must be finite and > 0, got " + factor);
        }
    }

    /**
     * {@code d} times {@code factor}, to the nanosecond: at most {@link
     * dev.llmharness.api.Limits#MAX_DURATION}, and a duration that was not 0 stays longer than 0.
     *
     * @param what the phase, for the message
     */
    static java.time.Duration scaleDuration(String what, java.time.Duration d, double factor) {
        double nanos = d.toNanos() * factor;
        if (nanos > dev.llmharness.api.Limits.MAX_DURATION.toNanos()) {
            throw new IllegalArgumentException(what + " of " + dev.llmharness.api.DurationText.format(d)
                    + " would last longer than "
                    + dev.llmharness.api.DurationText.format(dev.llmharness.api.Limits.MAX_DURATION)
                    + " (Limits.MAX_DURATION)");
        }
        long scaled = Math.round(nanos);
        return java.time.Duration.ofNanos(d.isZero() ? 0 : Math.max(1, scaled));
    }

    /**
     * What {@link #rateScaleNotApplied} says for a closed loop.
     *
     * @param description the load's {@link #describe()}
     * @param knob where its workers are set, e.g. {@code @ClosedLoop(concurrency)}
     */
    static String closedLoopHasNoRate(String description, String knob) {
        return "leaves its load as declared (" + description + "): a closed loop has no rate to multiply, since"
                + " each worker sends its next request when the last one is answered and the rate follows the"
                + " server's speed; change its workers instead (" + knob + ")";
    }

    /** Checks a {@code --rate-scale} factor. */
    static void checkScale(double factor) {
        if (!Double.isFinite(factor) || factor <= 0) {
            throw new IllegalArgumentException("a rate scale must be finite and > 0, got " + factor);
        }
    }
}
