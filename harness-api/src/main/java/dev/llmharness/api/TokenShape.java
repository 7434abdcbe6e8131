package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Synthetic workload: prompts of an exact token count under {@link #encoding()}, generated from a
 * seeded text source, and output lengths enforced with {@code max_tokens} plus {@code ignore_eos} /
 * {@code min_tokens} where the API supports them.
 *
 * <p>Give either a {@link #preset()} or {@link #input()} and {@link #output()}. For {@link
 * Distribution#FIXED} and {@link Distribution#NORMAL}, the values of {@code input} / {@code output}
 * are the count or the mean; for {@link Distribution#UNIFORM} they are ignored and {@code min} /
 * {@code max} bound the range. An array with several values makes one trial per value (trial
 * parameters {@code input} and {@code output}).
 *
 * <p>Without {@code @TokenShape} and without {@link Dataset}, a benchmark uses {@link
 * ShapePreset#CHAT}. {@code @TokenShape} and {@code @Dataset} may only be combined when a length
 * distribution is {@link Distribution#EMPIRICAL}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface TokenShape {
    /** A named shape; {@link ShapePreset#NONE} (the default) means {@code input}/{@code output} apply. */
    ShapePreset preset() default ShapePreset.NONE;

    /**
     * Prompt lengths (or means) in tokens, each in {@code [1, 1048576]} ({@link Limits#MAX_TOKENS}),
     * none twice; one trial per value.
     */
    int[] input() default {};

    /** How the prompt length varies. Default {@link Distribution#FIXED}. */
    Distribution inputDistribution() default Distribution.FIXED;

    /** Lower bound of the prompt length in tokens (UNIFORM, NORMAL), {@code >= 1}. */
    int inputMin() default 1;

    /**
     * Upper bound of the prompt length in tokens (UNIFORM, NORMAL), {@code >= inputMin}, at most
     * {@link Limits#MAX_TOKENS} for UNIFORM; equal to {@code inputMin} under UNIFORM is warned about.
     */
    int inputMax() default Integer.MAX_VALUE;

    /**
     * Standard deviation of the prompt length in tokens (NORMAL), finite and {@code >= 0}; 0 with
     * NORMAL is warned about, as it gives every request the mean.
     */
    double inputStddev() default 0;

    /** Output lengths (or means) in tokens, as {@link #input()}; one trial per value. */
    int[] output() default {};

    /** How the output length varies. Default {@link Distribution#FIXED}. */
    Distribution outputDistribution() default Distribution.FIXED;

    /** Lower bound of the output length in tokens (UNIFORM, NORMAL), {@code >= 1}. */
    int outputMin() default 1;

    /** Upper bound of the output length in tokens (UNIFORM, NORMAL), {@code >= outputMin}. */
    int outputMax() default Integer.MAX_VALUE;

    /** Standard deviation of the output length in tokens (NORMAL), {@code >= 0}. */
    double outputStddev() default 0;

    /**
     * Tokens at the start of every prompt that are identical across requests (to exercise prefix
     * caching); counted within the prompt length, so it must be below the smallest prompt length.
     * Default {@code 0}.
     */
    int sharedPrefix() default 0;

    /**
     * Whether the output length is enforced ({@code ignore_eos} / {@code min_tokens}) or only
     * capped ({@code max_tokens}). Default {@code true}: TPOT and throughput figures are only
     * comparable when every request generates the same number of tokens.
     */
    boolean exactOutput() default true;

    /** Tokenizer encoding that prompt lengths are exact under. Default {@link Defaults#ENCODING}. */
    String encoding() default Defaults.ENCODING;
}
