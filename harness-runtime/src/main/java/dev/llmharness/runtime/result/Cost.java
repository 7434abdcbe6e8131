package dev.llmharness.runtime.result;

/**
 * What the measured throughput costs, from an instance price (see {@code docs/observability.md}).
 *
 * @param allocation {@code "proportional"}: instance price / GPUs per instance x utilisation x GPUs
 *     used x replicas, for a share of a cluster; {@code "full-instance"}: the price of every
 *     instance the GPUs used occupy, x replicas, for dedicated nodes
 * @param instancePricePerHour price of one instance per hour, in the currency of the price
 * @param gpusPerInstance GPUs one instance has
 * @param gpusUsed GPUs one replica uses
 * @param utilization share of each used GPU the deployment is charged for, 0..1 (vLLM's {@code
 *     --gpu-memory-utilization}); only proportional allocation applies it
 * @param replicas replicas serving the load
 * @param costPerHour what the deployment costs per hour
 * @param costPerMillionOutputTokens cost of one million output tokens at the measured throughput,
 *     {@code null} when nothing was generated
 * @param costPerThousandRequests cost of 1,000 completed requests, {@code null} when none completed
 * @param outputTokensPerDollar output tokens one unit of currency buys
 */
public record Cost(
        String allocation,
        double instancePricePerHour,
        int gpusPerInstance,
        int gpusUsed,
        double utilization,
        int replicas,
        double costPerHour,
        Double costPerMillionOutputTokens,
        Double costPerThousandRequests,
        Double outputTokensPerDollar) {}
