package dev.llmharness.api.spi;

/** Latency metrics an SLO can bound. */
public enum SloMetric {
    /** Time to first token, from intended start. */
    TTFT,
    /** Time per output token after the first. */
    TPOT,
    /** Inter-token latency, one value per gap between content events. */
    ITL,
    /** End-to-end latency, intended start to last token. */
    E2E
}
