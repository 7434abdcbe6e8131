package dev.llmharness.runtime.observe;

import dev.llmharness.runtime.metrics.FailureCategory;
import dev.llmharness.runtime.metrics.Outcome;
import dev.llmharness.runtime.metrics.RequestTiming;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The client's figures as Prometheus gauges, labelled by trial and target, for the Pushgateway
 * ({@link MetricsPush}) and the live port ({@link LiveMetricsPort}). Requests are recorded as they
 * end (lock-free); {@link #update} turns the requests since its last call into the gauges' values.
 * Only installed when {@code --push} or {@code --metrics-port} is given.
 */
public final class ClientMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Gauge lagP50 = gauge("llm_client_lag_p50_seconds", "End-to-end latency, median, last interval");
    private final Gauge lagP90 = gauge("llm_client_lag_p90_seconds", "End-to-end latency, p90, last interval");
    private final Gauge lagP99 = gauge("llm_client_lag_p99_seconds", "End-to-end latency, p99, last interval");
    private final Gauge ttftP50 = gauge("llm_ttft_p50_seconds", "Time to first token, median, last interval");
    private final Gauge ttftP90 = gauge("llm_ttft_p90_seconds", "Time to first token, p90, last interval");
    private final Gauge ttftP99 = gauge("llm_ttft_p99_seconds", "Time to first token, p99, last interval");
    private final Gauge tokensPerSecond = gauge("llm_tokens_per_second", "Output tokens per second, last interval");
    private final Gauge requestRate = gauge("llm_request_rate_per_second", "Requests ended per second, last interval");
    private final Gauge errorRate = gauge("llm_error_rate", "Failed / ended requests, last interval");
    private final Gauge contentionRate =
            gauge("llm_contention_error_rate", "Timeouts, 429s and 503s / ended requests, last interval");
    private final Gauge activeUsers = gauge("llm_active_users", "Requests in flight");

    private final Recorder e2e = new Recorder(1_000L, 2L * 3_600_000_000_000L, 2);
    private final Recorder ttft = new Recorder(1_000L, 2L * 3_600_000_000_000L, 2);
    private final LongAdder ended = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder contention = new LongAdder();
    private final LongAdder outputTokens = new LongAdder();
    private Histogram e2eInterval;
    private Histogram ttftInterval;
    private long lastUpdate = System.nanoTime();
    private volatile String trial = "";
    private volatile String target = "";
    private volatile LongSupplier inFlight = () -> 0;

    private Gauge gauge(String name, String help) {
        return Gauge.builder()
                .name(name)
                .help(help)
                .labelNames("trial", "target")
                .register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * Starts labelling with a new trial: the previous trial's series are dropped.
     *
     * @param inFlight requests in flight now
     */
    public synchronized void startTrial(String trialId, String targetUrl, LongSupplier inFlight) {
        update();
        for (Gauge g : gauges()) {
            g.clear();
        }
        this.trial = trialId;
        this.target = targetUrl;
        this.inFlight = inFlight;
        update();
    }

    private Gauge[] gauges() {
        return new Gauge[] {
            lagP50,
            lagP90,
            lagP99,
            ttftP50,
            ttftP90,
            ttftP99,
            tokensPerSecond,
            requestRate,
            errorRate,
            contentionRate,
            activeUsers
        };
    }

    /** Records each ending request (on its thread; lock-free). */
    public Consumer<RequestTiming> listener() {
        return t -> {
            ended.increment();
            long start = t.isSent() ? t.sent() : t.intendedStart();
            if (t.outcome() == Outcome.COMPLETED) {
                e2e.recordValue(clamp(t.end() - start));
                outputTokens.add(t.outputTokens());
            } else if (t.outcome() == Outcome.FAILED) {
                failed.increment();
                FailureCategory f = t.failure();
                if (f == FailureCategory.TIMEOUT || f == FailureCategory.HTTP_429 || t.httpStatus() == 503) {
                    contention.increment();
                }
            }
            if (t.hasFirstToken()) {
                ttft.recordValue(clamp(t.firstToken() - start));
            }
        };
    }

    private static long clamp(long nanos) {
        return Math.max(1_000L, Math.min(nanos, 2L * 3_600_000_000_000L));
    }

    /** Sets every gauge from the requests that ended since the last call. */
    public synchronized void update() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-9, (now - lastUpdate) / 1e9);
        lastUpdate = now;
        e2eInterval = e2e.getIntervalHistogram(e2eInterval);
        ttftInterval = ttft.getIntervalHistogram(ttftInterval);
        long n = ended.sumThenReset();
        long f = failed.sumThenReset();
        long c = contention.sumThenReset();
        long tokens = outputTokens.sumThenReset();
        if (trial.isEmpty()) {
            return;
        }
        String[] labels = {trial, target};
        percentile(lagP50, e2eInterval, 50, labels);
        percentile(lagP90, e2eInterval, 90, labels);
        percentile(lagP99, e2eInterval, 99, labels);
        percentile(ttftP50, ttftInterval, 50, labels);
        percentile(ttftP90, ttftInterval, 90, labels);
        percentile(ttftP99, ttftInterval, 99, labels);
        tokensPerSecond.labelValues(labels).set(tokens / seconds);
        requestRate.labelValues(labels).set(n / seconds);
        errorRate.labelValues(labels).set(n == 0 ? 0 : (double) f / n);
        contentionRate.labelValues(labels).set(n == 0 ? 0 : (double) c / n);
        activeUsers.labelValues(labels).set(inFlight.getAsLong());
    }

    /** A percentile of an interval with no request keeps the gauge's last value. */
    private static void percentile(Gauge g, Histogram h, double p, String[] labels) {
        if (h.getTotalCount() > 0) {
            g.labelValues(labels).set(h.getValueAtPercentile(p) / 1e9);
        }
    }
}
