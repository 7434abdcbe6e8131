/**
 * The result model: one {@link dev.llmharness.runtime.result.RunResult} per run, written as JSON
 * (schema in {@code docs/results.md}), plus merge and per-request CSV. Values a run could not
 * measure are {@code null}, never NaN. Latency summaries are in milliseconds; the histograms they
 * come from are kept whole (nanoseconds, compressed, base64) so that files merge and compare
 * without loss.
 */
package dev.llmharness.runtime.result;
