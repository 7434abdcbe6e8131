package dev.llmharness.runtime.observe;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Scrapes Prometheus endpoints at an interval on its own thread while a trial runs, and keeps every
 * successful scrape with its {@code nanoTime}. A failed scrape is counted and warned about once per
 * URL; it never fails the run.
 */
public final class MetricsScraper implements AutoCloseable {
    /** One moment: the samples of every URL that answered, and when. */
    public record Scrape(long nanos, List<PromText.Sample> samples) {}

    private final List<URI> urls;
    private final Duration interval;
    private final PrintStream err;
    private final OkHttpClient http;
    private final List<Scrape> scrapes = new ArrayList<>();
    private final Set<URI> warned = ConcurrentHashMap.newKeySet();
    private final Map<URI, String> lastFailure = new ConcurrentHashMap<>();
    private int failed;
    private ScheduledExecutorService timer;

    /**
     * @param err where the first failure of each URL is reported
     */
    public MetricsScraper(List<URI> urls, Duration interval, PrintStream err) {
        this.urls = List.copyOf(urls);
        this.interval = interval;
        this.err = err;
        this.http = client(timeout(interval));
    }

    /** A scrape may take at most the interval, between 0.5 s and 5 s. */
    private static Duration timeout(Duration interval) {
        long ms = Math.max(500, Math.min(5000, interval.toMillis()));
        return Duration.ofMillis(ms);
    }

    /**
     * Whether {@code url} answers a scrape with at least one sample: how {@code llmh run} decides to
     * scrape a target's {@code /metrics} without being asked.
     */
    public static boolean serves(URI url) {
        OkHttpClient client = client(Duration.ofSeconds(3));
        try (Response r = client.newCall(
                        new Request.Builder().url(url.toString()).build())
                .execute()) {
            // Only a Prometheus exposition's body is read: an API that answers /metrics with
            // something else (a stream, an HTML page) is not waited for.
            return r.code() == 200
                    && isExposition(r.header("Content-Type", ""))
                    && !PromText.parse(r.body().string()).samples().isEmpty();
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    /** A client of its own (the load's connections are left alone), HTTP/1.1, no retries. */
    private static OkHttpClient client(Duration timeout) {
        return new OkHttpClient.Builder()
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .callTimeout(timeout)
                .retryOnConnectionFailure(false)
                .protocols(List.of(okhttp3.Protocol.HTTP_1_1))
                .build();
    }

    /** Prometheus text (0.0.4) or OpenMetrics text, by content type. */
    private static boolean isExposition(String contentType) {
        String type = contentType.toLowerCase(java.util.Locale.ROOT);
        return type.startsWith("text/plain") || type.startsWith("application/openmetrics-text");
    }

    /** Starts scraping at once, then every interval. */
    public MetricsScraper start() {
        timer = Executors.newSingleThreadScheduledExecutor(
                dev.llmharness.runtime.load.IdlePriority.housekeeping("llmh-scrape"));
        timer.scheduleWithFixedDelay(this::scrapeOnce, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        return this;
    }

    /** Scrapes every URL once, now. */
    void scrapeOnce() {
        List<PromText.Sample> all = new ArrayList<>();
        boolean any = false;
        for (URI url : urls) {
            try {
                try (Response r = http.newCall(
                                new Request.Builder().url(url.toString()).build())
                        .execute()) {
                    if (r.code() != 200) {
                        fail(url, "HTTP " + r.code());
                        continue;
                    }
                    all.addAll(PromText.parse(r.body().string()).samples());
                }
                any = true;
            } catch (java.io.IOException | RuntimeException e) {
                fail(url, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }
        if (any) {
            synchronized (scrapes) {
                scrapes.add(new Scrape(System.nanoTime(), all));
            }
        }
    }

    private void fail(URI url, String why) {
        synchronized (scrapes) {
            failed++;
        }
        lastFailure.put(url, why);
        if (warned.add(url)) {
            err.println("llmh: WARNING scraping " + url + " failed (" + why
                    + "); the run goes on, and the result counts the failed scrapes");
        }
    }

    /** Stops scraping (after a last scrape) and waits for the scrape in progress. */
    @Override
    public void close() {
        if (timer == null) {
            return;
        }
        timer.shutdown();
        try {
            if (timer.awaitTermination(10, TimeUnit.SECONDS)) {
                scrapeOnce();
            } else {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
        timer = null;
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    public List<URI> urls() {
        return urls;
    }

    public Duration interval() {
        return interval;
    }

    /** The successful scrapes so far, in order. */
    public List<Scrape> scrapes() {
        synchronized (scrapes) {
            return List.copyOf(scrapes);
        }
    }

    /** Failed scrapes so far (each URL of a tick counts once). */
    public int failed() {
        synchronized (scrapes) {
            return failed;
        }
    }

    /** One line per URL that failed, with its last reason. */
    public List<String> failureLines() {
        List<String> lines = new ArrayList<>();
        lastFailure.forEach((url, why) -> lines.add("scraping " + url + " failed (last: " + why + ")"));
        return lines;
    }
}
