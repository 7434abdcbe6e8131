package dev.llmharness.runtime.selfbench;

import dev.llmharness.api.DurationText;
import dev.llmharness.runtime.sim.SimConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A simulator setup a self-benchmark runs against.
 *
 * @param preset {@code zero} (no latency: every token written at once) or {@code fixed-itl}
 *     (constant TTFT and ITL)
 * @param ttft fixed-itl: time to first token, {@code > 0}; ignored for zero
 * @param itl fixed-itl: inter-token latency, {@code > 0}; ignored for zero
 * @param rates open-loop steps against this setup, requests/s, rising; empty: the configuration's
 *     {@code rates}
 */
public record SimSetup(String preset, Duration ttft, Duration itl, List<Double> rates) {
    public SimSetup {
        Objects.requireNonNull(preset, "preset");
        rates = List.copyOf(rates);
        if (!preset.equals("zero") && !preset.equals("fixed-itl")) {
            throw new IllegalArgumentException(
                    "selfbench runs against the simulator presets zero or fixed-itl, got \"" + preset + "\"");
        }
        if (preset.equals("fixed-itl") && (ttft.isNegative() || ttft.isZero() || itl.isNegative() || itl.isZero())) {
            throw new IllegalArgumentException("fixed-itl needs --ttft and --itl > 0, got " + ttft + " and " + itl);
        }
    }

    /** A setup run at the configuration's rates. */
    public SimSetup(String preset, Duration ttft, Duration itl) {
        this(preset, ttft, itl, List.of());
    }

    /** A copy run at its own open-loop rates (empty: the configuration's). */
    public SimSetup withRates(List<Double> stepRates) {
        return new SimSetup(preset, ttft, itl, stepRates);
    }

    /** The zero-latency simulator. */
    public static SimSetup zero() {
        return new SimSetup("zero", Duration.ZERO, Duration.ZERO);
    }

    /** The fixed-latency simulator. */
    public static SimSetup fixedItl(Duration ttft, Duration itl) {
        return new SimSetup("fixed-itl", ttft, itl);
    }

    /** Whether the simulator's latencies are known in advance (fixed-itl). */
    public boolean fixed() {
        return preset.equals("fixed-itl");
    }

    /** How results name it, e.g. {@code fixed-itl(ttft=20ms, itl=20ms)}. */
    public String label() {
        return fixed()
                ? preset + "(ttft=" + DurationText.format(ttft) + ", itl=" + DurationText.format(itl) + ")"
                : preset;
    }

    /**
     * Time from request receipt to its last token on an idle simulator, ns: {@code ttft + (n - 1) x
     * itl} (fixed-itl), 0 (zero).
     */
    long requestNanos(int outputTokens) {
        return fixed() ? ttft.toNanos() + (outputTokens - 1L) * itl.toNanos() : 0L;
    }

    /**
     * The simulator configuration: ground truth kept for {@code groundTruthCapacity} requests
     * (drained after every step).
     */
    SimConfig simConfig(int groundTruthCapacity) {
        SimConfig.Builder b = SimConfig.preset(preset).toBuilder().groundTruthCapacity(groundTruthCapacity);
        if (fixed()) {
            b.fixedTtft(ttft).fixedItl(itl);
        }
        return b.build();
    }
}
