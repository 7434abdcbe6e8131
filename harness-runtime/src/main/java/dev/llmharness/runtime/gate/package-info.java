/**
 * The regression gate a CI job runs: {@code llmh gate} runs the benchmarks (N runs, interleaved with
 * the base's when it produces both sides), compares with the baseline and exits non-zero on a gated
 * regression; {@code llmh promote} makes a result the baseline, refusing one the harness marked as
 * unfit. The Maven {@code bench} profile calls the same code.
 */
package dev.llmharness.runtime.gate;
