package dev.llmharness.runtime.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.Channel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What every connection of one server shares: configuration, engine, counters, ground truth. */
final class SimContext {
    private static final long FAULT_SALT = 0x6A09E667F3BCC909L;

    final SimConfig config;
    final Engine engine;
    final SimMetrics metrics = new SimMetrics();
    final GroundTruthLog groundTruth;
    final ObjectMapper json = new ObjectMapper();
    /** Open client connections, closed by {@link SimServer#close()}. */
    final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    /** Client connections accepted since the server started. */
    final AtomicLong accepted = new AtomicLong();
    /** The model name as a JSON string literal, quotes included. */
    final String modelJson;

    /** When the server started, for {@link SimConfig#loading()}. */
    private final long startedNanos = System.nanoTime();

    private final AtomicLong responseIds = new AtomicLong();
    private final AtomicLong faultDraws = new AtomicLong();

    SimContext(SimConfig config, Engine engine) {
        this.config = config;
        this.engine = engine;
        this.groundTruth = new GroundTruthLog(config.groundTruthCapacity());
        try {
            this.modelJson = json.writeValueAsString(config.model());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new response id: {@code chatcmpl-} or {@code cmpl-} then 16 hex digits, counting from 1. */
    String nextResponseId(boolean chat) {
        String hex = Long.toHexString(responseIds.incrementAndGet());
        return (chat ? "chatcmpl-" : "cmpl-") + "0".repeat(16 - hex.length()) + hex;
    }

    /** Whether the server still poses as loading its model ({@link SimConfig#loading()}). */
    boolean loading() {
        return System.nanoTime() - startedNanos < config.loading().toNanos();
    }

    /** The {@code created} field: the configured value, or now in epoch seconds. */
    long created() {
        long fixed = config.createdEpochSeconds();
        return fixed > 0 ? fixed : System.currentTimeMillis() / 1000;
    }

    /**
     * The run-level fault for the next request without an {@code X-Llmh-Fault} header, or null.
     * Draws are seeded and counted in arrival order, so a run with the same seed and the same order
     * of requests injects the same faults.
     */
    Fault drawFault() {
        Map<FaultKind, Double> rates = config.faultRates();
        if (rates.isEmpty()) {
            return null;
        }
        long bits = TextModel.mix(config.seed() ^ FAULT_SALT, faultDraws.incrementAndGet());
        double u = (bits >>> 11) * 0x1.0p-53;
        double cumulative = 0;
        for (Map.Entry<FaultKind, Double> e : rates.entrySet()) {
            cumulative += e.getValue();
            if (u < cumulative) {
                return Fault.of(e.getKey());
            }
        }
        return null;
    }
}
