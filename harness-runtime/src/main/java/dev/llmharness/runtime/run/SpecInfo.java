package dev.llmharness.runtime.run;

import dev.llmharness.api.DurationText;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.ClosedLoopModel;
import dev.llmharness.api.spi.DatasetWorkload;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.ShapedLoadModel;
import dev.llmharness.api.spi.StagedClosedLoopModel;
import dev.llmharness.api.spi.TraceLoadModel;
import dev.llmharness.api.spi.Workload;
import dev.llmharness.runtime.result.TrialResult;

/**
 * What a trial's result says it declared: its load model ({@code load}), its prompts ({@code
 * workload}) and its phases ({@code window.declared...}). The only place that turns a spec's load,
 * workload and phases into the result's records, so that every trial (run, sweep, capacity,
 * selfbench) describes them the same way.
 */
final class SpecInfo {
    private SpecInfo() {}

    /** The result's record of a load model: rates in requests per second, think time in milliseconds. */
    static TrialResult.LoadInfo load(LoadModel load) {
        String description = load.describe();
        return load.accept(new LoadModel.Visitor<TrialResult.LoadInfo>() {
            @Override
            public TrialResult.LoadInfo open(OpenLoopModel o) {
                return new TrialResult.LoadInfo(
                        "open",
                        o.arrival().name(),
                        o.rate(),
                        o.maxInFlight(),
                        null,
                        null,
                        null,
                        o.burstiness(),
                        description);
            }

            @Override
            public TrialResult.LoadInfo shaped(ShapedLoadModel o) {
                return new TrialResult.LoadInfo(
                        "open",
                        o.arrival().name(),
                        o.peakRate(),
                        o.maxInFlight(),
                        null,
                        null,
                        o.shape(),
                        o.burstiness(),
                        description);
            }

            @Override
            public TrialResult.LoadInfo trace(TraceLoadModel o) {
                return new TrialResult.LoadInfo(
                        "open", null, null, o.maxInFlight(), null, null, "trace", null, description);
            }

            @Override
            public TrialResult.LoadInfo closed(ClosedLoopModel c) {
                return new TrialResult.LoadInfo(
                        "closed",
                        null,
                        null,
                        null,
                        c.concurrency(),
                        c.thinkTime().toNanos() / 1e6,
                        null,
                        null,
                        description);
            }

            @Override
            public TrialResult.LoadInfo stagedClosed(StagedClosedLoopModel c) {
                return new TrialResult.LoadInfo(
                        "closed",
                        null,
                        null,
                        null,
                        c.peakWorkers(),
                        c.thinkTime().toNanos() / 1e6,
                        c.shape(),
                        null,
                        description);
            }
        });
    }

    /**
     * The result's record of a workload: a shape's preset and lengths in tokens ({@code "CHAT:
     * input 256, output 128"}), or a dataset's format and path.
     */
    static TrialResult.WorkloadInfo workload(Workload workload) {
        if (workload instanceof ShapeWorkload s) {
            String text = (s.preset() == ShapePreset.NONE ? "" : s.preset().name() + ": ") + "input "
                    + length(s.input()) + ", output " + length(s.output());
            return new TrialResult.WorkloadInfo("shape", text, s.encoding());
        }
        DatasetWorkload d = (DatasetWorkload) workload;
        return new TrialResult.WorkloadInfo("dataset", d.format().name() + " " + d.path(), d.encoding());
    }

    /**
     * The result's record of a declared phase ({@code window.declaredWarmup}, {@code
     * window.declaredMeasurement}): a duration in the annotations' syntax ({@code "12s"}, {@code
     * "1m30s"}, {@code "0s"} for none) or {@code "<n> requests"}.
     */
    static String phase(Phase phase) {
        return phase.countsRequests() ? phase.requests() + " requests" : DurationText.format(phase.duration());
    }

    private static String length(LengthSpec l) {
        return switch (l.distribution()) {
            case FIXED -> Integer.toString(l.value());
            case UNIFORM -> "uniform " + l.min() + ".." + l.max();
            case NORMAL -> "normal " + l.value() + "±" + l.stddev() + " in " + l.min() + ".." + l.max();
            case EMPIRICAL -> "empirical " + l.min() + ".." + l.max();
        };
    }
}
