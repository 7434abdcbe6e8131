package dev.llmharness.runtime.observe;

import dev.llmharness.api.Cost;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A run's observability, checked.
 *
 * @param scrapeTarget scrape the target's {@code /metrics} when it serves one
 * @param scrapeUrls endpoints given with {@code --scrape} (then the target's is not added)
 * @param scrapeInterval time between scrapes
 * @param push the Pushgateway, or {@code null}
 * @param pushJob its job
 * @param pushInstance its instance label
 * @param pushInterval time between pushes
 * @param pushAuth {@code user:password}, or {@code null}
 * @param metricsPort the live port, {@code 0} for a free one, {@code -1} for none
 * @param cost cost values given as options or properties
 */
public record ObserveSettings(
        boolean scrapeTarget,
        List<URI> scrapeUrls,
        Duration scrapeInterval,
        URI push,
        String pushJob,
        String pushInstance,
        Duration pushInterval,
        String pushAuth,
        int metricsPort,
        CostOverrides cost) {

    /** Scrape the target's {@code /metrics} when it serves one; nothing else. */
    public static ObserveSettings defaults() {
        return new ObserveSettings(
                true,
                List.of(),
                Duration.ofSeconds(1),
                null,
                "llmh",
                "localhost",
                Duration.ofSeconds(5),
                null,
                -1,
                new CostOverrides(null, null, null, null, null, null));
    }

    /** Nothing at all: no scrape, push, port or cost. */
    public static ObserveSettings none() {
        return new ObserveSettings(
                false,
                List.of(),
                Duration.ofSeconds(1),
                null,
                "llmh",
                "localhost",
                Duration.ofSeconds(5),
                null,
                -1,
                new CostOverrides(null, null, null, null, null, null));
    }

    /** Cost values from options or properties; each {@code null} where not given. */
    public record CostOverrides(
            Double instancePrice,
            Integer gpusPerInstance,
            Integer gpusUsed,
            Double utilization,
            Integer replicas,
            Cost.Allocation allocation) {

        /**
         * The cost model: these values over the annotation's; {@code null} when neither gives a
         * price.
         *
         * @throws IllegalArgumentException when a value is out of range
         */
        public CostModel over(Cost annotation) {
            if (instancePrice == null && annotation == null) {
                return null;
            }
            return new CostModel(
                    allocation != null
                            ? allocation
                            : annotation != null ? annotation.allocation() : Cost.Allocation.PROPORTIONAL,
                    instancePrice != null ? instancePrice : annotation.instancePricePerHour(),
                    gpusPerInstance != null ? gpusPerInstance : annotation != null ? annotation.gpusPerInstance() : 1,
                    gpusUsed != null ? gpusUsed : annotation != null ? annotation.gpusUsed() : 1,
                    utilization != null ? utilization : annotation != null ? annotation.utilization() : 1.0,
                    replicas != null ? replicas : annotation != null ? annotation.replicas() : 1);
        }
    }
}
