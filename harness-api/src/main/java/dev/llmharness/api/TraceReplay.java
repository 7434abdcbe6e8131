package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Open-loop load replaying the arrival times of a recorded request trace, then ending. Formats, by
 * file extension: {@code .csv}, the Azure LLM inference traces (header {@code
 * TIMESTAMP,ContextTokens,GeneratedTokens}); {@code .jsonl}, the Mooncake traces (fields {@code
 * timestamp} in ms, {@code input_length}, {@code output_length}). One trial (parameter {@code
 * trace=<file name>}). {@code --rate-scale} multiplies the speed-up.
 *
 * <pre>{@code @TraceReplay(path = "classpath:traces/azure-sample.csv", speedup = 4)}</pre>
 *
 * <p>A public trace replays the same way once downloaded (docs/load.md says where), e.g. {@code
 * path = "traces/AzureLLMInferenceTrace_conv.csv"}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface TraceReplay {
    /**
     * The trace file, or a {@code classpath:} resource; not blank, named {@code .csv} or {@code
     * .jsonl} (its format). A relative path is relative to the benchmark module's base directory
     * (the directory of its {@code pom.xml}), at compile time and at run time alike: the
     * processor's option {@code -Allmh.baseDir}, else the directory above the source that holds a
     * build file; the run's system property {@code llmh.baseDir} (the Maven plugin sets it), else
     * the working directory (docs/load.md). When the processor can read it at compile time (a
     * file that is there, or a resource on the build's class path), a timed
     * warmup must be shorter than the replay, and a per-window SLO's window must fit in what is
     * left; otherwise the run checks the same before any load.
     */
    String path();

    /**
     * Time compression: 2 replays twice as fast, 0.5 at half speed; from {@link Limits#MIN_SPEEDUP}
     * (0.001) to {@link Limits#MAX_SPEEDUP} (1000), times {@code --rate-scale}. Default 1.
     */
    double speedup() default 1.0;

    /** Cap on requests in flight, {@code 0} (the default) for none, else at most {@link Limits#MAX_CONCURRENCY}. */
    int maxInFlight() default 0;

    /**
     * Whether each request takes its input and output lengths from the trace ({@code
     * ContextTokens}/{@code GeneratedTokens}, {@code input_length}/{@code output_length}): a
     * synthetic prompt of that many tokens asking for that many. A row without them keeps the
     * trial's {@code @TokenShape} or {@code @Dataset} (the run warns how many); a trace with no
     * lengths at all is refused before any load. Default {@code false}: arrival times only.
     */
    boolean lengths() default false;
}
