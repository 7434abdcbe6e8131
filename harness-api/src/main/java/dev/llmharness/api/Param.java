package dev.llmharness.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A benchmark parameter: each value is one trial, crossed with every other parameter and every
 * array-valued load and shape attribute, as JMH does. The field is set before the trial starts.
 *
 * <p>The field must not be {@code private}, {@code final} or {@code static}. Its type is {@code
 * String}, a primitive or its box, or an enum; each value must convert to it ({@code
 * Integer.parseInt}, {@code Double.parseDouble}, {@code Boolean.parseBoolean} accepting only
 * "true"/"false", {@code Enum.valueOf}). The names {@code rate}, {@code concurrency}, {@code input}
 * and {@code output} are reserved for load and shape parameters.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Param {
    /** The values, at least one, each convertible to the field's type. */
    String[] value();
}
