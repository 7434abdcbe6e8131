package dev.llmharness.runtime.selfbench;

import dev.llmharness.api.Arrival;
import dev.llmharness.api.DurationText;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapedLoadModel;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.metrics.Outcome;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.report.ConsoleReport;
import dev.llmharness.runtime.result.HarnessLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The spike method (docs/performance.md, "Spike"): one trial of the real engine whose open-loop
 * rate is {@code base} requests/s through the warmup and for {@code phase}, jumps at once to {@code
 * peak} for {@code phase}, and returns at once to {@code base} for {@code phase} ({@link
 * ShapedLoadModel#spike}, the shape of {@code @Spike}). Its requests are split by intended start
 * into four phases, each reported as a point of the peers' method and judged by the same targets:
 * {@code before}, {@code jump} (the first {@link #JUMP} of the peak, or half of it when shorter:
 * threads and connections are made there), {@code hold} (the rest of the peak) and {@code after}.
 *
 * @param base requests/s before and after the spike, {@code > 0}
 * @param peak requests/s of the spike, {@code > base}
 * @param warmup at the base rate before the {@code before} phase, not reported ({@code >= 0})
 * @param phase length of {@code before}, of the peak ({@code jump} and {@code hold}) and of {@code
 *     after}, {@code > 0}
 */
public record SpikePlan(double base, double peak, Duration warmup, Duration phase) {
    /** How much of the peak the {@code jump} phase covers, at most: 1 s. */
    public static final Duration JUMP = Duration.ofSeconds(1);

    /** The phases' names, in order. */
    public static final List<String> PHASES = List.of("before", "jump", "hold", "after");

    public SpikePlan {
        if (!(base > 0) || !(peak > base) || Double.isInfinite(peak)) {
            throw new IllegalArgumentException(
                    "--method spike takes --rates BASE,PEAK with 0 < BASE < PEAK, got " + base + "," + peak);
        }
        if (warmup.isNegative() || phase.isNegative() || phase.isZero()) {
            throw new IllegalArgumentException("--step must be > 0 and --warmup >= 0, got " + phase + ", " + warmup);
        }
    }

    /** The plan of {@code config} against {@code setup}: its two rates are the base and the peak. */
    static SpikePlan of(SelfBenchConfig config, SimSetup setup) {
        List<Double> rates = config.ratesFor(setup);
        return new SpikePlan(rates.get(0), rates.get(1), config.warmup(), config.step());
    }

    /**
     * One phase: its name, its rate, and the intended starts it covers, {@code [from, to)} ns after
     * the trial start.
     */
    record Part(String name, double rate, long fromNanos, long toNanos) {
        double seconds() {
            return (toNanos - fromNanos) / 1e9;
        }
    }

    /** The four phases, in order. */
    List<Part> parts() {
        long w = warmup.toNanos();
        long p = phase.toNanos();
        long jump = Math.min(JUMP.toNanos(), p / 2);
        return List.of(
                new Part(PHASES.get(0), base, w, w + p),
                new Part(PHASES.get(1), peak, w + p, w + p + jump),
                new Part(PHASES.get(2), peak, w + p + jump, w + 2 * p),
                new Part(PHASES.get(3), base, w + 2 * p, w + 3 * p));
    }

    /** The trial's load: the spike, with no rise or fall. */
    ShapedLoadModel model(Arrival arrival) {
        return ShapedLoadModel.spike(
                arrival, 1, base, peak, warmup.plus(phase), Duration.ZERO, phase, Duration.ZERO, phase, 0);
    }

    /**
     * Runs the spike against the runner's simulator and judges every phase with {@code
     * config.criteria()}.
     *
     * @param onPhase sees each phase's verdict, in order, after the trial
     */
    SeriesResult run(StepRunner runner, SimSetup setup, SelfBenchConfig config, Consumer<StepResult> onPhase)
            throws InterruptedException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("sim", setup.label());
        params.put("load", "spike");
        long requestNanos = setup.requestNanos(config.outputTokens());
        int inFlight = (int) Math.min(20_000, Math.ceil(peak * (requestNanos / 1e9 + 1)));
        ShapedLoadModel model = model(config.arrival());
        Duration measured = model.duration().minus(warmup);
        StepRunner.TrialRun run = runner.trial(
                model,
                params,
                warmup.isZero() ? Phase.NONE : Phase.ofDuration(warmup),
                Phase.ofDuration(measured),
                inFlight);
        double loadAverage = StepRunner.loadAverage();
        // Connections opened before the spike (--preopen) and those its requests still had to open.
        runner.note(setup.label() + ": connections "
                + ConsoleReport.connections(run.result().window().connections()));
        List<StepResult> phases = new ArrayList<>();
        boolean missed = false;
        for (Part part : parts()) {
            StepFigures f = figures(part, setup, run, requestNanos, config.outputTokens(), loadAverage);
            StepResult r = new StepResult(f, config.criteria().problems(f));
            missed |= !r.clean();
            phases.add(r);
            onPhase.accept(r);
        }
        return new SeriesResult(setup.label(), "spike", phases, null, missed);
    }

    /**
     * One phase's figures from the trial's request records: the phase's requests are those whose
     * intended start falls in it. Offered is their number per second of the phase; achieved the
     * requests completed per second over the phase shifted by the simulator's own request duration
     * ({@link SimSetup#requestNanos}: 0 for zero), so that a phase is credited with the completions
     * its own load causes. Peak threads are the sampler's within the phase; the connections open at
     * the trial's end stand for every phase; context switches and run-queue wait are not split by
     * phase ({@code NaN}).
     */
    static StepFigures figures(
            Part part,
            SimSetup setup,
            StepRunner.TrialRun run,
            long requestNanos,
            int outputTokens,
            double loadAverage) {
        long from = run.trialStart() + part.fromNanos();
        long to = run.trialStart() + part.toNanos();
        List<RequestTiming> mine = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        LongSamples lag = new LongSamples();
        LongSamples build = new LongSamples();
        long completed = 0;
        long late = 0;
        for (RequestTiming t : run.timings()) {
            long intended = t.intendedStart();
            if (intended - from >= 0 && intended - to < 0) {
                mine.add(t);
                ids.add(Long.toString(t.index()));
                if (t.isSent()) {
                    lag.add(t.sent() - intended);
                    late += HarnessLimit.isLate(t.sent() - intended) ? 1 : 0;
                }
                if (t.buildNanos() >= 0) {
                    build.add(t.buildNanos());
                }
            }
            if (t.outcome() == Outcome.COMPLETED) {
                long end = t.end() - requestNanos;
                if (end - from >= 0 && end - to < 0) {
                    completed++;
                }
            }
        }
        List<GroundTruthClient.Truth> truth = run.truth().stream()
                .filter(g -> g.requestId() != null && ids.contains(g.requestId()))
                .toList();
        StepRunner.Matched m = StepRunner.Matched.of(setup, mine, truth);
        double seconds = part.seconds();
        return new FigureRow(
                        setup.label(),
                        part.name(),
                        part.rate(),
                        mine.size() / seconds,
                        completed / seconds,
                        mine.size() / seconds * outputTokens,
                        StepRunner.eventsIn(run.timings(), from, to) / seconds,
                        lag.percentileMillis(50),
                        lag.percentileMillis(99),
                        lag.percentileMillis(100),
                        build.percentileMillis(50),
                        build.percentileMillis(99),
                        run.sampler().peakThreads(from, to),
                        loadAverage,
                        Double.NaN,
                        Double.NaN,
                        HarnessLimit.of(lag.size(), late),
                        mine.size() / seconds)
                .figures(run, m, from, to);
    }

    /**
     * One line per spike: dispatch lag p99 by phase, and whether it stayed within the peers'
     * target ({@code targets}, when they are the peers' targets) and whether the phase would be
     * harness-limited as an {@code llmh run} trial ({@link HarnessLimit}: too many requests later
     * than 1 ms).
     */
    static List<String> summaryLines(List<SeriesResult> series, StepCriteria targets) {
        double target = targets instanceof PeerTargets p ? p.maxDispatchLagP99Nanos() / 1e6 : Double.NaN;
        List<String> lines = new ArrayList<>();
        for (SeriesResult s : series) {
            StringBuilder b = new StringBuilder(s.preset()).append(": dispatch lag p99");
            List<String> overTarget = new ArrayList<>();
            List<String> overWarning = new ArrayList<>();
            for (StepResult r : s.steps()) {
                StepFigures f = r.figures();
                b.append(String.format(Locale.ROOT, " %s %.3f", f.load(), f.dispatchLagP99()));
                if (!(f.dispatchLagP99() <= target)) {
                    overTarget.add(f.load());
                }
                if (f.harnessLimit() == null || f.harnessLimit().limited()) {
                    overWarning.add(f.load());
                }
            }
            b.append(" ms");
            if (!Double.isNaN(target)) {
                b.append(String.format(Locale.ROOT, "; target %.2f ms ", target))
                        .append(
                                overTarget.isEmpty()
                                        ? "held in every phase"
                                        : "missed in " + String.join(", ", overTarget));
            }
            b.append(
                    overWarning.isEmpty()
                            ? "; harness-limited in no phase"
                            : "; harness-limited in " + String.join(", ", overWarning));
            lines.add(b.toString());
        }
        return lines;
    }

    /** How the console and the Markdown name the spike: {@code 10 → 800 → 10 req/s, 10s each}. */
    String describe() {
        return TrialSpec.formatRate(base) + " → " + TrialSpec.formatRate(peak) + " → " + TrialSpec.formatRate(base)
                + " req/s, " + DurationText.format(phase) + " each";
    }
}
