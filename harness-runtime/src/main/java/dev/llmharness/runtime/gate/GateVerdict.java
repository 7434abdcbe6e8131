package dev.llmharness.runtime.gate;

import dev.llmharness.runtime.compare.ComparisonReport;
import java.util.List;

/**
 * The last line of a gate's log, after its comparison: what the comparison decided, in its own
 * words, and why the exit code is what it is. A build log is read from its end, and a gate that
 * ended "no gated regression" while twenty gated metrics could not be decided, or while a baseline
 * trial was never compared, would say the opposite of what the report above it says: the line
 * counts everything the gate left unjudged ({@link ComparisonReport#unjudged()}). The only place
 * that words it, for {@code llmh gate} and the bench profile's gate ({@link BenchGate}).
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
        List<String> unjudged = report.unjudged();
        String listed = unjudged.isEmpty() ? "" : "; listed above";
        if (compareCode == ComparisonReport.EXIT_REGRESSION) {
            if (report.summary().gatedRegressions() > 0) {
                return "FAILED: " + report.headline() + " (" + against + listed + ")";
            }
            // Only what the gate could not judge failed it: say that, not "NO GATED REGRESSION".
            return "FAILED under --fail-on inconclusive: " + String.join("; ", unjudged) + " (" + against + listed
                    + ")";
        }
        if (report.summary().gatedRegressions() > 0) {
            return "passed under --fail-on never: " + report.headline() + " (" + against + listed + ")";
        }
        if (report.summary().gatedInconclusive() > 0 || !report.onlyInBase().isEmpty()) {
            return "passed: " + report.headline() + " (" + against + "; listed above: a regression there would go"
                    + " unnoticed; --fail-on inconclusive fails on what could not be decided or was not compared)";
        }
        return "passed: " + report.headline() + " (" + against + listed + ")";
    }
}
