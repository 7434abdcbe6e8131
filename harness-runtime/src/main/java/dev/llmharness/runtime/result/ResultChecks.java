package dev.llmharness.runtime.result;

import java.util.Map;

/**
 * Checks that a result read from a file has every part that merge and compare rely on. The JSON
 * reader accepts {@code null} for any object (records cannot tell absent from null), so a file
 * that lost a field would otherwise fail later with a bare NullPointerException.
 */
public final class ResultChecks {
    private ResultChecks() {}

    /**
     * @param source the file name, used in the message
     * @throws ResultFormatException naming the file, the trial and the missing field
     */
    public static void requireComplete(RunResult result, String source) {
        require(result.run(), source, "run");
        require(result.target(), source, "target");
        for (TrialResult t : result.trials()) {
            require(t, source, "trials[]");
            require(t.id(), source, "trials[].id");
            String where = "trial " + t.id() + ": ";
            require(t.window(), source, where + "window");
            require(t.counts(), source, where + "counts");
            require(t.tokens(), source, where + "tokens");
            require(t.throughput(), source, where + "throughput");
            require(t.metrics(), source, where + "metrics");
            require(t.slo(), source, where + "slo");
            require(t.timeline(), source, where + "timeline");
            require(t.warnings(), source, where + "warnings");
            for (Map.Entry<String, MetricResult> m : t.metrics().entrySet()) {
                require(m.getValue(), source, where + "metrics." + m.getKey());
                require(m.getValue().histogram(), source, where + "metrics." + m.getKey() + ".histogram");
                require(m.getValue().histogramUnit(), source, where + "metrics." + m.getKey() + ".histogramUnit");
            }
        }
    }

    private static void require(Object value, String source, String field) {
        if (value == null) {
            throw new ResultFormatException(source + " lacks " + field
                    + ": the file is incomplete or was edited; re-run the benchmark or restore the file");
        }
    }
}
