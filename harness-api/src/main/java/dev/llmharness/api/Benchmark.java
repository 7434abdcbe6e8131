package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a benchmark: the runtime calls it once per request, on the request path, to
 * build the request from a sampled {@link Prompt}.
 *
 * <p>The method must be {@code public}, not {@code static}, take either no parameter or one {@link
 * Prompt}, and return {@link ChatRequest}, {@link CompletionRequest} or {@link LlmRequest}. Its name
 * must be unique within its class. It is called concurrently from many threads, so it must not
 * mutate shared state, and it must be cheap: the runtime measures how long it takes and warns when
 * it is not.
 *
 * <p>Load, phase, workload, endpoint, SLO and seed annotations on the method override those on the
 * class; exactly one load model ({@link OpenLoop} or {@link ClosedLoop}) must apply after merging.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Benchmark {}
