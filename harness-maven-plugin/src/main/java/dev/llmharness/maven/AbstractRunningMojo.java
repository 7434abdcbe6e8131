package dev.llmharness.maven;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The goals that run benchmarks ({@code llmh:run}, {@code llmh:gate}): the options of {@code llmh
 * run}, each a parameter and a {@code llmh.*} user property, passed to the forked JVM as {@code -D}
 * options, which {@code llmh run} reads (docs/metrics.md).
 */
abstract class AbstractRunningMojo extends AbstractLlmhMojo {
    /** Regex a trial id must contain, e.g. {@code MyBenchmarks} or {@code poisson.*rate=40}. Not set: every trial. */
    @Parameter(property = "llmh.include")
    String include;

    /** Server base URL, e.g. {@code http://127.0.0.1:8000}. Not set: the embedded simulator. */
    @Parameter(property = "llmh.url")
    String url;

    /** Model name. Not set: the annotation's, else the server's first model. */
    @Parameter(property = "llmh.model")
    String model;

    /**
     * Replaces every trial's API: {@code auto} (the engine detected as {@code llmh probe} does, its
     * native API for the request shape) or an API name such as {@code LLAMACPP_COMPLETION}
     * (docs/engines.md). Not set: each {@code @Endpoint(api)}.
     */
    @Parameter(property = "llmh.api")
    String api;

    /**
     * {@code true} or {@code false}: {@code false} sends every request non-streamed, which measures
     * E2E only (no TTFT, ITL, TPOT; docs/engines.md). Not set: each {@code @Endpoint(stream)}, true.
     */
    @Parameter(property = "llmh.stream")
    String stream;

    /**
     * How synthetic prompts are sized: {@code encoding} (in each workload's encoding) or {@code
     * server} (exact in the server's own tokenizer through its {@code POST /tokenize}; docs/engines.md).
     * Not set: {@code encoding}.
     */
    @Parameter(property = "llmh.tokenizer")
    String tokenizer;

    /**
     * Environment variable holding the API key (the key itself is never a property, so that it stays
     * out of build logs). Not set: the annotation's, else {@code LLMH_API_KEY}.
     */
    @Parameter(property = "llmh.apiKeyEnv")
    String apiKeyEnv;

    /** Simulator options when no URL is given, e.g. {@code --preset small-fast --itl-scale 1.2}. */
    @Parameter(property = "llmh.sim")
    String sim;

    /** Replaces every measurement window, e.g. {@code 30s}; refused for a load that ends by itself (a shape, a trace). Not set: as declared. */
    @Parameter(property = "llmh.duration")
    String duration;

    /** Multiplies timed warmups and measurement windows, and every phase of a load shape, e.g. {@code 0.5}. Not set: 1. */
    @Parameter(property = "llmh.durationScale")
    String durationScale;

    /** Multiplies open-loop rates, e.g. {@code 2}. Not set: 1. */
    @Parameter(property = "llmh.rateScale")
    String rateScale;

    /** Runs shard K (from 0) of N of every trial's load, e.g. {@code 1/4}: one per machine, merged with {@code llmh merge}. Not set: the whole load. */
    @Parameter(property = "llmh.shard")
    String shard;

    /** Replaces every trial's seed. Not set: as declared. */
    @Parameter(property = "llmh.seed")
    String seed;

    /** Replaces every warmup: a duration ({@code 10s}), a request count ({@code 50req}) or {@code none}. */
    @Parameter(property = "llmh.warmup")
    String warmup;

    /** Per-request CSV file. Not set: none. */
    @Parameter(property = "llmh.csv")
    String csv;

    /** {@code false}: a failed SLO objective is reported but does not fail the build. Not set: true. */
    @Parameter(property = "llmh.failOnSlo")
    String failOnSlo;

    /** Progress line interval, {@code 0s} for none. Not set: {@code 5s}. */
    @Parameter(property = "llmh.progress")
    String progress;

    /** Connect timeout. Not set: {@code 10s}. */
    @Parameter(property = "llmh.connectTimeout")
    String connectTimeout;

    /** Time from send to the first content event. Not set: {@code 5m}. */
    @Parameter(property = "llmh.firstTokenTimeout")
    String firstTokenTimeout;

    /** Silence allowed between reads once content flows. Not set: {@code 60s}. */
    @Parameter(property = "llmh.idleTimeout")
    String idleTimeout;

    /** Time allowed for a whole request. Not set: {@code 30m}. */
    @Parameter(property = "llmh.totalTimeout")
    String totalTimeout;

    /**
     * The error-rate objective of trials whose {@code @Slo} sets none: {@code 5%}, {@code 0.02}, or
     * {@code none}. Not set: 5 %.
     */
    @Parameter(property = "llmh.maxErrorRate")
    String maxErrorRate;

    /** {@code false}: no report.html, report.md and summary files after the run. Not set: true. */
    @Parameter(property = "llmh.report")
    String report;

    /** Folder of the run's reports. Not set: beside the result, named after it ({@code results/latest/}). */
    @Parameter(property = "llmh.reportDir")
    String reportDir;

    /** Characters of prompt and response text the per-request CSV keeps, {@code 0} for none. Not set: 0. */
    @Parameter(property = "llmh.csvText")
    String csvText;

    /** JSONL file with every inter-token gap of every measured request. Not set: none. */
    @Parameter(property = "llmh.itlJsonl")
    String itlJsonl;

    /**
     * {@code platform}: a platform thread per request even on JDK 21+. Not set: {@code virtual} on
     * JDK 21+ (docs/performance.md).
     */
    @Parameter(property = "llmh.requestThreads")
    String requestThreads;

    /**
     * How requests reach the server: {@code threads} (OkHttp, a blocking thread per request in
     * flight) or {@code event-loop} (one event loop sends at each intended instant and reads every
     * stream). Not set: {@code threads} (docs/performance.md).
     */
    @Parameter(property = "llmh.transport")
    String transport;

    /**
     * Priority of the JVM's compiler threads and the harness's housekeeping threads: {@code idle}
     * (Linux SCHED_IDLE: they run only when the core is otherwise idle, so they never delay a send
     * or a read) or {@code normal}. Not set: idle (docs/performance.md).
     */
    @Parameter(property = "llmh.jitPriority")
    String jitPriority;

    /**
     * Connections opened to the target before each trial, so that a load's peak finds them idle:
     * {@code auto} (the load's peak rate times twice the p99 hold time its warmup or the previous
     * trial measured, else times 1 s; or its workers; at most 1024 and the server's stated slots),
     * {@code off}, or a number. Not set: {@code auto} (docs/load.md).
     */
    @Parameter(property = "llmh.preopen")
    String preopen;

    /**
     * Warms the JVM's request path before the first trial, against an in-process simulator on
     * 127.0.0.1 (never the target): {@code auto} (once per JVM) or {@code off}. Not set: auto
     * (docs/performance.md).
     */
    @Parameter(property = "llmh.jvmWarmup")
    String jvmWarmup;

    /**
     * With the embedded simulator: {@code auto} pins the harness and the simulator to CPUs of their
     * own (half of the CPUs the forked JVM may use each, with taskset), so that the simulator's work
     * never delays a send; {@code off} lets them share. Not set: auto (docs/performance.md).
     */
    @Parameter(property = "llmh.cpuSplit")
    String cpuSplit;

    /** Prometheus endpoints scraped during each trial, comma-separated (a DCGM exporter's too), {@code auto} for the target's {@code /metrics} when it serves one, or {@code none}. Not set: auto. */
    @Parameter(property = "llmh.scrape")
    String scrape;

    /** Time between scrapes. Not set: 1s. */
    @Parameter(property = "llmh.scrapeInterval")
    String scrapeInterval;

    /** Prometheus Pushgateway URL the client's metrics are pushed to, e.g. {@code http://127.0.0.1:9091}. Not set: none. */
    @Parameter(property = "llmh.push")
    String push;

    /** Pushgateway job. Not set: llmh. */
    @Parameter(property = "llmh.pushJob")
    String pushJob;

    /** Pushgateway instance label. Not set: the host name. */
    @Parameter(property = "llmh.pushInstance")
    String pushInstance;

    /** Time between pushes; one more is pushed at the end. Not set: 5s. */
    @Parameter(property = "llmh.pushInterval")
    String pushInterval;

    /** Environment variable holding the Pushgateway's basic auth as {@code user:password}. Not set: LLMH_PUSH_AUTH. */
    @Parameter(property = "llmh.pushAuthEnv")
    String pushAuthEnv;

    /** Serve the client's metrics at {@code http://127.0.0.1:PORT/metrics} during the run, {@code 0} for a free port. Not set: off. */
    @Parameter(property = "llmh.metricsPort")
    String metricsPort;

    /** Price of one instance per hour: turns cost on, over {@code @Cost}. */
    @Parameter(property = "llmh.cost.instancePrice")
    String costInstancePrice;

    /** GPUs one instance has. Not set: {@code @Cost}'s, else 1. */
    @Parameter(property = "llmh.cost.gpusPerInstance")
    String costGpusPerInstance;

    /** GPUs one replica uses. Not set: {@code @Cost}'s, else 1. */
    @Parameter(property = "llmh.cost.gpusUsed")
    String costGpusUsed;

    /** Share of each used GPU charged, in (0, 1]. Not set: {@code @Cost}'s, else 1. */
    @Parameter(property = "llmh.cost.utilization")
    String costUtilization;

    /** Replicas serving the load. Not set: {@code @Cost}'s, else 1. */
    @Parameter(property = "llmh.cost.replicas")
    String costReplicas;

    /** {@code proportional} or {@code full-instance}. Not set: {@code @Cost}'s, else proportional. */
    @Parameter(property = "llmh.cost.allocation")
    String costAllocation;

    /**
     * The {@code -D} options of {@code llmh run}: every parameter that is set, then every other
     * {@code llmh.*} user property of the build (so that an option newer than this plugin still
     * reaches the harness). Blank values count as not set.
     */
    Map<String, String> runProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        put(p, "llmh.include", include);
        put(p, "llmh.url", url);
        put(p, "llmh.model", model);
        put(p, "llmh.api", api);
        put(p, "llmh.stream", stream);
        put(p, "llmh.tokenizer", tokenizer);
        put(p, "llmh.apiKeyEnv", apiKeyEnv);
        put(p, "llmh.sim", sim);
        put(p, "llmh.duration", duration);
        put(p, "llmh.durationScale", durationScale);
        put(p, "llmh.rateScale", rateScale);
        put(p, "llmh.shard", shard);
        put(p, "llmh.seed", seed);
        put(p, "llmh.warmup", warmup);
        put(p, "llmh.csv", csv);
        put(p, "llmh.failOnSlo", failOnSlo);
        put(p, "llmh.progress", progress);
        put(p, "llmh.connectTimeout", connectTimeout);
        put(p, "llmh.firstTokenTimeout", firstTokenTimeout);
        put(p, "llmh.idleTimeout", idleTimeout);
        put(p, "llmh.totalTimeout", totalTimeout);
        put(p, "llmh.requestThreads", requestThreads);
        put(p, "llmh.transport", transport);
        put(p, "llmh.jitPriority", jitPriority);
        put(p, "llmh.preopen", preopen);
        put(p, "llmh.jvmWarmup", jvmWarmup);
        put(p, "llmh.cpuSplit", cpuSplit);
        put(p, "llmh.maxErrorRate", maxErrorRate);
        put(p, "llmh.report", report);
        put(p, "llmh.reportDir", reportDir);
        put(p, "llmh.csvText", csvText);
        put(p, "llmh.itlJsonl", itlJsonl);
        put(p, "llmh.scrape", scrape);
        put(p, "llmh.scrapeInterval", scrapeInterval);
        put(p, "llmh.push", push);
        put(p, "llmh.pushJob", pushJob);
        put(p, "llmh.pushInstance", pushInstance);
        put(p, "llmh.pushInterval", pushInterval);
        put(p, "llmh.pushAuthEnv", pushAuthEnv);
        put(p, "llmh.metricsPort", metricsPort);
        put(p, "llmh.cost.instancePrice", costInstancePrice);
        put(p, "llmh.cost.gpusPerInstance", costGpusPerInstance);
        put(p, "llmh.cost.gpusUsed", costGpusUsed);
        put(p, "llmh.cost.utilization", costUtilization);
        put(p, "llmh.cost.replicas", costReplicas);
        put(p, "llmh.cost.allocation", costAllocation);
        Properties user = session == null ? new Properties() : session.getUserProperties();
        for (String name : user.stringPropertyNames()) {
            if (name.startsWith("llmh.") && !p.containsKey(name) && !PLUGIN_ONLY.contains(name)) {
                put(p, name, user.getProperty(name));
            }
        }
        return p;
    }

    /** Properties the plugin itself consumes; they mean nothing to the forked harness. */
    private static final Set<String> PLUGIN_ONLY = Set.of(
            "llmh.resultsDirectory",
            "llmh.workingDirectory",
            "llmh.jvmArgs",
            "llmh.javaHome",
            "llmh.classpathScope",
            "llmh.skip",
            "llmh.reportDirectory",
            "llmh.baseline");
}
