package dev.llmharness.api.spi;

import java.util.Objects;

/**
 * Open-loop load replaying the arrival times of a recorded trace (an Azure LLM inference trace
 * CSV or a Mooncake JSONL; see docs/load.md). The trial's load ends after the trace's last request.
 *
 * @param path the trace file, relative to the working directory, or a {@code classpath:} resource;
 *     its format follows its extension ({@code .csv} Azure, {@code .jsonl} Mooncake)
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
     * #scaled} ({@code --rate-scale}) sets; the runtime says so when {@code --duration-scale} is
     * given.
     */
    @Override
    public TraceLoadModel scaledTime(double factor) {
        LoadModel.checkTimeScale(factor);
        return this;
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
