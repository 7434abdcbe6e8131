package dev.llmharness.runtime.report;

import dev.llmharness.runtime.compare.ComparisonReport;
import dev.llmharness.runtime.result.TrialResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every rendering of a report (HTML, Markdown, exports) is made from: the inputs, their
 * Automatic Analysis, and the comparisons of each later input with the first.
 *
 * @param inputs the result files, the first is the base of comparisons
 * @param findings the Automatic Analysis of each input, same order as {@code inputs}
 * @param comparisons one per input after the first: the first against it; empty for one input
 */
public record ReportModel(
        List<ReportInput> inputs, List<List<Analysis.Finding>> findings, List<ComparisonReport> comparisons) {

    /** Trial ids in order of first appearance over the inputs. */
    public List<String> trialIds() {
        List<String> ids = new ArrayList<>();
        for (ReportInput in : inputs) {
            for (TrialResult t : in.result().trials()) {
                if (!ids.contains(t.id())) {
                    ids.add(t.id());
                }
            }
        }
        return ids;
    }

    /** The inputs that hold trial {@code id}, each with its index. */
    List<ChartData.Part> parts(String id) {
        List<ChartData.Part> parts = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            for (TrialResult t : inputs.get(i).result().trials()) {
                if (t.id().equals(id)) {
                    parts.add(new ChartData.Part(i, inputs.get(i).label(), t));
                }
            }
        }
        return parts;
    }

    /**
     * The sweeps of the inputs (trials at constant open-loop rates that differ only in their rate,
     * see {@link dev.llmharness.runtime.capacity.CapacityCurve#sweepsOf}), by name in order of first
     * appearance, each with every input that ran it.
     */
    Map<String, List<ChartData.SweepPart>> sweeps() {
        Map<String, List<ChartData.SweepPart>> by = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            for (dev.llmharness.runtime.capacity.CapacityCurve c :
                    dev.llmharness.runtime.capacity.CapacityCurve.sweepsOf(
                            inputs.get(i).result().trials())) {
                by.computeIfAbsent(c.name(), k -> new ArrayList<>())
                        .add(new ChartData.SweepPart(i, inputs.get(i).label(), c));
            }
        }
        return by;
    }

    /** Every chart of the HTML report in page order: the sweeps', then trial by trial. */
    public List<Chart> charts() {
        List<Chart> charts = new ArrayList<>();
        int k = 0;
        for (List<ChartData.SweepPart> parts : sweeps().values()) {
            charts.addAll(ChartData.sweepCharts("s" + k++ + "-", parts));
        }
        List<String> ids = trialIds();
        for (int i = 0; i < ids.size(); i++) {
            charts.addAll(ChartData.trialCharts("t" + i + "-", parts(ids.get(i))));
        }
        return charts;
    }

    /** Findings of input {@code input} grouped by trial id, in order. */
    Map<String, List<Analysis.Finding>> findingsByTrial(int input) {
        Map<String, List<Analysis.Finding>> by = new LinkedHashMap<>();
        for (Analysis.Finding f : findings.get(input)) {
            by.computeIfAbsent(f.trial(), k -> new ArrayList<>()).add(f);
        }
        return by;
    }
}
