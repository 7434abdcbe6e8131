/**
 * Compares result files: {@code llmh compare BASE... -- CONTENDER...}. Trials are matched by id;
 * each metric gets a direction-aware ratio (or, for the error rate, a difference) with a confidence
 * interval (from the runs' own values when each side has several runs, else a bootstrap of the
 * requests) and a verdict against a noise threshold. Entry points: {@link
 * dev.llmharness.runtime.compare.Comparison#compare} from code, {@link
 * dev.llmharness.runtime.compare.CompareCommand} from the command line. The method is described in
 * {@code docs/compare.md}.
 */
package dev.llmharness.runtime.compare;
