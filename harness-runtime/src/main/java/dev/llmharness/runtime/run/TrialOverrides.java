package dev.llmharness.runtime.run;

import dev.llmharness.api.DurationText;
import dev.llmharness.api.Limits;
import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Run-time changes to every trial (CLI options and {@code llmh.*} system properties): what {@code
 * llmh run} runs and {@code llmh list} shows, both through {@link #apply} and {@link #warnings}.
 *
 * <p>Which load each option applies to is the load model's rule, not a list here: {@code
 * --rate-scale} multiplies what {@link LoadModel#scaled} multiplies, and a model with nothing to
 * multiply says so ({@link LoadModel#rateScaleNotApplied}); {@code --duration-scale} scales the
 * window and what {@link LoadModel#scaledTime} scales, likewise ({@link
 * LoadModel#durationScaleNotApplied}); {@code --duration} replaces a window, which a load that ends
 * by itself ({@link LoadModel#length}, {@link LoadModel#windowEndsWithLastRequest}) does not have,
 * so it is refused there. {@code --seed}, {@code --warmup} and the default error-rate objective
 * apply to every load alike.
 *
 * @param duration replaces the measurement window (as a duration), or {@code null}; longer than 0s and
 *     at most {@link Limits#MAX_DURATION}. A load that ends by itself (a rate or worker shape, a
 *     trace) has no window to replace: {@link #apply} refuses it there, naming {@code
 *     --duration-scale} (a shape) or {@code --rate-scale} (a trace)
 * @param durationScale multiplies timed warmup and measurement lengths and every phase of a load
 *     shape ({@link LoadModel#scaledTime}), {@code > 0}; what it gives must stay within {@link
 *     Limits#MAX_DURATION} (checked per trial by {@link #apply}). A load it does not apply to says
 *     why ({@link LoadModel#durationScaleNotApplied}: a trace keeps its recorded time), and {@link
 *     #warnings} passes that on
 * @param rateScale multiplies open-loop rates (a trace's speed-up), {@code > 0}; the trial's
 *     parameters and id keep the declared values, the result's load section shows the load run. A
 *     load it does not apply to says why ({@link LoadModel#rateScaleNotApplied}: a closed loop has
 *     no rate), and {@link #warnings} passes that on
 * @param seed replaces every trial's seed, or {@code null}
 * @param warmup replaces the warmup phase, or {@code null}; a timed one at most {@link
 *     Limits#MAX_DURATION}
 * @param defaultMaxErrorRate the error-rate objective of trials that declare none, in [0, 1], or
 *     {@code null} for none (see {@link #DEFAULT_MAX_ERROR_RATE})
 */
public record TrialOverrides(
        Duration duration,
        double durationScale,
        double rateScale,
        Long seed,
        Phase warmup,
        Double defaultMaxErrorRate) {
    /**
     * The error-rate objective a trial gets when it declares none ({@code @Slo(maxErrorRate)}): 5 %
     * of the requests that ended. A run with half its requests failed must not pass silently;
     * {@code llmh.maxErrorRate} / {@code --max-error-rate} changes it, {@code none} removes it.
     */
    public static final double DEFAULT_MAX_ERROR_RATE = 0.05;

    /** No change, and no default objective. */
    public static final TrialOverrides NONE = new TrialOverrides(null, 1.0, 1.0, null, null, null);

    /** The changes, with the documented default error-rate objective. */
    public TrialOverrides(Duration duration, double durationScale, double rateScale, Long seed, Phase warmup) {
        this(duration, durationScale, rateScale, seed, warmup, DEFAULT_MAX_ERROR_RATE);
    }

    public TrialOverrides {
        if (!(durationScale > 0) || Double.isInfinite(durationScale)) {
            throw new IllegalArgumentException("durationScale must be finite and > 0, got " + durationScale);
        }
        if (!(rateScale > 0) || Double.isInfinite(rateScale)) {
            throw new IllegalArgumentException("rateScale must be finite and > 0, got " + rateScale);
        }
        if (defaultMaxErrorRate != null && !(defaultMaxErrorRate >= 0 && defaultMaxErrorRate <= 1)) {
            throw new IllegalArgumentException(
                    "maxErrorRate must be in [0, 1] (e.g. 0.05 or 5%) or none, got " + defaultMaxErrorRate);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration must be > 0, got " + duration);
        }
        if (duration != null) {
            requireAtMostMaxDuration("--duration " + DurationText.format(duration), duration);
        }
        if (warmup != null && !warmup.countsRequests()) {
            requireAtMostMaxDuration("--warmup " + DurationText.format(warmup.duration()), warmup.duration());
        }
    }

    /** The same bound as the annotation processor's on every declared duration, for an option's. */
    private static void requireAtMostMaxDuration(String option, Duration d) {
        if (d.compareTo(Limits.MAX_DURATION) > 0) {
            throw new IllegalArgumentException(option + ": a phase lasts at most "
                    + DurationText.format(Limits.MAX_DURATION) + " (Limits.MAX_DURATION); check the unit (m is"
                    + " minutes, h hours)");
        }
    }

    /** The trial as it will run. */
    public TrialSpec apply(TrialSpec t) {
        Phase measurement = duration != null ? Phase.ofDuration(duration) : scale(t, "window", t.measurement());
        Phase warm = warmup != null ? warmup : scale(t, "warmup", t.warmup());
        LoadModel load;
        try {
            load = t.load().scaled(rateScale);
        } catch (IllegalArgumentException e) {
            // A scale that takes a rate past Limits.MAX_RATE, a trace's speed-up out of its range:
            // say which option did it, and which scale would do.
            throw new IllegalArgumentException(t.id() + ": --rate-scale " + TrialSpec.formatRate(rateScale)
                    + " makes its load invalid: " + e.getMessage() + "; " + rateScaleFix(t.load()));
        }
        load = timeScaled(t, load);
        try {
            measurement = shapedWindow(load, warm, measurement);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(t.id() + ": " + e.getMessage(), e);
        }
        requireWindowFits(t, load, warm, measurement);
        Map<String, String> params = new LinkedHashMap<>(t.params());
        return t.with(params, load, warm, measurement, withDefaultErrorRate(t.slo()), seed != null ? seed : t.seed());
    }

    /**
     * What to do about a {@code --rate-scale} that makes {@code declared} invalid, in the direction
     * of the bound it crossed: "lower --rate-scale to at most X" or "raise --rate-scale to at least
     * X", X the nearest scale (3 significant digits) that keeps the load valid. A scale multiplies
     * every rate of a load, or a trace's speed-up, so the scales that keep it valid are one
     * interval around 1 (the declared load): a scale above it crossed an upper bound ({@link
     * Limits#MAX_RATE}, {@link Limits#MAX_SPEEDUP}), one below it a lower bound ({@link
     * Limits#MIN_SPEEDUP}, or a rate that rounds to 0). The interval's end is found by bisection on
     * the load itself, so every shape's bounds are covered without being listed here.
     */
    private String rateScaleFix(LoadModel declared) {
        boolean lower = rateScale > 1;
        double valid = 1;
        double invalid = rateScale;
        // Geometric bisection: the scales span many orders of magnitude; 1e-12 is far finer than
        // the 3 digits printed.
        while (Math.abs(Math.log(invalid / valid)) > 1e-12) {
            double middle = Math.sqrt(valid) * Math.sqrt(invalid);
            if (middle == valid || middle == invalid) {
                break;
            }
            if (validAt(declared, middle)) {
                valid = middle;
            } else {
                invalid = middle;
            }
        }
        java.math.BigDecimal fix = new java.math.BigDecimal(valid).round(new java.math.MathContext(3));
        if (!validAt(declared, fix.doubleValue())) {
            // Rounded past the bound: round towards 1 instead, which stays between the bound and 1.
            fix = new java.math.BigDecimal(valid)
                    .round(new java.math.MathContext(
                            3, lower ? java.math.RoundingMode.FLOOR : java.math.RoundingMode.CEILING));
        }
        fix = fix.stripTrailingZeros();
        String scale = fix.abs().compareTo(java.math.BigDecimal.valueOf(1e-6)) >= 0
                        && fix.abs().compareTo(java.math.BigDecimal.valueOf(1e12)) < 0
                ? fix.toPlainString()
                : fix.toString();
        return (lower ? "lower --rate-scale to at most " : "raise --rate-scale to at least ") + scale;
    }

    private static boolean validAt(LoadModel declared, double scale) {
        try {
            declared.scaled(scale);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The load with {@code --duration-scale} applied to its own phases ({@link
     * LoadModel#scaledTime}), after refusing {@code --duration} on a load that ends by itself: it
     * has no window to replace, and ignoring the option silently would run a 4 h soak in a job that
     * asked for 30 s.
     *
     * @throws IllegalArgumentException one line naming the trial, the option and the fix
     */
    private LoadModel timeScaled(TrialSpec t, LoadModel load) {
        if (duration != null && load.windowEndsWithLastRequest()) {
            throw new IllegalArgumentException(t.id() + ": --duration " + DurationText.format(duration)
                    + " does not apply to a trace, which is measured until its last request; to replay it in"
                    + " less time use --rate-scale (a trace's speedup: --rate-scale 2 replays it twice as"
                    + " fast), or leave the trial out with --include");
        }
        if (duration != null && load.length().isPresent()) {
            Duration length = load.length().get();
            throw new IllegalArgumentException(t.id() + ": --duration " + DurationText.format(duration)
                    + " does not apply to its load, which ends by itself after " + DurationText.format(length)
                    + " (" + load.describe() + "); shorten the whole load with --duration-scale "
                    + TrialSpec.formatRate(suggestedScale(duration, length))
                    + " instead (every phase scaled, rates kept), or leave the trial out with --include");
        }
        if (durationScale == 1.0) {
            return load;
        }
        try {
            return load.scaledTime(durationScale);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(t.id() + ": --duration-scale " + TrialSpec.formatRate(durationScale)
                    + " makes its load invalid: " + e.getMessage() + "; lower --duration-scale");
        }
    }

    /** {@code wanted / length}, rounded to 2 significant digits: the scale that gives about {@code wanted}. */
    private static double suggestedScale(Duration wanted, Duration length) {
        double f = (double) wanted.toNanos() / length.toNanos();
        return new java.math.BigDecimal(f)
                .round(new java.math.MathContext(2, java.math.RoundingMode.HALF_EVEN))
                .doubleValue();
    }

    /**
     * Every warning these overrides give for {@code run} before any load, one line each, in this
     * order: an option its load does not apply to ({@link #rateScaleNote}, {@link
     * #durationScaleNote}), then a window of few requests ({@link #fewRequestsWarning}). What
     * {@code llmh run} and {@code llmh list} print, so that both say the same.
     *
     * @param run the trial as it will run ({@link #apply})
     */
    public java.util.List<String> warnings(TrialSpec run) {
        java.util.List<String> warnings = new java.util.ArrayList<>();
        for (String w : java.util.Arrays.asList(rateScaleNote(run), durationScaleNote(run), fewRequestsWarning(run))) {
            if (w != null) {
                warnings.add(w);
            }
        }
        return warnings;
    }

    /**
     * A note when {@code --rate-scale} is given and {@code run}'s load has no rate for it to
     * multiply (a closed loop: {@link LoadModel#rateScaleNotApplied}), which then runs as declared;
     * {@code null} otherwise. A warning rather than a refusal: the load that runs is the one its
     * trial declares, and a run of several trials (the bench gate's mixes open and closed loops)
     * still scales the others, as {@code -Dllmh.rateScale} is documented to.
     *
     * @param run the trial as it will run ({@link #apply})
     */
    public String rateScaleNote(TrialSpec run) {
        if (rateScale == 1.0) {
            return null;
        }
        return run.load()
                .rateScaleNotApplied(rateScale)
                .map(why -> run.id() + ": --rate-scale " + TrialSpec.formatRate(rateScale) + " " + why
                        + ", or leave the trial out with --include")
                .orElse(null);
    }

    /**
     * A note when {@code --duration-scale} is given and {@code run}'s load keeps its time under it
     * (a trace, whose speed-up is its rate scale: {@link LoadModel#durationScaleNotApplied}), so
     * that a CI job does not wonder why it did not shorten; {@code null} otherwise.
     *
     * @param run the trial as it will run ({@link #apply})
     */
    public String durationScaleNote(TrialSpec run) {
        if (durationScale == 1.0) {
            return null;
        }
        return run.load()
                .durationScaleNotApplied(durationScale)
                .map(why -> run.id() + ": --duration-scale " + TrialSpec.formatRate(durationScale) + " " + why)
                .orElse(null);
    }

    /**
     * A warning when these overrides leave an open-loop trial's timed window fewer than {@link
     * Limits#MIN_EXPECTED_REQUESTS} expected requests (rate times window; for a rate shape, its
     * arrivals from the end of the warmup to its end), which the annotation
     * processor refuses for the declared values: its figures would describe a handful of requests.
     * It names the options that did it and how to undo it; {@code null} when nothing is wrong.
     *
     * @param run the trial as it will run ({@link #apply})
     */
    public String fewRequestsWarning(TrialSpec run) {
        if (run.measurement().countsRequests()) {
            return null;
        }
        // The processor's rule: what arrives from the end of a timed warmup to the window's end (for
        // a rate shape, its end). A load that cannot say (a closed loop, a trace) is not warned about.
        Duration warm = run.warmup().countsRequests() || run.warmup().isEmpty()
                ? Duration.ZERO
                : run.warmup().duration();
        java.util.OptionalDouble arrivals =
                run.load().expectedArrivals(warm, warm.plus(run.measurement().duration()));
        if (arrivals.isEmpty()) {
            return null;
        }
        double expected = arrivals.getAsDouble();
        java.util.OptionalDouble fixed = run.load().fixedRate();
        String at = fixed.isPresent()
                ? "at " + TrialSpec.formatRate(fixed.getAsDouble()) + " requests/s"
                : "of the rate shape " + run.load().describe();
        if (expected >= Limits.MIN_EXPECTED_REQUESTS) {
            return null;
        }
        java.util.List<String> causes = new java.util.ArrayList<>();
        if (rateScale != 1.0) {
            causes.add("--rate-scale " + TrialSpec.formatRate(rateScale));
        }
        if (duration != null) {
            causes.add("--duration " + DurationText.format(duration));
        } else if (durationScale != 1.0) {
            causes.add("--duration-scale " + TrialSpec.formatRate(durationScale));
        }
        return String.format(
                java.util.Locale.ROOT,
                "%s: %.1f requests expected in the %s window %s%s, fewer than %d"
                        + " (Limits.MIN_EXPECTED_REQUESTS): its latency and throughput figures will describe a"
                        + " handful of requests; raise --rate-scale or --duration-scale%s",
                run.id(),
                expected,
                DurationText.format(run.measurement().duration()),
                at,
                causes.isEmpty() ? "" : " (after " + String.join(", ", causes) + ")",
                Limits.MIN_EXPECTED_REQUESTS,
                // A load that ends by itself takes no --duration (apply refuses it).
                run.load().length().isPresent() ? "" : ", or set --duration");
    }

    /**
     * A per-window SLO ({@code @Slo(windows, window)}) needs at least one whole window in what the
     * trial measures: the processor refuses a longer window for the declared values, and these
     * overrides ({@code --duration}, {@code --duration-scale}, a {@code --warmup} that shortens a
     * load shape's measured part) must not make one either, or the per-window verdict would judge
     * one partial window, the whole trial, under the per-window name.
     *
     * @throws IllegalArgumentException one line naming the trial, the window, what it measures, the
     *     options that did it and the fix
     */
    private void requireWindowFits(TrialSpec t, LoadModel load, Phase warm, Phase measurement) {
        if (t.slo().windows().isEmpty() || measurement.countsRequests() || load.windowEndsWithLastRequest()) {
            return;
        }
        int seconds = t.slo().windows().get().seconds();
        Duration measured = measurement.duration();
        if (Duration.ofSeconds(seconds).compareTo(measured) <= 0) {
            return;
        }
        java.util.List<String> causes = new java.util.ArrayList<>();
        if (duration != null) {
            causes.add("--duration " + DurationText.format(duration));
        } else if (durationScale != 1.0) {
            causes.add("--duration-scale " + TrialSpec.formatRate(durationScale));
        }
        if (warmup != null && load.length().isPresent()) {
            causes.add("--warmup "
                    + (warmup.countsRequests() ? warmup.requests() + "req" : DurationText.format(warm.duration())));
        }
        throw new IllegalArgumentException(t.id() + ": its per-window SLO's " + seconds + "s window is longer than the "
                + DurationText.format(measured) + " it measures"
                + (causes.isEmpty() ? "" : " (after " + String.join(", ", causes) + ")")
                + ", so no whole window fits: measure at least " + seconds + "s ("
                + (load.length().isPresent()
                        ? "a shorter --warmup, or a larger --duration-scale: the load's own length sets what it"
                                + " measures"
                        : "--duration " + seconds + "s, or a larger --duration-scale")
                + ")");
    }

    private SloSpec withDefaultErrorRate(SloSpec slo) {
        if (defaultMaxErrorRate == null || slo.maxErrorRate().isPresent()) {
            return slo;
        }
        return slo.withMaxErrorRate(OptionalDouble.of(defaultMaxErrorRate));
    }

    /**
     * Reads {@code llmh.maxErrorRate}: {@code none} for no default objective, a percentage ({@code
     * 5%}) or a fraction ({@code 0.05}); blank or {@code null} gives the default.
     */
    public static Double parseMaxErrorRate(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_MAX_ERROR_RATE;
        }
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("none")) {
            return null;
        }
        try {
            double v = t.endsWith("%")
                    ? Double.parseDouble(t.substring(0, t.length() - 1).strip()) / 100
                    : Double.parseDouble(t);
            if (v >= 0 && v <= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // Reported below with the accepted forms.
        }
        throw new IllegalArgumentException("--max-error-rate / llmh.maxErrorRate: write a percentage (5%), a"
                + " fraction in [0, 1] (0.05) or none, got \"" + text + "\"");
    }

    /**
     * A load that ends by itself is measured to its end: the window is the load's length after a
     * timed warmup (the declared window is ignored; {@code --duration-scale} scales the load itself,
     * and {@link #apply} refuses {@code --duration} for it); a trace, whose length is known once
     * read, is measured until its last request. A counted window keeps its count.
     */
    public static Phase shapedWindow(LoadModel load, Phase warmup, Phase measurement) {
        if (measurement.countsRequests()) {
            return measurement;
        }
        if (load.windowEndsWithLastRequest()) {
            return Phase.ofDuration(TRACE_WINDOW);
        }
        Duration length = load.length().orElse(null);
        if (length == null) {
            return measurement;
        }
        Duration measured = load.measuredLength(warmup, measurement).orElseThrow();
        if (measured.isNegative() || measured.isZero()) {
            throw new IllegalArgumentException("the warmup (" + DurationText.format(length.minus(measured))
                    + ") is as long as the whole load (" + DurationText.format(length)
                    + "): shorten the warmup so that some of the shape is measured");
        }
        return Phase.ofDuration(measured);
    }

    /** The window of a trace: longer than any replay, so that the trace's end ends it. */
    public static final Duration TRACE_WINDOW = Duration.ofDays(365);

    /**
     * A timed phase times {@code --duration-scale}, within the bounds the processor holds declared
     * phases to: at most {@link Limits#MAX_DURATION}, and a window that was not empty stays so.
     *
     * @param what {@code "window"} or {@code "warmup"}, for the message
     */
    private Phase scale(TrialSpec t, String what, Phase p) {
        if (p.countsRequests() || durationScale == 1.0) {
            return p;
        }
        double nanos = p.duration().toNanos() * durationScale;
        String option = "--duration-scale " + TrialSpec.formatRate(durationScale);
        if (nanos > Limits.MAX_DURATION.toNanos()) {
            throw new IllegalArgumentException(
                    t.id() + ": " + option + " makes its " + DurationText.format(p.duration())
                            + " " + what + " longer than " + DurationText.format(Limits.MAX_DURATION)
                            + " (Limits.MAX_DURATION); lower --duration-scale, or set --duration");
        }
        Duration scaled = Duration.ofNanos(Math.round(nanos));
        if (what.equals("window") && scaled.isZero() && !p.duration().isZero()) {
            throw new IllegalArgumentException(t.id() + ": " + option + " makes its "
                    + DurationText.format(p.duration()) + " window 0s, so nothing would be measured; raise"
                    + " --duration-scale, or set --duration");
        }
        return Phase.ofDuration(scaled);
    }
}
