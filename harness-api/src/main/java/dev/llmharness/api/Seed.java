package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The seed of every random choice in a trial: arrival instants, prompts and token lengths. The
 * same seed gives the same run. Without this annotation, {@link Defaults#SEED}; overridden at run
 * time by {@code -Dllmh.seed}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Seed {
    /** The seed; any value. */
    long value();
}
