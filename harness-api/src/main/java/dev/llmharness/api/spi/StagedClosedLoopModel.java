package dev.llmharness.api.spi;

import dev.llmharness.api.DurationText;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Closed-loop load whose number of workers changes over time: from {@code startWorkers}, each
 * stage goes linearly to its target over its duration; worker {@code k} (from 0) runs while the
 * target exceeds {@code k}, finishing its request when the target drops below it. With {@code
 * holdLast}, the last target holds until the measurement window ends; otherwise the load ends with
 * the last stage.
 *
 * @param shape {@link #RAMP} or {@link #STAGES}: the name of the shape in results, and for stages
 *     the trial's {@code load} parameter; distinct from every rate shape's name, so that a result's
 *     load names its kind by its shape alone
 * @param startWorkers workers at the start, {@code >= 0} and at most {@link
 *     dev.llmharness.api.Limits#MAX_CONCURRENCY}
 * @param stages at least one
 * @param holdLast whether the last target holds until the window ends
 * @param thinkTime pause between a worker's requests, {@code >= 0}
 */
public record StagedClosedLoopModel(
        String shape, int startWorkers, List<WorkerStage> stages, boolean holdLast, Duration thinkTime)
        implements LoadModel {
    /** The shape of workers ramped up, then held ({@code @ClosedLoop(rampUp)}). */
    public static final String RAMP = "worker-ramp";

    /**
     * The shape of stages of workers ({@code @WorkerStages}). Result files written before it was
     * named so call it {@code stages}, as an open loop's rate stages are; the reader renames them.
     */
    public static final String STAGES = "worker-stages";

    public StagedClosedLoopModel {
        Objects.requireNonNull(shape, "shape");
        if (startWorkers < 0) {
            throw new IllegalArgumentException("the starting concurrency must be >= 0, got " + startWorkers);
        }
        String tooMany = dev.llmharness.api.Limits.aboveMaxConcurrency("the starting concurrency", startWorkers);
        if (tooMany != null) {
            throw new IllegalArgumentException(tooMany);
        }
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a concurrency shape needs at least one stage");
        }
        if (thinkTime.isNegative()) {
            throw new IllegalArgumentException("thinkTime must be >= 0, got " + thinkTime);
        }
        boolean work = holdLast && stages.get(stages.size() - 1).toWorkers() > 0;
        int from = startWorkers;
        for (WorkerStage s : stages) {
            work |= !s.duration().isZero() && (from > 0 || s.toWorkers() > 0);
            from = s.toWorkers();
        }
        if (!work) {
            throw new IllegalArgumentException("a concurrency shape must run at least one worker for some time");
        }
    }

    /** {@code workers} started evenly over {@code rampUp} (worker k at k·rampUp/workers), then held. */
    public static StagedClosedLoopModel rampUp(int workers, Duration rampUp, Duration thinkTime) {
        if (workers < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, got " + workers);
        }
        return new StagedClosedLoopModel(RAMP, 0, List.of(new WorkerStage(rampUp, workers)), true, thinkTime);
    }

    /** Stages of concurrency; the load ends with the last stage. */
    public static StagedClosedLoopModel stages(int startWorkers, List<WorkerStage> stages, Duration thinkTime) {
        return new StagedClosedLoopModel(STAGES, startWorkers, stages, false, thinkTime);
    }

    /** The stages' total length when the load ends with them; empty when the last target holds. */
    @Override
    public java.util.Optional<Duration> length() {
        if (holdLast) {
            return java.util.Optional.empty();
        }
        Duration total = Duration.ZERO;
        for (WorkerStage s : stages) {
            total = total.plus(s.duration());
        }
        return java.util.Optional.of(total);
    }

    /** The most workers ever running at once. */
    public int peakWorkers() {
        int peak = startWorkers;
        for (WorkerStage s : stages) {
            peak = Math.max(peak, s.toWorkers());
        }
        return peak;
    }

    /**
     * Workers ramped up and then held ({@link #rampUp}) are {@code concurrency=<workers>}, as the
     * same workers started at once are ({@code @ClosedLoop(concurrency, rampUp)}: the ramp is how
     * they start, as arrivals are how a rate's requests are spaced); stages of workers are {@code
     * load=<shape>}.
     */
    @Override
    public LoadId id() {
        return holdLast
                ? new LoadId(LoadId.CONCURRENCY, Integer.toString(peakWorkers()))
                : new LoadId(LoadId.LOAD, shape);
    }

    @Override
    public String describe() {
        // "closed stages", not "closed worker-stages": the word closed already says whose stages.
        String word = shape.startsWith("worker-") ? shape.substring("worker-".length()) : shape;
        StringBuilder b = new StringBuilder("closed ").append(word).append(' ').append(startWorkers);
        for (WorkerStage s : stages) {
            b.append(s.duration().isZero() ? " ⇒ " : " → ").append(s.toWorkers());
            if (!s.duration().isZero()) {
                b.append(" over ").append(DurationText.format(s.duration()));
            }
        }
        return b.append(" workers")
                .append(holdLast ? ", then held" : "")
                .append(think(thinkTime))
                .toString();
    }

    /** Unchanged: a closed loop has no rate to multiply ({@link #rateScaleNotApplied}). */
    @Override
    public StagedClosedLoopModel scaled(double factor) {
        LoadModel.checkScale(factor);
        return this;
    }

    /**
     * Always: its rate follows the server's speed; its knob is its workers (the concurrency of
     * {@code @ClosedLoop} for a ramp-up, the targets of {@code @WorkerStages}).
     */
    @Override
    public java.util.Optional<String> rateScaleNotApplied(double factor) {
        LoadModel.checkScale(factor);
        return java.util.Optional.of(LoadModel.closedLoopHasNoRate(
                describe(), holdLast ? "@ClosedLoop(concurrency)" : "the targets of its @WorkerStages"));
    }

    /** Empty: {@link #scaledTime} scales every stage (a ramp-up too). */
    @Override
    public java.util.Optional<String> durationScaleNotApplied(double factor) {
        return java.util.Optional.empty();
    }

    /** Every stage's duration (a ramp-up's too) times {@code factor}, its workers unchanged. */
    @Override
    public StagedClosedLoopModel scaledTime(double factor) {
        LoadModel.checkTimeScale(factor);
        if (factor == 1.0) {
            return this;
        }
        java.util.List<WorkerStage> scaled = new java.util.ArrayList<>();
        for (WorkerStage s : stages) {
            scaled.add(new WorkerStage(LoadModel.scaleDuration("a stage", s.duration(), factor), s.toWorkers()));
        }
        return new StagedClosedLoopModel(shape, startWorkers, scaled, holdLast, thinkTime);
    }

    @Override
    public int peakConcurrency() {
        return Math.max(1, peakWorkers());
    }

    /** Its most workers at once ({@link #peakWorkers()}), at least 1. */
    @Override
    public java.util.OptionalInt peakInFlight(Duration perRequest) {
        return java.util.OptionalInt.of(peakConcurrency());
    }

    /** Unknown: a closed loop's requests follow the server's speed. */
    @Override
    public java.util.OptionalDouble expectedArrivals(Duration from, Duration to) {
        return java.util.OptionalDouble.empty();
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.stagedClosed(this);
    }

    static String think(Duration thinkTime) {
        return thinkTime.isZero() ? "" : ", think " + DurationText.format(thinkTime);
    }
}
