package dev.llmharness.runtime.gate;

import dev.llmharness.runtime.compare.ComparisonReport;

/**
 * The last line of a gate's log, after its comparison: what the comparison decided, in its own
 * words, and why the exit code is what it is. A build log is read from its end, and a gate that
 * ended "no gated regression" while twenty gated metrics could not be decided would say the
 * opposite of what the report above it says. The only place that words it, for {@code llmh gate}
 * and the bench profile's gate ({@link BenchGate}).
 */
final class GateVerdict {
    private GateVerdict() {}

    /**
     * The line, without the command's prefix.
     *
     * @param report the comparison, {@code null} when the comparison refused its input (its own
     *     message is above)
     * @param compareCode the comparison's exit code
     * @param against what was compared, e.g. {@code "3 base runs, 3 contender runs"}
     */
    static String line(ComparisonReport report, int compareCode, String against) {
        if (report == null || compareCode == ComparisonReport.EXIT_INPUT_ERROR) {
            return "FAILED: llmh compare could not compare the results (exit code " + compareCode
                    + "; its message is above)";
        }
        if (compareCode == ComparisonReport.EXIT_INCOMPARABLE) {
            return "FAILED: the environments differ and --strict is set (llmh compare exit code 3; the differences"
                    + " are listed above)";
        }
        int undecided = report.summary().gatedInconclusive();
        if (compareCode == ComparisonReport.EXIT_REGRESSION) {
            if (report.summary().gatedRegressions() > 0) {
                return "FAILED: " + report.headline() + " (" + against + ")";
            }
            return "FAILED under --fail-on inconclusive: " + undecided + " gated metric" + (undecided == 1 ? "" : "s")
                    + " could not be decided (" + against + "; listed above)";
        }
        if (report.summary().gatedRegressions() > 0) {
            return "passed under --fail-on never: " + report.headline() + " (" + against + ")";
        }
        if (undecided > 0) {
            return "passed: " + report.headline() + " (" + against + "; listed above: a change there within the"
                    + " intervals would go unnoticed; --fail-on inconclusive fails on them)";
        }
        return "passed: " + report.headline() + " (" + against + ")";
    }
}
