package dev.llmharness.runtime.observe;

import dev.llmharness.api.Cost;
import dev.llmharness.runtime.client.Target;
import dev.llmharness.runtime.metrics.Metric;
import dev.llmharness.runtime.metrics.RequestTiming;
import dev.llmharness.runtime.result.MetricResult;
import dev.llmharness.runtime.result.ServerMetrics;
import dev.llmharness.runtime.result.TrialResult;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A run's observability: {@link #trial} starts each trial's (scrape, listeners, JFR span) and
 * {@link Trial#finish} adds what it saw to the trial's result; {@link #close} pushes a last time
 * and stops the port.
 */
public final class Observation implements AutoCloseable {
    private final ObserveSettings settings;
    private final PrintStream err;
    private final Map<String, List<URI>> scrapeByBase = new HashMap<>();
    private final ClientMetrics client;
    private final MetricsPush push;
    private final LiveMetricsPort port;
    private final ScheduledExecutorService timer;
    /** Scrapers of trials not finished yet (an interruption or error skips {@link Trial#finish}). */
    private final List<MetricsScraper> open = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Starts the live port and the push timer, when asked for.
     *
     * @param err warnings and the lines that say what is observed
     */
    public Observation(ObserveSettings settings, PrintStream err) {
        this.settings = settings;
        this.err = err;
        boolean live = settings.metricsPort() >= 0;
        this.client = settings.push() != null || live ? new ClientMetrics() : null;
        this.push = settings.push() == null
                ? null
                : new MetricsPush(
                        settings.push(),
                        settings.pushJob(),
                        settings.pushInstance(),
                        settings.pushAuth(),
                        client.registry(),
                        err);
        this.port = live ? new LiveMetricsPort(settings.metricsPort(), client.registry()) : null;
        if (port != null) {
            err.println("llmh: serving the client's metrics at http://127.0.0.1:" + port.port() + "/metrics");
        }
        if (push != null) {
            err.println("llmh: pushing the client's metrics to " + settings.push() + " every "
                    + settings.pushInterval().toMillis() / 1000.0 + " s (job " + settings.pushJob() + ", instance "
                    + settings.pushInstance() + ")");
        }
        if (client != null) {
            long every = push != null
                    ? settings.pushInterval().toNanos()
                    : Math.min(settings.pushInterval().toNanos(), 5_000_000_000L);
            timer = Executors.newSingleThreadScheduledExecutor(
                    dev.llmharness.runtime.load.IdlePriority.housekeeping("llmh-metrics"));
            timer.scheduleAtFixedRate(this::tick, every, every, TimeUnit.NANOSECONDS);
        } else {
            timer = null;
        }
    }

    /** The live port, or -1 when none is served. */
    public int port() {
        return port == null ? -1 : port.port();
    }

    private void tick() {
        client.update();
        if (push != null) {
            push.push();
        }
    }

    /** The endpoints to scrape for a target: those given, else its {@code /metrics} when it serves one. */
    private List<URI> scrapeUrls(Target target) {
        if (!settings.scrapeUrls().isEmpty()) {
            return settings.scrapeUrls();
        }
        if (!settings.scrapeTarget()) {
            return List.of();
        }
        return scrapeByBase.computeIfAbsent(target.baseUrl(), base -> {
            URI metrics = URI.create(base + "/metrics");
            if (MetricsScraper.serves(metrics)) {
                err.println("llmh: scraping the server's metrics at " + target.displayUrl() + "/metrics every "
                        + settings.scrapeInterval().toMillis() / 1000.0 + " s (--scrape none turns it off)");
                return List.of(metrics);
            }
            return List.of();
        });
    }

    /**
     * Starts observing a trial.
     *
     * @param benchmarkClass the class declaring the trial (its {@link Cost}), or {@code null}
     * @param inFlight requests in flight now
     * @param listen installs the request listener on the trial's runner
     */
    public Trial trial(
            String trialId,
            Target target,
            Class<?> benchmarkClass,
            LongSupplier inFlight,
            Consumer<Consumer<RequestTiming>> listen) {
        CostModel cost = settings.cost().over(benchmarkClass == null ? null : benchmarkClass.getAnnotation(Cost.class));
        List<URI> urls = scrapeUrls(target);
        MetricsScraper scraper =
                urls.isEmpty() ? null : new MetricsScraper(urls, settings.scrapeInterval(), err).start();
        if (scraper != null) {
            open.add(scraper);
        }
        Consumer<RequestTiming> listener = JfrEvents.requests(trialId, target.displayUrl());
        if (client != null) {
            client.startTrial(trialId, target.displayUrl(), inFlight);
            listener = listener.andThen(client.listener());
        }
        listen.accept(listener);
        return new Trial(target.displayUrl(), scraper, cost, JfrEvents.beginTrial());
    }

    /** One trial being observed. */
    public final class Trial {
        private final String target;
        private final MetricsScraper scraper;
        private final CostModel cost;
        private final Object jfrSpan;

        private Trial(String target, MetricsScraper scraper, CostModel cost, Object jfrSpan) {
            this.target = target;
            this.scraper = scraper;
            this.cost = cost;
            this.jfrSpan = jfrSpan;
        }

        /**
         * Stops the scrape and returns the result with the server's metrics and the cost.
         *
         * @param windowStartNanos {@code nanoTime} of the window's start, as the runner reports it
         * @param windowEndNanos {@code nanoTime} of its end
         */
        public TrialResult finish(TrialResult result, long windowStartNanos, long windowEndNanos) {
            JfrEvents.endTrial(jfrSpan, target, result);
            List<String> warnings = new ArrayList<>();
            ServerMetrics server = null;
            if (scraper != null) {
                scraper.close();
                open.remove(scraper);
                MetricResult clientTtft = result.metrics().get(Metric.TTFT.key());
                server = ServerSeries.build(scraper, windowStartNanos, windowEndNanos, clientTtft, warnings);
            }
            if (client != null) {
                client.update();
                if (push != null) {
                    push.push();
                }
            }
            return result.withObservations(server, cost == null ? null : cost.price(result.throughput()), warnings);
        }
    }

    /** Pushes a last time (the end of the run) and stops the port. */
    @Override
    public void close() {
        for (MetricsScraper s : open) {
            s.close();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        if (push != null) {
            push.push();
        }
        if (port != null) {
            port.close();
        }
    }
}
