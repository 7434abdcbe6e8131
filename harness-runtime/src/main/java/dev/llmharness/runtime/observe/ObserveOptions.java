package dev.llmharness.runtime.observe;

import dev.llmharness.api.Cost;
import dev.llmharness.api.DurationText;
import dev.llmharness.api.Limits;
import dev.llmharness.runtime.settings.Choice;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code llmh run}'s observability options (a picocli mixin), each also a system property. All are
 * off by default except {@code --scrape auto}: the target's {@code /metrics} when it serves one.
 */
public final class ObserveOptions {
    @Option(
            names = "--scrape",
            defaultValue = "${sys:llmh.scrape:-auto}",
            description = "Prometheus endpoints scraped during each trial, comma-separated (a DCGM exporter's too),"
                    + " auto for the target's /metrics when it serves one, or none (llmh.scrape). Default: auto.")
    String scrape;

    @Option(
            names = "--scrape-interval",
            defaultValue = "${sys:llmh.scrapeInterval:-1s}",
            description = "Time between scrapes (llmh.scrapeInterval). Default: 1s.")
    String scrapeInterval;

    @Option(
            names = "--push",
            defaultValue = "${sys:llmh.push}",
            description = "Prometheus Pushgateway URL the client's metrics are pushed to, e.g."
                    + " http://127.0.0.1:9091 (llmh.push). Default: none.")
    String push;

    @Option(
            names = "--push-job",
            defaultValue = "${sys:llmh.pushJob:-llmh}",
            description = "Pushgateway job (llmh.pushJob). Default: llmh.")
    String pushJob;

    @Option(
            names = "--push-instance",
            defaultValue = "${sys:llmh.pushInstance}",
            description = "Pushgateway instance label (llmh.pushInstance). Default: the host name.")
    String pushInstance;

    @Option(
            names = "--push-interval",
            defaultValue = "${sys:llmh.pushInterval:-5s}",
            description = "Time between pushes; one more is pushed at the end (llmh.pushInterval). Default: 5s.")
    String pushInterval;

    @Option(
            names = "--push-auth-env",
            defaultValue = "${sys:llmh.pushAuthEnv:-LLMH_PUSH_AUTH}",
            description = "Environment variable holding the Pushgateway's basic auth as user:password"
                    + " (llmh.pushAuthEnv); unset means no auth. Default: LLMH_PUSH_AUTH.")
    String pushAuthEnv;

    @Option(
            names = "--metrics-port",
            defaultValue = "${sys:llmh.metricsPort:--1}",
            description = "Serve the client's metrics at http://127.0.0.1:PORT/metrics during the run, 0 for a"
                    + " free port (llmh.metricsPort). Default: off.")
    int metricsPort;

    @Option(
            names = "--instance-price",
            defaultValue = "${sys:llmh.cost.instancePrice}",
            description = "Price of one instance per hour: turns cost on, over @Cost (llmh.cost.instancePrice).")
    Double instancePrice;

    @Option(
            names = "--gpus-per-instance",
            defaultValue = "${sys:llmh.cost.gpusPerInstance}",
            description = "GPUs one instance has (llmh.cost.gpusPerInstance). Default: @Cost's, else 1.")
    Integer gpusPerInstance;

    @Option(
            names = "--gpus-used",
            defaultValue = "${sys:llmh.cost.gpusUsed}",
            description = "GPUs one replica uses (llmh.cost.gpusUsed). Default: @Cost's, else 1.")
    Integer gpusUsed;

    @Option(
            names = "--gpu-utilization",
            defaultValue = "${sys:llmh.cost.utilization}",
            description =
                    "Share of each used GPU charged, in (0, 1] (llmh.cost.utilization). Default: @Cost's," + " else 1.")
    Double utilization;

    @Option(
            names = "--replicas",
            defaultValue = "${sys:llmh.cost.replicas}",
            description = "Replicas serving the load (llmh.cost.replicas). Default: @Cost's, else 1.")
    Integer replicas;

    @Option(
            names = "--cost-allocation",
            defaultValue = "${sys:llmh.cost.allocation}",
            description =
                    "proportional or full-instance (llmh.cost.allocation). Default: @Cost's, else" + " proportional.")
    String allocation;

    /**
     * {@code --cost-allocation} / {@code llmh.cost.allocation}: {@code proportional} or {@code
     * full-instance}; not set ({@code null}): {@code @Cost}'s.
     */
    public static final Choice<Cost.Allocation> COST_ALLOCATION = Choice.ofEnum(
            "llmh.cost.allocation",
            "--cost-allocation",
            Cost.Allocation.values(),
            a -> a.name().toLowerCase(Locale.ROOT).replace('_', '-'),
            null);

    /**
     * The settings, checked.
     *
     * @param environment reads the Pushgateway's credentials
     * @throws IllegalArgumentException {@code invalid --option VALUE: why}
     */
    public ObserveSettings toSettings(java.util.function.Function<String, String> environment) {
        String mode = scrape == null ? "auto" : scrape.strip();
        List<URI> scrapeUrls = new ArrayList<>();
        boolean auto = mode.equalsIgnoreCase("auto");
        if (!auto && !mode.equalsIgnoreCase("none") && !mode.isEmpty()) {
            for (String part : mode.split(",")) {
                scrapeUrls.add(httpUrl("--scrape", part.strip()));
            }
        }
        Duration every = duration("--scrape-interval", scrapeInterval);
        URI pushUrl = push == null || push.isBlank() ? null : httpUrl("--push", push.strip());
        Duration pushEvery = duration("--push-interval", pushInterval);
        String auth = pushAuthEnv == null || pushAuthEnv.isBlank() ? null : environment.apply(pushAuthEnv);
        if (auth != null && !auth.isEmpty() && auth.indexOf(':') < 1) {
            throw new IllegalArgumentException("invalid environment variable " + pushAuthEnv
                    + " (--push-auth-env): write the Pushgateway's basic auth as user:password");
        }
        if (metricsPort < -1 || metricsPort > 65535) {
            throw new IllegalArgumentException(
                    "invalid --metrics-port " + metricsPort + ": give a port in 1..65535, or 0 for a free one");
        }
        // Each count given as an option is checked by its own name, with or without a price: a
        // count over @Cost's price would otherwise be refused only when the first trial is priced.
        count("--gpus-per-instance", "the GPUs one instance has", gpusPerInstance, Limits.MAX_GPUS);
        count("--gpus-used", "the GPUs one replica uses", gpusUsed, Limits.MAX_GPUS);
        count("--replicas", "the replicas serving the load", replicas, Limits.MAX_REPLICAS);
        Cost.Allocation alloc = COST_ALLOCATION.parse(allocation);
        ObserveSettings.CostOverrides cost = new ObserveSettings.CostOverrides(
                instancePrice, gpusPerInstance, gpusUsed, utilization, replicas, alloc);
        if (instancePrice != null) {
            try {
                cost.over(null);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid cost options: " + e.getMessage());
            }
        }
        return new ObserveSettings(
                auto,
                scrapeUrls,
                every,
                pushUrl,
                pushJob == null || pushJob.isBlank() ? "llmh" : pushJob.strip(),
                pushInstance == null || pushInstance.isBlank() ? hostName() : pushInstance.strip(),
                pushEvery,
                auth == null || auth.isEmpty() ? null : auth,
                metricsPort,
                cost);
    }

    private static void count(String option, String counts, Integer value, int max) {
        String outside = value == null ? null : Limits.outsideCostCount(option, counts, value, max);
        if (outside != null) {
            throw new IllegalArgumentException("invalid " + option + " " + value + ": " + outside);
        }
    }

    private static URI httpUrl(String option, String text) {
        // The same check as every server URL (ServerUrl), so that a port out of range is named here too.
        String why = dev.llmharness.runtime.settings.ServerUrl.reason(text);
        if (why == null) {
            try {
                URI u = URI.create(text);
                if (u.getHost() != null) {
                    return u;
                }
                why = "it has no host name or address";
            } catch (IllegalArgumentException e) {
                why = "it is not a URL";
            }
        }
        throw new IllegalArgumentException("invalid " + option + " " + text + ": " + why
                + "; write an http:// or https:// URL, e.g. http://127.0.0.1:9091");
    }

    private static Duration duration(String option, String text) {
        try {
            Duration d = DurationText.parse(text);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("the duration must be > 0");
            }
            // The bound of every duration option (OptionText.duration), in the same words.
            String tooLong = Limits.aboveMaxDuration("a duration", d);
            if (tooLong != null) {
                throw new IllegalArgumentException(tooLong + "; check the unit (m is minutes, h hours)");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + option + " " + text + ": " + e.getMessage());
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
