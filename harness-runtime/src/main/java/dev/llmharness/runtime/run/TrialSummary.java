package dev.llmharness.runtime.run;

import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.client.Target;
import dev.llmharness.runtime.data.PromptSource;
import dev.llmharness.runtime.metrics.Histograms;
import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.metrics.TrialMetrics;
import dev.llmharness.runtime.metrics.TrialRecorder;
import dev.llmharness.runtime.result.HarnessLimit;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.ResultRecords;
import dev.llmharness.runtime.result.TrialResult;
import dev.llmharness.runtime.tokenize.ServerSizedPrompts;
import dev.llmharness.runtime.tokenize.ServerTokenCheck;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what a trial's recorder measured into its {@link TrialResult}: the distributions by name,
 * the rates over the window, the per-second timeline, the window as run, the objectives' verdicts
 * and the warnings. The only place that decides what a throughput counts: in a window bounded by
 * time, what completed inside it over its declared length; in one bounded by a request count, the
 * measured requests that completed over the time they took.
 */
final class TrialSummary {
    /**
     * The trial's phases as run.
     *
     * @param windowStart wall-clock instant at which the measurement window started
     * @param warmupSeconds from the trial's start to the window's, in seconds, {@code >= 0}
     * @param measuredSeconds the window's length as run, in seconds, {@code >= 0}: the denominator of
     *     every throughput
     * @param drainSeconds waiting for requests in flight after the window, in seconds, {@code >= 0}
     */
    record Phases(Instant windowStart, double warmupSeconds, double measuredSeconds, double drainSeconds) {}

    private final TrialSpec spec;
    private final Target target;
    private final PromptSource prompts;
    private final TrialWarnings warnings;

    /**
     * @param prompts the trial's prompts: when sized in the server's tokenizer, their check is asked
     *     for here, after the load ({@link ServerSizedPrompts#check()})
     */
    TrialSummary(TrialSpec spec, Target target, PromptSource prompts, TrialWarnings warnings) {
        this.spec = spec;
        this.target = target;
        this.prompts = prompts;
        this.warnings = warnings;
    }

    /**
     * The trial's result.
     *
     * @param m the recorder's totals and histograms over the measured requests
     * @param inWindow what completed inside a timed window ({@link TrialRecorder#windowCounts()})
     * @param connections the connections opened before the load and by its requests
     * @param harnessThreads what the harness's threads got from the CPU over the window, {@code
     *     null} when not measured ({@link HarnessThreadsWindow#figure()})
     */
    TrialResult result(
            TrialMetrics m,
            TrialRecorder.WindowCounts inWindow,
            Phases phases,
            TrialResult.Connections connections,
            TrialResult.HarnessThreads harnessThreads) {
        Map<String, MetricResult> metrics = new LinkedHashMap<>();
        m.histograms()
                .forEach((name, h) -> metrics.put(
                        name,
                        Metric.byKey(name)
                                .map(metric -> MetricResult.of(metric, h))
                                // Every recorder is registered under a Metric (TrialRecorder): unit and
                                // direction come from there, never from the name.
                                .orElseThrow(() -> new IllegalStateException(
                                        "histogram " + name + " has no entry in the metric catalogue"))));
        long ended = m.completed() + m.failed();
        Double errorRate = ended == 0 ? null : (double) m.failed() / ended;
        double secs = phases.measuredSeconds() > 0 ? phases.measuredSeconds() : Double.NaN;
        boolean timedWindow = !spec.measurement().countsRequests();
        TrialResult.Throughput throughput;
        if (timedWindow) {
            // What completed inside the declared window, over its declared length (see
            // TrialRecorder#countThroughput); goodput is that rate times the share of measured
            // completions that met every bound.
            double requests = rate(inWindow.completed(), secs);
            throughput = new TrialResult.Throughput(
                    requests,
                    rate(inWindow.outputTokens(), secs),
                    rate(inWindow.inputTokens() + inWindow.outputTokens(), secs),
                    spec.slo().bounds().isEmpty()
                            ? null
                            : m.completed() == 0 ? 0.0 : requests * m.goodRequests() / m.completed());
        } else {
            throughput = new TrialResult.Throughput(
                    rate(m.completed(), secs),
                    rate(m.outputTokens(), secs),
                    rate(m.inputTokens() + m.outputTokens(), secs),
                    spec.slo().bounds().isEmpty() ? null : rate(m.goodRequests(), secs));
        }
        List<TrialResult.Interval> timeline = timeline(m);
        TrialResult.WindowInfo windowInfo = new TrialResult.WindowInfo(
                phases.windowStart().toString(),
                phases.warmupSeconds(),
                phases.measuredSeconds(),
                phases.drainSeconds(),
                timedWindow ? inWindow.completed() : null,
                timedWindow ? inWindow.drainCompleted() : null,
                connections,
                // As configured (after the run's options): what a comparison holds side against side.
                SpecInfo.phase(spec.warmup()),
                SpecInfo.phase(spec.measurement()),
                harnessThreads);
        List<TrialResult.SloVerdict> slo = SloEvaluator.evaluate(spec.slo(), metrics, errorRate, windowInfo, timeline);
        HarnessLimit harnessLimit =
                HarnessLimit.of(m.histograms().get(Metric.DISPATCH_LAG.key()), HarnessLimit.ttftShift(metrics));
        List<String> warned = warnings.ofRequests(m, metrics, harnessLimit);
        String busy = TrialWarnings.ofHarnessThreads(harnessThreads);
        if (busy != null) {
            warned.add(busy);
        }
        // Asked only now, after the load: asking the server neither delays nor disturbs it.
        ServerTokenCheck check = prompts instanceof ServerSizedPrompts sized ? sized.check() : null;
        warned.addAll(MeasurementWarnings.of(m, metrics.get(Metric.TTFT.key()).count(), slo, check));
        warned.addAll(
                warnings.ofThroughput(throughput, inWindow, m.failed(), phases.measuredSeconds(), metrics, timeline));
        return new TrialResult(
                spec.id(),
                spec.benchmark(),
                spec.params(),
                target.api().name(),
                target.stream(),
                SpecInfo.load(spec.load()),
                SpecInfo.workload(spec.workload()),
                spec.seed(),
                windowInfo,
                new TrialResult.Counts(
                        m.sent(),
                        m.completed(),
                        m.failed(),
                        m.cancelled(),
                        m.failures(),
                        m.delayedStarts(),
                        ResultRecords.failureMessages(m.failureMessages())),
                ResultRecords.tokens(m, check),
                throughput,
                errorRate,
                metrics,
                slo,
                timeline,
                warned,
                null,
                null,
                spec.analysis(),
                harnessLimit);
    }

    /** Per-second counts over the window, each second's latency histograms encoded for the file. */
    private static List<TrialResult.Interval> timeline(TrialMetrics m) {
        List<TrialResult.Interval> timeline = new ArrayList<>();
        for (TrialMetrics.Second s : m.timeline()) {
            Map<String, String> latencies = new LinkedHashMap<>();
            s.latencies().forEach((name, h) -> latencies.put(name, Histograms.encode(h)));
            timeline.add(new TrialResult.Interval(
                    s.second(),
                    s.completed(),
                    s.failed(),
                    s.outputTokens(),
                    s.started(),
                    s.inFlightMicros(),
                    latencies));
        }
        return timeline;
    }

    /** {@code count} per second over {@code seconds}; 0 when the window has no length ({@code NaN}). */
    private static double rate(long count, double seconds) {
        return Double.isNaN(seconds) ? 0.0 : count / seconds;
    }
}
