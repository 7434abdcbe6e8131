package dev.llmharness.api.spi;

import java.util.Objects;

/**
 * Open-loop load replaying the arrival times of a recorded trace (an Azure LLM inference trace
 * CSV or a Mooncake JSONL; see docs/load.md). The trial's load ends after the trace's last request.
 *
 * @param path the trace file, or a {@code classpath:} resource; a relative path is relative to the
 *     benchmark module's base directory ({@code llmh.baseDir}: the processor's option, the run's
 *     system property; see docs/load.md), the same at compile time and at run time; its format
 *     follows its extension ({@code .csv} Azure, {@code .jsonl} Mooncake)
 * @param speedup time compression, in [{@link dev.llmharness.api.Limits#MIN_SPEEDUP}, {@link
 *     dev.llmharness.api.Limits#MAX_SPEEDUP}]: 2 replays twice as fast
 * @param maxInFlight cap on requests in flight, {@code 0} for none, at most {@link
 *     dev.llmharness.api.Limits#MAX_CONCURRENCY}
 * @param lengths whether each request takes its input and output lengths from the trace (a row
 *     without them keeps the trial's workload); else the prompts come from the workload alone
 */
public record TraceLoadModel(String path, double speedup, int maxInFlight, boolean lengths) implements LoadModel {
    /** A replay of the trace's arrival times only. */
    public TraceLoadModel(String path, double speedup, int maxInFlight) {
        this(path, speedup, maxInFlight, false);
    }

    public TraceLoadModel {
        Objects.requireNonNull(path, "path");
        if (path.isBlank()) {
            throw new IllegalArgumentException("a trace needs a file path");
        }
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        if (!lower.endsWith(".csv") && !lower.endsWith(".jsonl")) {
            throw new IllegalArgumentException("trace file " + path + ": name it .csv (Azure LLM inference trace:"
                    + " TIMESTAMP,ContextTokens,GeneratedTokens) or .jsonl (Mooncake trace: timestamp,"
                    + " input_length, output_length)");
        }
        String outside = dev.llmharness.api.Limits.outsideSpeedup("a trace's speedup", speedup);
        if (outside != null) {
            throw new IllegalArgumentException(outside);
        }
        OpenLoopModel.checkMaxInFlight(maxInFlight);
    }

    /** The file name without its directories: the trial's {@code trace} parameter. */
    public String fileName() {
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf(':')) + 1);
    }

    /** {@code trace=<file name>}. */
    @Override
    public LoadId id() {
        return new LoadId(LoadId.TRACE, fileName());
    }

    @Override
    public String describe() {
        return "trace " + path + (speedup == 1.0 ? "" : " ×" + TrialSpec.formatRate(speedup))
                + OpenLoopModel.inFlight(maxInFlight) + (lengths ? " with its lengths" : "");
    }

    @Override
    public TraceLoadModel scaled(double factor) {
        LoadModel.checkScale(factor);
        return factor == 1.0 ? this : new TraceLoadModel(path, speedup * factor, maxInFlight, lengths);
    }

    /**
     * Unchanged: a trace's time is its file's, and compressing it is its speedup, which {@link
     * #scaled} ({@code --rate-scale}) sets; {@link #durationScaleNotApplied} says so.
     */
    @Override
    public TraceLoadModel scaledTime(double factor) {
        LoadModel.checkTimeScale(factor);
        return this;
    }

    /** Empty: its speed-up is what {@code --rate-scale} multiplies. */
    @Override
    public java.util.Optional<String> rateScaleNotApplied(double factor) {
        return java.util.Optional.empty();
    }

    /**
     * A trace keeps its recorded time: scaling it is its speed-up, which {@code --rate-scale} sets;
     * the message names the {@code --rate-scale} that gives about the time asked for ({@code 1 /
     * factor}, to 2 significant digits).
     */
    @Override
    public java.util.Optional<String> durationScaleNotApplied(double factor) {
        LoadModel.checkTimeScale(factor);
        double rateScale = new java.math.BigDecimal(1 / factor)
                .round(new java.math.MathContext(2, java.math.RoundingMode.HALF_EVEN))
                .doubleValue();
        return java.util.Optional.of("does not shorten a trace, which keeps its recorded time: scaling a trace's"
                + " time is its speedup, which --rate-scale sets (--rate-scale " + TrialSpec.formatRate(rateScale)
                + " replays it in " + TrialSpec.formatRate(factor) + " of its time, and scales every other rate"
                + " too)");
    }

    /** The in-flight cap, or 10,000 (the rate is known only once the trace is read). */
    @Override
    public int peakConcurrency() {
        return maxInFlight > 0 ? maxInFlight : 10_000;
    }

    @Override
    public boolean windowEndsWithLastRequest() {
        return true;
    }

    @Override
    public java.util.Optional<String> tracePath() {
        return java.util.Optional.of(path);
    }

    @Override
    public java.util.Optional<String> traceLengths() {
        return lengths ? java.util.Optional.of(path) : java.util.Optional.empty();
    }

    /** Unknown before the trace is read: its arrivals set the rate. */
    @Override
    public java.util.OptionalInt peakInFlight(java.time.Duration perRequest) {
        return java.util.OptionalInt.empty();
    }

    /** Unknown before the trace is read: its arrivals are in its file. */
    @Override
    public java.util.OptionalDouble expectedArrivals(java.time.Duration from, java.time.Duration to) {
        return java.util.OptionalDouble.empty();
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.trace(this);
    }
}
