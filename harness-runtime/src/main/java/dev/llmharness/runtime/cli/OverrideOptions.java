package dev.llmharness.runtime.cli;

import dev.llmharness.api.spi.Phase;
import dev.llmharness.runtime.run.TrialOverrides;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options that change every trial before it runs ({@code --duration}, {@code
 * --duration-scale}, {@code --rate-scale}, {@code --seed}, {@code --warmup}, {@code
 * --max-error-rate}), each also a system property: one mixin for {@code llmh run} and {@code llmh
 * list}, so that the trials {@code list} shows with the same options are the trials {@code run}
 * runs ({@link TrialOverrides#apply}), never a copy of its rules.
 */
final class OverrideOptions {
    @Option(
            names = "--duration",
            defaultValue = "${sys:llmh.duration}",
            description = "Replaces every measurement window, e.g. 30s (llmh.duration); a load shape or a trace"
                    + " has none and refuses it: use --duration-scale.")
    String duration;

    @Option(
            names = "--duration-scale",
            defaultValue = "${sys:llmh.durationScale:-1}",
            description = "Multiplies timed warmups and windows, and every phase of a load shape, rates kept"
                    + " (llmh.durationScale). Default: 1.")
    double durationScale;

    @Option(
            names = "--rate-scale",
            defaultValue = "${sys:llmh.rateScale:-1}",
            description = "Multiplies open-loop rates and a trace's speed-up (llmh.rateScale); a closed loop has"
                    + " no rate and runs as declared, with a warning. Default: 1.")
    double rateScale;

    @Option(
            names = "--seed",
            defaultValue = "${sys:llmh.seed}",
            description = "Replaces every trial's seed (llmh.seed).")
    Long seed;

    @Option(
            names = "--warmup",
            defaultValue = "${sys:llmh.warmup}",
            description = "Replaces every warmup: a duration (10s), a request count (50req) or none (llmh.warmup).")
    String warmup;

    @Option(
            names = "--max-error-rate",
            defaultValue = "${sys:llmh.maxErrorRate}",
            description = "Error-rate objective of trials whose @Slo sets none: 5%% (default), 0.02, or none"
                    + " (llmh.maxErrorRate).")
    String maxErrorRate;

    /**
     * The overrides these options give, every value checked: a bad one is one line naming the
     * option or its property (exit code 2).
     *
     * @param spec the command the options are mixed into, for the messages
     */
    TrialOverrides toOverrides(CommandLine.Model.CommandSpec spec) {
        return new TrialOverrides(
                OptionText.duration(spec, "--duration", duration, false),
                OptionText.positive(spec, "--duration-scale", durationScale),
                OptionText.positive(spec, "--rate-scale", rateScale),
                seed,
                warmup == null ? null : warmup(spec),
                TrialOverrides.parseMaxErrorRate(maxErrorRate));
    }

    private Phase warmup(CommandLine.Model.CommandSpec spec) {
        Phase p;
        try {
            p = RunCommand.parseWarmup(warmup);
        } catch (IllegalArgumentException e) {
            throw OptionText.invalid(
                    spec, "--warmup", warmup, "write a duration (10s), a request count (50req) or none");
        }
        String tooMany =
                p.countsRequests() ? dev.llmharness.api.Limits.aboveMaxRequests("a count", p.requests()) : null;
        if (tooMany != null) {
            throw OptionText.invalid(spec, "--warmup", warmup.strip(), tooMany + ": check the digits");
        }
        return p;
    }
}
