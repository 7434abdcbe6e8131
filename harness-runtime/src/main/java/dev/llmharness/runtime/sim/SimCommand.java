package dev.llmharness.runtime.sim;

import dev.llmharness.api.DurationText;
import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.settings.Choice;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sim}: runs the simulated LLM server until interrupted (or, with {@code
 * --exit-on-stdin-eof}, until its standard input closes). Its first line of standard output is
 * {@value #LISTENING_PREFIX}{@code <base url>}. Every option not given keeps the preset's value.
 */
@Command(
        name = "sim",
        mixinStandardHelpOptions = true,
        description = "Runs the simulated OpenAI-compatible LLM server (see docs/simulator.md).",
        sortOptions = false)
public final class SimCommand implements Callable<Integer> {
    /** The first line the command prints, followed by the base URL. */
    public static final String LISTENING_PREFIX = "llmh-sim listening on ";

    @Spec
    CommandSpec spec;

    /** {@code --preset}: one of {@link SimConfig#PRESETS}; not given: {@code default}. */
    public static final Choice<String> PRESET = Choice.ofLabels(null, "--preset", SimConfig.PRESETS, "default");

    /** {@code --timing}: {@code BATCHED}, {@code FIXED} or {@code IMMEDIATE} (any case); not given: the preset's. */
    public static final Choice<SimConfig.Timing> TIMING =
            Choice.ofEnum(null, "--timing", SimConfig.Timing.values(), SimConfig.Timing::name, null);

    /** {@code --tokenizer}: {@code cl100k_base} or {@code sim-words}; not given: the preset's. */
    public static final Choice<String> TOKENIZER = Choice.ofLabels(null, "--tokenizer", SimTokenizer.NAMES, null);

    /** {@code --engine}: {@code all} or one engine's wire name; not given: all. */
    public static final Choice<SimPersona> ENGINE =
            Choice.ofEnum(null, "--engine", SimPersona.values(), SimPersona::wireName, null);

    @Option(
            names = "--preset",
            defaultValue = "default",
            description = "Starting point: default (= a100-8b), a100-8b, small-fast, slow, fixed-itl, zero. "
                    + "Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--host", description = "Address to bind. Default: 127.0.0.1.")
    String host;

    @Option(names = "--port", description = "TCP port; 0 picks a free one. Default: 0.")
    Integer port;

    @Option(
            names = "--io-threads",
            description = "Netty event-loop threads, 1 to " + SimConfig.MAX_IO_THREADS + ". Default: 1.")
    Integer ioThreads;

    @Option(names = "--model", description = "Model name served. Default: sim-llm.")
    String model;

    @Option(names = "--seed", description = "Seed of text, output lengths and fault draws. Default: 42.")
    Long seed;

    @Option(names = "--timing", description = "Latency model: BATCHED, FIXED or IMMEDIATE (from the preset).")
    String timing;

    @Option(names = "--step-base", description = "BATCHED: fixed cost of a step, e.g. 15ms.")
    String stepBase;

    @Option(names = "--prefill-per-token", description = "BATCHED: cost per prefilled prompt token, e.g. 60us.")
    String prefillPerToken;

    @Option(names = "--decode-per-seq", description = "BATCHED: cost per decoding sequence, e.g. 150us.")
    String decodePerSequence;

    @Option(names = "--decode-per-kv-token", description = "BATCHED: cost per context token decoded, e.g. 20ns.")
    String decodePerKvToken;

    @Option(
            names = "--itl-scale",
            description = "Multiplies decode cost (BATCHED) or ITL (FIXED); 1.2 = 20%% slower; at most "
                    + (int) SimConfig.MAX_ITL_SCALE + ".")
    Double itlScale;

    @Option(names = "--max-num-seqs", description = "BATCHED: batch slots.")
    Integer maxNumSeqs;

    @Option(
            names = "--kv-cache-tokens",
            description =
                    "BATCHED: KV-cache capacity in tokens, --max-model-len to " + SimConfig.MAX_KV_CACHE_TOKENS + ".")
    Integer kvCacheTokens;

    @Option(
            names = "--max-num-batched-tokens",
            description = "BATCHED: token budget per step (chunked prefill), at most " + SimConfig.MAX_KV_CACHE_TOKENS
                    + "; 0 = no chunking.")
    Integer maxBatchedTokens;

    @Option(names = "--ttft", description = "FIXED: time to first token, e.g. 20ms.")
    String fixedTtft;

    @Option(names = "--itl", description = "FIXED: inter-token latency, e.g. 20ms.")
    String fixedItl;

    @Option(names = "--max-model-len", description = "Context limit in tokens. Default: 8192.")
    Integer maxModelLen;

    @Option(
            names = "--default-max-tokens",
            description = "Output limit for requests without max_tokens (unless ignore_eos). Default: 256.")
    Integer defaultMaxTokens;

    @Option(
            names = "--fault",
            paramLabel = "KIND=RATE",
            description = "Per-request probability of a fault kind (repeatable): http_500, http_503, http_429, "
                    + "reset, stall, malformed, truncate, slow_headers; e.g. --fault http_503=0.01.")
    Map<String, Double> faults = new LinkedHashMap<>();

    @Option(
            names = "--ground-truth-capacity",
            description = "Ground-truth records kept, at most " + SimConfig.MAX_GROUND_TRUTH_RECORDS
                    + "; 0 = none. Default: 10000.")
    Integer groundTruthCapacity;

    @Option(names = "--created", description = "Fixed 'created' field (epoch seconds); 0 = wall clock.")
    Long createdEpochSeconds;

    @Option(
            names = "--max-request-bytes",
            description =
                    "Largest request body accepted, 1024 to " + SimConfig.MAX_REQUEST_BYTES + ". Default: 8388608.")
    Integer maxRequestBytes;

    @Option(
            names = "--tokenizer",
            description = "How prompts are counted, and what POST /tokenize answers: cl100k_base (default) or"
                    + " sim-words (the simulator's own, unlike any jtokkit encoding).")
    String tokenizer;

    @Option(
            names = "--chat-template-tokens",
            description = "Tokens a chat template adds per message to chat prompt counts. Default: 0.")
    Integer chatTemplateTokens;

    @Option(
            names = "--engine",
            description = "Which engine to pose as: all (default: every engine's routes at once), vllm, llama.cpp,"
                    + " tgi or ollama (only that engine's routes, and its POST /tokenize shape).")
    String engine;

    @Option(
            names = "--loading",
            description = "Answer 503 Loading model to every request for this long after start (as llama.cpp"
                    + " does while it loads), e.g. 5s. Default: 0.")
    String loading;

    @Option(
            names = "--reasoning-tokens",
            description = "How many of each streamed answer's first tokens are reasoning (reasoning_content on the"
                    + " OpenAI chat endpoint, thinking on Ollama's). Default: 0.")
    Integer reasoningTokens;

    @Option(names = "--exit-on-stdin-eof", description = "Stop when standard input closes (for child processes).")
    boolean exitOnStdinEof;

    /**
     * The configuration these options describe: the preset, then every option given.
     *
     * @throws IllegalArgumentException naming the bad option value
     */
    public SimConfig toConfig() {
        SimConfig.Builder b = SimConfig.preset(PRESET.parse(preset)).toBuilder();
        if (host != null) b.host(host);
        if (port != null) b.port(port);
        if (ioThreads != null) b.ioThreads(ioThreads);
        if (model != null) b.model(model);
        if (seed != null) b.seed(seed);
        if (timing != null) b.timing(TIMING.parse(timing));
        if (stepBase != null) b.stepBase(duration("--step-base", stepBase));
        if (prefillPerToken != null) b.prefillPerToken(duration("--prefill-per-token", prefillPerToken));
        if (decodePerSequence != null) b.decodePerSequence(duration("--decode-per-seq", decodePerSequence));
        if (decodePerKvToken != null) b.decodePerKvToken(duration("--decode-per-kv-token", decodePerKvToken));
        if (itlScale != null) b.itlScale(itlScale);
        if (maxNumSeqs != null) b.maxNumSeqs(maxNumSeqs);
        if (kvCacheTokens != null) b.kvCacheTokens(kvCacheTokens);
        if (maxBatchedTokens != null) b.maxBatchedTokens(maxBatchedTokens);
        if (fixedTtft != null) b.fixedTtft(duration("--ttft", fixedTtft));
        if (fixedItl != null) b.fixedItl(duration("--itl", fixedItl));
        if (maxModelLen != null) b.maxModelLen(maxModelLen);
        if (defaultMaxTokens != null) b.defaultMaxTokens(defaultMaxTokens);
        for (Map.Entry<String, Double> e : faults.entrySet()) {
            b.faultRate(FaultKind.ofWireName(e.getKey()), e.getValue());
        }
        if (groundTruthCapacity != null) b.groundTruthCapacity(groundTruthCapacity);
        if (createdEpochSeconds != null) b.createdEpochSeconds(createdEpochSeconds);
        if (maxRequestBytes != null) b.maxRequestBytes(maxRequestBytes);
        if (tokenizer != null) b.tokenizer(TOKENIZER.parse(tokenizer));
        if (chatTemplateTokens != null) b.chatTemplateTokens(chatTemplateTokens);
        if (engine != null) b.engine(ENGINE.parse(engine));
        if (loading != null) b.loading(duration("--loading", loading));
        if (reasoningTokens != null) b.reasoningTokens(reasoningTokens);
        return b.build();
    }

    /**
     * The configuration that {@code options} describe: this command's options as one string, as
     * {@code llmh run --sim} takes them (blank for the default preset). The one reader of such a
     * string, so that it is checked, and its errors worded, the same wherever it is given.
     *
     * @param option the option that gave the string, e.g. {@code --sim}, which an error names
     * @throws IllegalArgumentException one line naming {@code option}, the string and what is wrong
     *     with it (an unknown option, or a value outside its bound)
     */
    public static SimConfig fromOptions(String option, String options) {
        String text = options == null ? "" : options.strip();
        SimCommand command = new SimCommand();
        try {
            new CommandLine(command).parseArgs(text.isEmpty() ? new String[0] : text.split("\\s+"));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException("invalid " + option + " options \"" + text + "\": " + e.getMessage()
                    + "; `llmh sim --help` lists them");
        }
        try {
            return command.toConfig();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " \"" + text + "\": " + e.getMessage(), e);
        }
    }

    /**
     * The options that shape what the simulator serves, as one line (without its address and
     * bookkeeping options): what a result records about the simulator it measured.
     */
    public static String describe(SimConfig config) {
        List<String> args = arguments(config);
        List<String> kept = new ArrayList<>();
        java.util.Set<String> skipped =
                java.util.Set.of("--host", "--port", "--created", "--ground-truth-capacity", "--max-request-bytes");
        for (int i = 0; i < args.size(); i++) {
            if (skipped.contains(args.get(i)) && i + 1 < args.size()) {
                i++;
                continue;
            }
            kept.add(args.get(i));
        }
        return String.join(" ", kept);
    }

    /** Command-line arguments that make {@link #toConfig()} return exactly {@code config}. */
    public static List<String> arguments(SimConfig config) {
        List<String> args = new ArrayList<>();
        String preset = SimConfig.PRESETS.contains(config.preset()) ? config.preset() : "default";
        add(args, "--preset", preset);
        add(args, "--host", config.host());
        add(args, "--port", config.port());
        add(args, "--io-threads", config.ioThreads());
        add(args, "--model", config.model());
        add(args, "--seed", config.seed());
        add(args, "--timing", config.timing());
        add(args, "--step-base", DurationText.format(config.stepBase()));
        add(args, "--prefill-per-token", DurationText.format(config.prefillPerToken()));
        add(args, "--decode-per-seq", DurationText.format(config.decodePerSequence()));
        add(args, "--decode-per-kv-token", DurationText.format(config.decodePerKvToken()));
        add(args, "--itl-scale", config.itlScale());
        add(args, "--max-num-seqs", config.maxNumSeqs());
        add(args, "--kv-cache-tokens", config.kvCacheTokens());
        add(args, "--max-num-batched-tokens", config.maxBatchedTokens());
        add(args, "--ttft", DurationText.format(config.fixedTtft()));
        add(args, "--itl", DurationText.format(config.fixedItl()));
        add(args, "--max-model-len", config.maxModelLen());
        add(args, "--default-max-tokens", config.defaultMaxTokens());
        for (Map.Entry<FaultKind, Double> e : config.faultRates().entrySet()) {
            add(args, "--fault", e.getKey().wireName() + "=" + e.getValue());
        }
        add(args, "--ground-truth-capacity", config.groundTruthCapacity());
        add(args, "--created", config.createdEpochSeconds());
        add(args, "--max-request-bytes", config.maxRequestBytes());
        // Only when not the default, so that the description of a default simulator stays as it was.
        if (!SimTokenizer.CL100K.equals(config.tokenizer())) {
            add(args, "--tokenizer", config.tokenizer());
        }
        if (config.chatTemplateTokens() != 0) {
            add(args, "--chat-template-tokens", config.chatTemplateTokens());
        }
        if (config.engine() != SimPersona.ALL) {
            add(args, "--engine", config.engine().wireName());
        }
        if (!config.loading().isZero()) {
            add(args, "--loading", DurationText.format(config.loading()));
        }
        if (config.reasoningTokens() != 0) {
            add(args, "--reasoning-tokens", config.reasoningTokens());
        }
        return args;
    }

    private static void add(List<String> args, String name, Object value) {
        args.add(name);
        args.add(String.valueOf(value));
    }

    private static Duration duration(String option, String text) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        if (exitOnStdinEof) {
            ignoreTerminalSignals();
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SimConfig config;
        try {
            config = toConfig();
        } catch (IllegalArgumentException e) {
            err.println("llmh sim: " + e.getMessage());
            err.flush();
            return Llmh.USAGE;
        }
        SimServer server;
        try {
            server = SimServer.start(config);
        } catch (SimException e) {
            err.println("llmh sim: " + e.getMessage());
            err.flush();
            return Llmh.USAGE;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    server.close();
                    stop.countDown();
                },
                "llmh-sim-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println(LISTENING_PREFIX + server.baseUrl());
        out.printf(
                Locale.ROOT,
                "llmh-sim preset %s, timing %s, model %s, seed %d%n",
                config.preset(),
                config.timing(),
                config.model(),
                config.seed());
        out.flush();
        if (exitOnStdinEof) {
            Thread watcher = new Thread(() -> awaitEof(System.in, stop), "llmh-sim-stdin");
            watcher.setDaemon(true);
            watcher.start();
        }
        stop.await();
        server.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook has run
        }
        return Llmh.OK;
    }

    /**
     * A child of a harness process ignores Ctrl-C (SIGINT) and SIGTERM: a terminal, {@code timeout}
     * or a CI runner sends them to the whole process group, and the parent must be able to cancel
     * its requests in flight and write its result while this server still answers. The parent
     * stops the child by closing its standard input, which also happens when the parent dies.
     */
    @SuppressWarnings("restriction")
    private static void ignoreTerminalSignals() {
        for (String name : List.of("INT", "TERM")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sun.misc.SignalHandler.SIG_IGN);
            } catch (IllegalArgumentException e) {
                // Not a signal on this platform, or the JVM runs with -Xrs: nothing to ignore.
            }
        }
    }

    private static void awaitEof(InputStream in, CountDownLatch stop) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // discard: standard input only signals that the parent is alive
            }
        } catch (IOException e) {
            // a broken pipe means the parent is gone, as EOF does
        }
        stop.countDown();
    }
}
