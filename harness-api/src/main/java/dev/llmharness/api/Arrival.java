package dev.llmharness.api;

/** How an open-loop schedule spaces its request start instants. */
public enum Arrival {
    /** Evenly spaced: the i-th request starts at {@code i / rate} seconds after the trial start. */
    CONSTANT,
    /** Exponentially distributed gaps with mean {@code 1 / rate} seconds, drawn from the seed. */
    POISSON
}
