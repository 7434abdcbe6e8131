package dev.llmharness.runtime.run;

import dev.llmharness.api.DurationText;
import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.TraceLoadModel;
import dev.llmharness.api.spi.TrialSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Run-time changes to every trial (CLI options and {@code llmh.*} system properties).
 *
 * @param duration replaces the measurement window (as a duration), or {@code null}
 * @param durationScale multiplies timed warmup and measurement lengths, {@code > 0}
 * @param rateScale multiplies open-loop rates (a trace's speed-up), {@code > 0}; the trial's
 *     parameters and id keep the declared values, the result's load section shows the load run
 * @param seed replaces every trial's seed, or {@code null}
 * @param warmup replaces the warmup phase, or {@code null}
 */
public record TrialOverrides(Duration duration, double durationScale, double rateScale, Long seed, Phase warmup) {
    /** No change. */
    public static final TrialOverrides NONE = new TrialOverrides(null, 1.0, 1.0, null, null);

    public TrialOverrides {
        if (!(durationScale > 0) || Double.isInfinite(durationScale)) {
            throw new IllegalArgumentException("durationScale must be finite and > 0, got " + durationScale);
        }
        if (!(rateScale > 0) || Double.isInfinite(rateScale)) {
            throw new IllegalArgumentException("rateScale must be finite and > 0, got " + rateScale);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration must be > 0, got " + duration);
        }
    }

    /** The trial as it will run. */
    public TrialSpec apply(TrialSpec t) {
        Phase measurement = duration != null ? Phase.ofDuration(duration) : scale(t.measurement());
        Phase warm = warmup != null ? warmup : scale(t.warmup());
        LoadModel load = t.load().scaled(rateScale);
        measurement = shapedWindow(load, warm, measurement);
        Map<String, String> params = new LinkedHashMap<>(t.params());
        return new TrialSpec(
                t.benchmark(),
                params,
                load,
                warm,
                measurement,
                t.drainTimeout(),
                t.workload(),
                t.endpoint(),
                t.slo(),
                seed != null ? seed : t.seed());
    }

    /**
     * A load that ends by itself is measured to its end: the window is the load's length after a
     * timed warmup (the declared window is ignored); a trace, whose length is known once read, is
     * measured until its last request. A counted window keeps its count.
     */
    static Phase shapedWindow(LoadModel load, Phase warmup, Phase measurement) {
        if (measurement.countsRequests()) {
            return measurement;
        }
        if (load instanceof TraceLoadModel) {
            return Phase.ofDuration(TRACE_WINDOW);
        }
        Duration length = load.length().orElse(null);
        if (length == null) {
            return measurement;
        }
        Duration warm = warmup.countsRequests() ? Duration.ZERO : warmup.duration();
        if (warm.compareTo(length) >= 0) {
            throw new IllegalArgumentException("the warmup (" + DurationText.format(warm)
                    + ") is as long as the whole load (" + DurationText.format(length)
                    + "): shorten the warmup so that some of the shape is measured");
        }
        return Phase.ofDuration(length.minus(warm));
    }

    /** The window of a trace: longer than any replay, so that the trace's end ends it. */
    static final Duration TRACE_WINDOW = Duration.ofDays(365);

    private Phase scale(Phase p) {
        if (p.countsRequests() || durationScale == 1.0) {
            return p;
        }
        return Phase.ofDuration(Duration.ofNanos(Math.round(p.duration().toNanos() * durationScale)));
    }
}
