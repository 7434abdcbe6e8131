package dev.llmharness.processor;

import dev.llmharness.api.Distribution;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.DatasetWorkload;
import dev.llmharness.api.spi.EndpointSpec;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.SloSpec;
import java.time.Duration;
import java.util.List;

/**
 * The configuration annotations declared on one element, the benchmark class (defaults) or one
 * benchmark method (overrides). Each field is {@code null} when its annotation is absent.
 */
record Level(
        Decl<Load> load,
        Decl<Phase> warmup,
        Decl<Window> measurement,
        Decl<Shape> shape,
        Decl<DatasetWorkload> dataset,
        Decl<EndpointSpec> endpoint,
        Decl<SloSpec> slo,
        Decl<Long> seed,
        Decl<java.util.Map<String, String>> analysis) {

    /** Whether a workload annotation ({@code @TokenShape} or {@code @Dataset}) is declared here. */
    boolean declaresWorkload() {
        return shape != null || dataset != null;
    }

    /**
     * The load annotation's trials: one load model per value of its array.
     *
     * @param paramName {@code rate} or {@code concurrency}
     * @param paramValues the trial parameter value of each model, as trial ids show it
     * @param models the load models, same order and size as {@code paramValues}
     */
    record Load(String paramName, List<String> paramValues, List<LoadModel> models) {}

    /** The measurement window and the drain timeout after it. */
    record Window(Phase phase, Duration drainTimeout) {}

    /**
     * A token shape before expansion: one length spec per value of {@code input} and {@code
     * output}.
     *
     * @param inputListed whether {@code input} lists several values (then {@code input} is a trial
     *     parameter)
     * @param outputListed the same for {@code output}
     */
    record Shape(
            ShapePreset preset,
            List<LengthSpec> inputs,
            boolean inputListed,
            List<LengthSpec> outputs,
            boolean outputListed,
            int sharedPrefix,
            boolean exactOutput,
            String encoding) {

        boolean empirical() {
            return inputs.get(0).distribution() == Distribution.EMPIRICAL
                    || outputs.get(0).distribution() == Distribution.EMPIRICAL;
        }
    }
}
