package dev.llmharness.processor;

/**
 * One configuration annotation found on a class or method, with its parsed value; {@code value} is
 * {@code null} when the annotation is invalid (its errors are already reported), so that merging
 * still knows the annotation was there and reports nothing more about it.
 */
record Decl<T>(AnnotationSite site, T value) {
    boolean valid() {
        return value != null;
    }
}
