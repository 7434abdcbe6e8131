package dev.llmharness.runtime.cli;

import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.run.PlannedTrial;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Finds the benchmark suites on the class path and selects trials by regex. */
final class SuiteSelection {
    private SuiteSelection() {}

    /** Every suite registered under {@code META-INF/services}, by class name. */
    static List<BenchmarkSuite> discover() {
        List<BenchmarkSuite> suites = new ArrayList<>();
        ServiceLoader.load(BenchmarkSuite.class).forEach(suites::add);
        suites.sort(Comparator.comparing(BenchmarkSuite::benchmarkClass));
        return suites;
    }

    /**
     * The trials whose id contains a match of {@code include} (as JMH does: {@code find}, not
     * {@code matches}), in suite and declaration order.
     *
     * @throws IllegalArgumentException when the regex is invalid
     */
    static List<PlannedTrial> select(List<BenchmarkSuite> suites, String include) {
        Pattern p;
        try {
            p = Pattern.compile(include == null || include.isBlank() ? ".*" : include);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--include / llmh.include is not a valid regular expression: "
                    + e.getDescription() + " in \"" + include + "\"");
        }
        List<PlannedTrial> out = new ArrayList<>();
        for (BenchmarkSuite s : suites) {
            for (TrialSpec t : s.trials()) {
                if (p.matcher(t.id()).find()) {
                    out.add(new PlannedTrial(s, t));
                }
            }
        }
        return out;
    }
}
