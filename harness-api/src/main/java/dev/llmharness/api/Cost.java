package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What the server a benchmark class measures costs, so that results show the cost per million
 * output tokens, per 1,000 requests and the tokens one unit of currency buys. The run's options
 * ({@code --instance-price}...) or properties ({@code llmh.cost.instancePrice}...) override it.
 * The processor rejects impossible values at compile time. {@code docs/observability.md} has a
 * worked example.
 *
 * <pre>{@code
 * @Cost(instancePricePerHour = 98.32, gpusPerInstance = 8, gpusUsed = 1, utilization = 0.6)
 * public class ChatBench { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Cost {
    /** Price of one instance per hour, in any currency (> 0). */
    double instancePricePerHour();

    /** GPUs one instance has (>= 1). */
    int gpusPerInstance() default 1;

    /** GPUs one replica of the server uses (>= 1). */
    int gpusUsed() default 1;

    /**
     * Share of each used GPU the deployment is charged for, in (0, 1], for example vLLM's {@code
     * --gpu-memory-utilization}; only {@link Allocation#PROPORTIONAL} applies it.
     */
    double utilization() default 1.0;

    /** Replicas serving the load (>= 1). */
    int replicas() default 1;

    /** How the instance's price is charged to the deployment. */
    Allocation allocation() default Allocation.PROPORTIONAL;

    /** How an instance's price is charged to a deployment. */
    enum Allocation {
        /**
         * A share of a cluster: instance price / GPUs per instance x utilisation x GPUs used x
         * replicas.
         */
        PROPORTIONAL,
        /** Dedicated nodes: every instance the used GPUs occupy, at its full price, x replicas. */
        FULL_INSTANCE
    }
}
