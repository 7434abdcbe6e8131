package dev.llmharness.runtime.cli;

import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.capacity.PointRunner;
import dev.llmharness.runtime.capacity.ReleaseGate;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.run.TargetResolver;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmh release-gate}: the STEP, SPIKE and SOAK preset ({@link ReleaseGate}) of one trial
 * at the rate a release must sustain, with its SLOs, and one verdict with the reasons.
 */
@Command(
        name = "release-gate",
        mixinStandardHelpOptions = true,
        description = {
            "Run a step, a spike and a soak test of one trial at --rate against its SLOs; one verdict.",
            "Exit codes: 0 pass, 1 a test missed the SLO, 2 usage, 3 run error, 130 interrupted."
        })
public final class ReleaseGateCommand extends CapacityCommand {
    @Option(names = "--rate", required = true, description = "The rate the release must sustain, requests/s.")
    double rate;

    @Option(
            names = "--level",
            defaultValue = "30s",
            description = "Each step level, and the time at the rate around the spike. Default: 30s.")
    String level;

    @Option(
            names = "--spike-factor",
            defaultValue = "2",
            description = "The spike's peak as a multiple of --rate, above 1. Default: 2.")
    double spikeFactor;

    @Option(names = "--spike-hold", defaultValue = "10s", description = "Time at the spike's peak. Default: 10s.")
    String spikeHold;

    @Option(names = "--soak", defaultValue = "5m", description = "The soak test's length. Default: 5m.")
    String soak;

    @Option(names = "--window", defaultValue = "10s", description = "Window of the per-window SLO check. Default: 10s.")
    String window;

    @Option(
            names = "--windows-met",
            defaultValue = "100%",
            description = "Share of windows that must meet the SLO in each test. Default: 100%%.")
    String windowsMet;

    @Option(
            names = "--min-throughput",
            defaultValue = "90%",
            description = {
                "Share of the offered requests each window of a test must complete (the server kept up),",
                "in [0, 100%%]; 0%% turns the objective off. Default: 90%%."
            })
    String minThroughput;

    public ReleaseGateCommand() {}

    /** With the collaborators given (tests). */
    public ReleaseGateCommand(
            Supplier<List<BenchmarkSuite>> suites,
            Function<TrialSpec, PromptSource> prompts,
            Supplier<TargetResolver.EmbeddedTarget> simulator,
            Function<TrialSpec, TokenCounter> tokenCounters,
            Function<String, String> environment) {
        super(suites, prompts, simulator, tokenCounters, environment);
    }

    @Override
    String name() {
        return "release-gate";
    }

    @Override
    int capacity(Template template, PointRunner runner, PrintStream out) throws Exception {
        ReleaseGate gate = gate();
        if (template.withSlo().slo().bounds().isEmpty()) {
            throw new IllegalArgumentException("the release gate judges " + template.subject()
                    + " by its SLOs, and it has no latency objective: add @Slo(ttft = \"p99 <= 2s\") to it or give"
                    + " --slo \"ttft p99 <= 2s\"");
        }
        out.println("release gate " + template.subject() + " at " + TrialSpec.formatRate(rate) + " req/s");
        List<ReleaseGate.Verdict> verdicts = new ArrayList<>();
        for (TrialSpec test : gate.trials(template.withSlo())) {
            out.println(
                    "  running " + test.load().id().value() + ": " + test.load().describe());
            TrialResult r = runner.run(template.suite(), template.declared(), test);
            if (r == null) {
                return Llmh.INTERRUPTED;
            }
            verdicts.add(gate.judge(r));
        }
        boolean passed = verdicts.stream().allMatch(ReleaseGate.Verdict::passed);
        out.println("release gate: " + (passed ? "PASS" : "FAIL"));
        for (ReleaseGate.Verdict v : verdicts) {
            out.println(v.line());
        }
        return passed ? Llmh.OK : Llmh.SLO_FAILED;
    }

    private ReleaseGate gate() {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw OptionText.invalid(spec, "--rate", rate, "give a finite rate > 0 requests/s");
        }
        // A factor of 1 would run a flat "spike" at --rate, a soak under the spike test's name.
        if (!(spikeFactor > 1) || Double.isInfinite(spikeFactor)) {
            throw OptionText.invalid(
                    spec,
                    "--spike-factor",
                    spikeFactor,
                    "the spike's peak is --rate times it, so give a finite factor above 1, e.g. 2");
        }
        // The spike's peak is the highest rate the gate runs; checked before the step test runs.
        String tooHigh = dev.llmharness.api.Limits.aboveMaxRate("--rate times --spike-factor", rate * spikeFactor);
        if (tooHigh != null) {
            throw OptionText.invalid(spec, "--rate", rate, tooHigh);
        }
        java.time.Duration w = OptionText.duration(spec, "--window", window, false);
        if (w.toNanos() % 1_000_000_000L != 0) {
            throw OptionText.invalid(spec, "--window", window, "give whole seconds, e.g. 10s");
        }
        java.time.Duration levelLength = OptionText.duration(spec, "--level", level, false);
        java.time.Duration hold = OptionText.duration(spec, "--spike-hold", spikeHold, false);
        java.time.Duration soakLength = OptionText.duration(spec, "--soak", soak, false);
        // Each test is measured over its whole shape (no warmup): a window longer than a test fits
        // not once, and its per-window figure would be the whole test's under another name.
        java.util.Map<String, java.time.Duration> tests = new java.util.LinkedHashMap<>();
        tests.put("the step test (4 x --level)", levelLength.multipliedBy(4));
        tests.put(
                "the spike test (2 x --level + --spike-hold)",
                levelLength.multipliedBy(2).plus(hold));
        tests.put("the soak test (--soak)", soakLength);
        for (java.util.Map.Entry<String, java.time.Duration> test : tests.entrySet()) {
            if (w.compareTo(test.getValue()) > 0) {
                throw OptionText.invalid(
                        spec,
                        "--window",
                        window,
                        "it is longer than the " + dev.llmharness.api.DurationText.format(test.getValue()) + " of "
                                + test.getKey() + ", so no whole window fits: give --window "
                                + Math.max(1, test.getValue().getSeconds()) + "s or shorter, or lengthen the test");
            }
        }
        return new ReleaseGate(
                rate,
                levelLength,
                spikeFactor,
                hold,
                soakLength,
                (int) w.toSeconds(),
                share("--windows-met", windowsMet, false, "95%"),
                share("--min-throughput", minThroughput, true, "90%"));
    }

    /**
     * A share written as a percentage ({@code 95%}) or a fraction ({@code 0.95}), in (0, 1], or [0,
     * 1] when {@code zero} is allowed.
     */
    private double share(String option, String text, boolean zero, String example) {
        String t = text.strip();
        try {
            double v =
                    t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
            if ((zero ? v >= 0 : v > 0) && v <= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw OptionText.invalid(
                spec,
                option,
                text,
                "write a percentage in " + (zero ? "[0" : "(0") + ", 100%], e.g. " + example
                        + (zero ? ", or 0% for no floor" : ""));
    }
}
