package dev.llmharness.runtime.run;

import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.TrialSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Run-time changes to every trial (CLI options and {@code llmh.*} system properties).
 *
 * @param duration replaces the measurement window (as a duration), or {@code null}
 * @param durationScale multiplies timed warmup and measurement lengths, {@code > 0}
 * @param rateScale multiplies open-loop rates, {@code > 0}; the trial's {@code rate} parameter
 *     and id keep the declared rate, the result's load section shows the rate run
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
        LoadModel load = t.load();
        if (load instanceof OpenLoopModel open && rateScale != 1.0) {
            load = new OpenLoopModel(open.arrival(), open.rate() * rateScale, open.maxInFlight());
        }
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

    private Phase scale(Phase p) {
        if (p.countsRequests() || durationScale == 1.0) {
            return p;
        }
        return Phase.ofDuration(Duration.ofNanos(Math.round(p.duration().toNanos() * durationScale)));
    }
}
