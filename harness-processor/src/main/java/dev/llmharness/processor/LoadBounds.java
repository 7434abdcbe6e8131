package dev.llmharness.processor;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.DurationText;
import dev.llmharness.api.Limits;
import dev.llmharness.api.spi.RateStage;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.api.spi.WorkerStage;
import java.time.Duration;
import java.util.List;
import javax.lang.model.element.AnnotationValue;

/**
 * The range and shape checks of the load annotations, each bound read from {@link Limits} (the
 * constants the runtime's models check too): a value out of range, or a shape that does not do
 * what its annotation is for (a ramp that stays level, a spike no higher than its base), is a
 * compile error on the value at fault that says what to write instead. Each method returns
 * whether the value passed, so that the caller builds no model from a rejected one.
 */
final class LoadBounds {
    private final Reporter reporter;

    LoadBounds(Reporter reporter) {
        this.reporter = reporter;
    }

    /**
     * A rate in requests per second: finite, {@code >= 0} (or {@code > 0} when {@code positive}),
     * at most {@link Limits#MAX_RATE}.
     *
     * @param at the value to report on (an array element, or {@code null} for a default)
     */
    boolean rate(AnnotationSite site, String attribute, AnnotationValue at, double rate, boolean positive) {
        if (!Double.isFinite(rate) || rate < 0 || (positive && rate == 0)) {
            reporter.error(
                    site,
                    at,
                    site.attr(attribute) + " must be finite and " + (positive ? "> 0" : ">= 0")
                            + " requests per second, got " + rate + "; e.g. " + attribute + " = "
                            + (positive ? "0.5 for one request every two seconds" : "10, or 0 for no load"));
            return false;
        }
        String tooHigh = Limits.aboveMaxRate(site.attr(attribute), rate);
        if (tooHigh != null) {
            reporter.error(
                    site,
                    at,
                    tooHigh + ": one harness sends far fewer; for more load, split the rate over several harness"
                            + " JVMs and join their results with llmh merge");
            return false;
        }
        return true;
    }

    /** A rate attribute written (or defaulted) once on the annotation. */
    boolean rate(AnnotationSite site, String attribute, double rate, boolean positive) {
        return rate(site, attribute, site.explicit(attribute), rate, positive);
    }

    /**
     * A number of workers (or of requests in flight) at most {@link Limits#MAX_CONCURRENCY}.
     *
     * @param fix what to write instead, after the bound
     */
    boolean workers(AnnotationSite site, String attribute, AnnotationValue at, long workers, String fix) {
        String tooMany = Limits.aboveMaxConcurrency(site.attr(attribute), workers);
        if (tooMany == null) {
            return true;
        }
        reporter.error(
                site,
                at,
                tooMany + ": each worker holds a connection, and one harness opens fewer than 65,536 to a server;"
                        + " check the digits" + fix + ", or split the load over several harness JVMs and join"
                        + " their results with llmh merge");
        return false;
    }

    /**
     * A number of workers of a concurrency shape: {@code >= 0}, at most {@link
     * Limits#MAX_CONCURRENCY}.
     *
     * @param example what to write instead of a negative count, e.g. {@code "target = 8"}
     */
    boolean workerCount(AnnotationSite site, String attribute, int workers, String example) {
        if (workers < 0) {
            reporter.error(
                    site,
                    site.explicit(attribute),
                    site.attr(attribute) + " must be >= 0 workers, got " + workers + "; e.g. " + example);
            return false;
        }
        return workers(site, attribute, site.explicit(attribute), workers, "");
    }

    /**
     * {@code @WorkerStages}: the stages together must last, and some worker must run while they do
     * (the rule of {@link dev.llmharness.api.spi.StagedClosedLoopModel}, said on the stages).
     *
     * @param stages one per {@code @Workers}, in order
     */
    boolean workerStages(AnnotationSite site, int start, List<WorkerStage> stages) {
        Duration total = Duration.ZERO;
        boolean work = false;
        int from = start;
        for (WorkerStage s : stages) {
            total = total.plus(s.duration());
            work |= !s.duration().isZero() && (from > 0 || s.toWorkers() > 0);
            from = s.toWorkers();
        }
        String example = "@Workers(duration = \"1m\", target = 8)";
        if (total.isZero()) {
            reporter.error(
                    site,
                    site.explicit("value"),
                    "@WorkerStages: every stage lasts 0s, so the shape has no length and nothing is measured: give"
                            + " the stages durations, e.g. " + example);
            return false;
        }
        if (!work) {
            reporter.error(
                    site,
                    site.explicit("value"),
                    "@WorkerStages runs no worker: every stage that lasts starts and ends at 0 workers, so nothing"
                            + " would be sent: give a stage a target above 0, e.g. " + example);
            return false;
        }
        return true;
    }

    /**
     * {@code @TraceReplay(path)}: not blank, without blanks around it, and named {@code .csv} or
     * {@code .jsonl}, the extension that says its format (the rule of {@link
     * dev.llmharness.api.spi.TraceLoadModel}, said on the path).
     */
    boolean tracePath(AnnotationSite site, String path) {
        AnnotationValue at = site.explicit("path");
        String example = "e.g. path = \"traces/AzureLLMInferenceTrace_conv.csv\" (relative to the working"
                + " directory) or path = \"classpath:traces/conv.jsonl\"";
        if (path.isBlank()) {
            reporter.error(site, at, "@TraceReplay(path) is empty; give the trace file, " + example);
            return false;
        }
        if (!path.strip().equals(path)) {
            reporter.error(
                    site,
                    at,
                    "@TraceReplay(path) \"" + path + "\" has blanks around it, which would be part of the file's"
                            + " name: write \"" + path.strip() + "\"");
            return false;
        }
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        if (!lower.endsWith(".csv") && !lower.endsWith(".jsonl")) {
            reporter.error(
                    site,
                    at,
                    "@TraceReplay(path) \"" + path + "\" does not say its format: name the file .csv (an Azure LLM"
                            + " inference trace: TIMESTAMP,ContextTokens,GeneratedTokens) or .jsonl (a Mooncake"
                            + " trace: timestamp, input_length, output_length)");
            return false;
        }
        return true;
    }

    /** An in-flight cap: {@code 0} for none, else at most {@link Limits#MAX_CONCURRENCY}. */
    boolean maxInFlight(AnnotationSite site, int maxInFlight) {
        AnnotationValue at = site.explicit("maxInFlight");
        if (maxInFlight < 0) {
            reporter.error(
                    site,
                    at,
                    site.attr("maxInFlight") + " must be >= 0, got " + maxInFlight
                            + "; use 0 for no cap on requests in flight");
            return false;
        }
        return workers(site, "maxInFlight", at, maxInFlight, ", or use 0 for no cap");
    }

    /**
     * The gaps' gamma shape: in [{@link Limits#MIN_BURSTINESS}, {@link Limits#MAX_BURSTINESS}],
     * and 1 with {@link Arrival#CONSTANT} arrivals.
     */
    boolean burstiness(AnnotationSite site, Arrival arrival, double burstiness) {
        String outside = Limits.outsideBurstiness(site.attr("burstiness"), burstiness);
        if (outside != null) {
            reporter.error(site, site.explicit("burstiness"), outside);
            return false;
        }
        if (arrival == Arrival.CONSTANT && burstiness != 1.0) {
            reporter.error(
                    site,
                    site.explicit("burstiness"),
                    site.attr("burstiness") + " applies to POISSON arrivals only; CONSTANT arrivals are evenly"
                            + " spaced: use arrival = Arrival.POISSON or remove burstiness");
            return false;
        }
        return true;
    }

    /**
     * {@code @Ramp}: a ramp from a rate to the same rate does not ramp, and from 0 to 0 sends
     * nothing.
     */
    boolean ramp(AnnotationSite site, double from, double to, String duration) {
        if (from != to) {
            return true;
        }
        String rate = TrialSpec.formatRate(to);
        reporter.error(
                site,
                site.explicit("to"),
                to == 0
                        ? "@Ramp(from) and @Ramp(to) are both 0 requests/s, so nothing would be sent: give to the"
                                + " rate the ramp should reach, e.g. to = 50"
                        : "@Ramp(from) and @Ramp(to) are both " + rate + " requests/s, so the rate never changes:"
                                + " give to the rate the ramp should reach, or for a constant rate write "
                                + soak(rate, duration) + " or @OpenLoop(rate = " + rate + ")");
        return false;
    }

    /**
     * {@code @Stages}: the stages together must last, and must change the rate; a stage of 0s to
     * the rate the shape is already at does nothing (a warning: the shape still runs as meant).
     *
     * @param stages one per {@code @Stage}, in order
     */
    boolean stages(AnnotationSite site, double startRate, List<RateStage> stages) {
        Duration total = Duration.ZERO;
        boolean level = true;
        double previous = startRate;
        for (int i = 0; i < stages.size(); i++) {
            RateStage s = stages.get(i);
            total = total.plus(s.duration());
            level &= s.toRate() == startRate;
            if (s.duration().isZero() && s.toRate() == previous) {
                reporter.warning(
                        site,
                        site.explicitElement("value", i),
                        "@Stage(duration = \"0s\", rate = " + TrialSpec.formatRate(s.toRate()) + ") jumps to the"
                                + " rate the shape is already at, so it does nothing: remove it, or give it a"
                                + " duration to hold that rate");
            }
            previous = s.toRate();
        }
        if (total.isZero()) {
            reporter.error(
                    site,
                    site.explicit("value"),
                    "@Stages: every stage lasts 0s, so the shape has no length and nothing is measured: give the"
                            + " stages durations, e.g. @Stage(duration = \"30s\", rate = 10)");
            return false;
        }
        if (!sendsAny(startRate, stages)) {
            reporter.error(
                    site,
                    site.explicit("value"),
                    "@Stages sends nothing: every stage that lasts starts and ends at 0 requests/s: give a stage a"
                            + " rate above 0, e.g. @Stage(duration = \"1m\", rate = 10)");
            return false;
        }
        if (level && startRate > 0) {
            String rate = TrialSpec.formatRate(startRate);
            reporter.error(
                    site,
                    site.explicit("value"),
                    "@Stages holds " + rate + " requests/s throughout (startRate and every stage's rate), so the"
                            + " rate never changes: give a stage another rate, or for a constant rate write "
                            + soak(rate, DurationText.format(total)));
            return false;
        }
        return true;
    }

    /**
     * {@code @Step}: from 2 to {@link Limits#MAX_STEP_LEVELS} levels, each lasting some time, and an
     * increment that makes them differ.
     *
     * @param level each level's duration, {@code null} when it did not parse (already reported)
     * @param ramp the ramp between levels, {@code null} when it did not parse
     */
    boolean step(AnnotationSite site, double start, double increment, int levels, Duration level, Duration ramp) {
        boolean ok = rate(site, "start", start, false);
        if (!Double.isFinite(increment)) {
            reporter.error(
                    site,
                    site.explicit("increment"),
                    "@Step(increment) must be a finite number of requests per second, got " + increment
                            + "; e.g. increment = 10 (negative steps down)");
            ok = false;
        }
        // formatRate cannot print NaN or infinities, which rate() above has reported already.
        String rate = Double.isFinite(start) ? TrialSpec.formatRate(start) : Double.toString(start);
        String constant = level == null || ramp == null
                ? "@Soak(rate = " + rate + ", duration = ...)"
                : soak(rate, DurationText.format(level.multipliedBy(Math.max(1, levels))));
        if (levels < 2) {
            reporter.error(
                    site,
                    site.explicit("levels"),
                    levels < 1
                            ? "@Step(levels) must be at least 2, got " + levels + ": a step test climbs from one"
                                    + " level to the next; e.g. levels = 5"
                            : "@Step(levels = 1) holds one rate, so nothing steps: give levels >= 2, or for a"
                                    + " constant rate write " + constant);
            return false;
        }
        if (levels > Limits.MAX_STEP_LEVELS) {
            reporter.error(
                    site,
                    site.explicit("levels"),
                    "@Step(levels) must be at most " + Limits.MAX_STEP_LEVELS + " (Limits.MAX_STEP_LEVELS), got "
                            + levels + ": check the digits, or raise increment for fewer, larger steps");
            return false;
        }
        if (ok && increment == 0) {
            Duration length = level == null || ramp == null
                    ? null
                    : level.multipliedBy(levels).plus(ramp.multipliedBy(levels - 1L));
            reporter.error(
                    site,
                    site.explicit("increment"),
                    "@Step(increment) is 0, so every level holds " + rate + " requests/s and nothing steps: give"
                            + " the rate added per level, e.g. increment = 10, or for a constant rate write "
                            + (length == null ? constant : soak(rate, DurationText.format(length))));
            return false;
        }
        return ok && levelsInRange(site, start, increment, levels);
    }

    /**
     * Every level of a {@code @Step} in [0, {@link Limits#MAX_RATE}]: the last one is the extreme,
     * {@code start + (levels - 1) * increment} as the model computes it.
     */
    private boolean levelsInRange(AnnotationSite site, double start, double increment, int levels) {
        double last = start + (levels - 1) * increment;
        String inc = TrialSpec.formatRate(increment);
        if (last < 0) {
            // The levels that stay at or above 0, and the largest step down that keeps them all there.
            long fit = (long) Math.floor(start / -increment) + 1;
            String fewer = fit >= 2 ? "give levels = " + fit + " or fewer, or " : "give ";
            reporter.error(
                    site,
                    site.explicit("increment"),
                    "@Step(increment) " + inc + " takes level " + levels + " to " + TrialSpec.formatRate(last)
                            + " requests/s, below 0: "
                            + (start > 0
                                    ? fewer + "a smaller step down, e.g. increment = -"
                                            + TrialSpec.formatRate(roundDown(start / (levels - 1)))
                                    : "a step test from start = 0 can only climb: give increment > 0, e.g."
                                            + " increment = 10"));
            return false;
        }
        if (last > Limits.MAX_RATE) {
            long fit = (long) Math.floor((Limits.MAX_RATE - start) / increment) + 1;
            double room = roundDown((Limits.MAX_RATE - start) / (levels - 1));
            reporter.error(
                    site,
                    site.explicit("increment"),
                    "@Step(increment) " + inc + " takes level " + levels + " to " + TrialSpec.formatRate(last)
                            + " requests/s, above " + (long) Limits.MAX_RATE + " (Limits.MAX_RATE): "
                            + (fit >= 2 ? "give levels = " + fit + " or fewer, or " : "give ")
                            + (room > 0
                                    ? "a smaller increment, e.g. increment = " + TrialSpec.formatRate(room)
                                    : "a negative increment to step down from start, e.g. increment = -10"));
            return false;
        }
        return true;
    }

    /** {@code value} rounded down to two significant digits, so that it stays within the bound. */
    private static double roundDown(double value) {
        return new java.math.BigDecimal(value)
                .round(new java.math.MathContext(2, java.math.RoundingMode.FLOOR))
                .doubleValue();
    }

    /** {@code @Spike}: a peak above the base. */
    boolean spike(AnnotationSite site, double base, double peak) {
        if (!(rate(site, "base", base, false) & rate(site, "peak", peak, true))) {
            return false;
        }
        if (peak > base) {
            return true;
        }
        String b = TrialSpec.formatRate(base);
        String p = TrialSpec.formatRate(peak);
        reporter.error(
                site,
                site.explicit("peak"),
                peak == base
                        ? "@Spike(peak) " + p + " requests/s equals base, so nothing spikes: give a peak above "
                                + b + ", e.g. peak = " + TrialSpec.formatRate(base * 10) + ", or for a constant"
                                + " rate write @Soak(rate = " + b + ", duration = ...)"
                        : "@Spike(peak) " + p + " requests/s is below base (" + b + "): a spike rises above its"
                                + " base rate; were they swapped? write base = " + p + ", peak = " + b);
        return false;
    }

    /** Whether some stage that lasts has a rate above 0 at its start or end (the shape's integral is above 0). */
    private static boolean sendsAny(double startRate, List<RateStage> stages) {
        double from = startRate;
        for (RateStage s : stages) {
            if (!s.duration().isZero() && (from > 0 || s.toRate() > 0)) {
                return true;
            }
            from = s.toRate();
        }
        return false;
    }

    private static String soak(String rate, String duration) {
        return "@Soak(rate = " + rate + ", duration = \"" + duration + "\")";
    }
}
