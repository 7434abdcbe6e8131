package dev.llmharness.runtime.observe;

import dev.llmharness.api.Cost;
import dev.llmharness.api.Limits;
import dev.llmharness.runtime.result.TrialResult;
import java.util.Locale;

/**
 * An instance price and how a deployment uses it; {@link #of} prices a trial's throughput.
 *
 * @param allocation how the price is charged
 * @param instancePricePerHour price of one instance per hour (> 0)
 * @param gpusPerInstance GPUs one instance has, 1 to {@link Limits#MAX_GPUS}
 * @param gpusUsed GPUs one replica uses, 1 to {@link Limits#MAX_GPUS}
 * @param utilization share of each used GPU charged, in (0, 1]
 * @param replicas replicas serving the load, 1 to {@link Limits#MAX_REPLICAS}
 */
public record CostModel(
        Cost.Allocation allocation,
        double instancePricePerHour,
        int gpusPerInstance,
        int gpusUsed,
        double utilization,
        int replicas) {

    public CostModel {
        if (!(instancePricePerHour > 0) || Double.isInfinite(instancePricePerHour)) {
            throw new IllegalArgumentException("the instance price per hour must be > 0, got " + instancePricePerHour);
        }
        requireCount("gpusPerInstance", "the GPUs one instance has", gpusPerInstance, Limits.MAX_GPUS);
        requireCount("gpusUsed", "the GPUs one replica uses", gpusUsed, Limits.MAX_GPUS);
        if (!(utilization > 0 && utilization <= 1)) {
            throw new IllegalArgumentException("the GPU utilisation must be in (0, 1], got " + utilization);
        }
        requireCount("replicas", "the replicas serving the load", replicas, Limits.MAX_REPLICAS);
    }

    /** The processor's bound on a count of {@code @Cost}, for a count from the annotation or an option. */
    private static void requireCount(String what, String counts, int value, int max) {
        String outside = Limits.outsideCostCount(what, counts, value, max);
        if (outside != null) {
            throw new IllegalArgumentException(outside);
        }
    }

    /** The model an annotation declares. */
    public static CostModel of(Cost c) {
        return new CostModel(
                c.allocation(),
                c.instancePricePerHour(),
                c.gpusPerInstance(),
                c.gpusUsed(),
                c.utilization(),
                c.replicas());
    }

    /**
     * What the deployment costs per hour. Proportional: price / GPUs per instance x utilisation x
     * GPUs used x replicas. Full instance: price x the instances one replica's GPUs occupy x
     * replicas.
     */
    public double costPerHour() {
        return switch (allocation) {
            case PROPORTIONAL -> instancePricePerHour / gpusPerInstance * utilization * gpusUsed * replicas;
            case FULL_INSTANCE -> instancePricePerHour * Math.ceil((double) gpusUsed / gpusPerInstance) * replicas;
        };
    }

    /** The allocation's name in results: {@code proportional} or {@code full-instance}. */
    public String allocationName() {
        return allocation.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Prices a trial's measured throughput. */
    public dev.llmharness.runtime.result.Cost price(TrialResult.Throughput throughput) {
        double perHour = costPerHour();
        double tokensPerHour = throughput.outputTokensPerSecond() * 3600;
        double requestsPerHour = throughput.requestsPerSecond() * 3600;
        return new dev.llmharness.runtime.result.Cost(
                allocationName(),
                instancePricePerHour,
                gpusPerInstance,
                gpusUsed,
                utilization,
                replicas,
                round(perHour),
                tokensPerHour > 0 ? round(perHour / tokensPerHour * 1_000_000) : null,
                requestsPerHour > 0 ? round(perHour / requestsPerHour * 1_000) : null,
                tokensPerHour > 0 ? round(tokensPerHour / perHour) : null);
    }

    /** Six significant digits: enough for any price, without floating-point noise in the file. */
    private static double round(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).doubleValue();
    }
}
