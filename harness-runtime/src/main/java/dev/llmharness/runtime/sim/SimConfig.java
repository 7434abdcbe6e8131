package dev.llmharness.runtime.sim;

import dev.llmharness.api.Limits;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the simulated LLM server can be told: where it listens, what it serves, how fast it
 * is and what goes wrong. Start from a preset ({@link #preset(String)}) and change what you need
 * through {@link #toBuilder()}. The latency equations are in {@code docs/simulator.md}. Every
 * duration is 0 to {@link Limits#MAX_DURATION}; every bound is checked when the record is built, the
 * same for {@code llmh sim}'s options, a {@code --sim "..."} string and the builder.
 *
 * @param preset the preset this configuration started from (a label; the fields below rule)
 * @param host address to bind; {@code 127.0.0.1} unless you mean to expose it
 * @param port TCP port, 0 for an ephemeral one (see {@link SimServer#baseUrl()}); 0 to 65535
 * @param ioThreads Netty event-loop threads; 1 to {@link #MAX_IO_THREADS}
 * @param model the one model name served; requests naming another get 404
 * @param seed seed of the generated text, the simulated end-of-sequence lengths and the run-level
 *     fault draws
 * @param timing which latency model runs
 * @param stepBase {@link Timing#BATCHED}: fixed cost of every engine step
 * @param prefillPerToken {@link Timing#BATCHED}: cost of each prompt token prefilled in a step
 * @param decodePerSequence {@link Timing#BATCHED}: cost of each decoding sequence in a step
 * @param decodePerKvToken {@link Timing#BATCHED}: cost of each context token (prompt plus output so
 *     far) of the decoding sequences in a step
 * @param itlScale multiplies the step base and decode costs ({@link Timing#BATCHED}) or the
 *     inter-token latency ({@link Timing#FIXED}); 1.2 makes decoding 20 % slower; above 0, at most
 *     {@link #MAX_ITL_SCALE}
 * @param maxNumSeqs {@link Timing#BATCHED}: most sequences in the running batch; 1 to {@link
 *     Limits#MAX_CONCURRENCY}
 * @param kvCacheTokens {@link Timing#BATCHED}: KV-cache capacity in tokens; each admitted request
 *     reserves its prompt plus its output limit; {@code maxModelLen} to {@link #MAX_KV_CACHE_TOKENS}
 * @param maxBatchedTokens {@link Timing#BATCHED}: token budget of one step (decode tokens plus
 *     prefill chunks, i.e. chunked prefill); 0 for no budget (whole prompts, no chunking); at most
 *     {@link #MAX_KV_CACHE_TOKENS}
 * @param fixedTtft {@link Timing#FIXED}: time from receipt to the first token
 * @param fixedItl {@link Timing#FIXED}: time between tokens (times {@code itlScale})
 * @param maxModelLen context limit in tokens: prompt plus output must fit; 2 to {@link
 *     Limits#MAX_TOKENS}
 * @param defaultMaxTokens output limit in tokens when a request sets none and does not ask for
 *     {@code ignore_eos}; 1 to {@code maxModelLen - 1}
 * @param faultRates probability, per request, of each fault kind with its default parameters; each
 *     in [0, 1], together at most 1
 * @param groundTruthCapacity most ground-truth records kept (the oldest are dropped first); 0
 *     records nothing; at most {@link #MAX_GROUND_TRUTH_RECORDS}
 * @param createdEpochSeconds value of the {@code created} field of responses; 0 for the wall clock
 * @param maxRequestBytes largest request body accepted (413 beyond); 1024 to {@link
 *     #MAX_REQUEST_BYTES}
 * @param tokenizer how prompts are counted: {@code cl100k_base} (default) or {@code sim-words}, the
 *     simulator's own tokenizer that differs from every jtokkit encoding ({@link SimTokenizer})
 * @param chatTemplateTokens tokens a chat template adds per message to chat prompt counts; 0 to
 *     {@link Limits#MAX_TOKENS}
 * @param engine which engine the server poses as: its routes and its {@code /tokenize} answers
 *     ({@link SimPersona#ALL}, every engine's at once, by default)
 * @param loading how long after start the server answers 503 {@code Loading model} to every
 *     request but {@code /metrics} and {@code /admin/ground-truth}, as llama.cpp does while it
 *     loads its model; zero (the default) for ready at once
 * @param reasoningTokens how many of each streamed answer's first tokens are reasoning, sent as a
 *     reasoning model's server sends them ({@code reasoning_content} deltas on the OpenAI chat
 *     endpoint, {@code thinking} on Ollama's); 0 (the default) for none; 0 to {@link
 *     Limits#MAX_TOKENS}
 */
public record SimConfig(
        String preset,
        String host,
        int port,
        int ioThreads,
        String model,
        long seed,
        Timing timing,
        Duration stepBase,
        Duration prefillPerToken,
        Duration decodePerSequence,
        Duration decodePerKvToken,
        double itlScale,
        int maxNumSeqs,
        int kvCacheTokens,
        int maxBatchedTokens,
        Duration fixedTtft,
        Duration fixedItl,
        int maxModelLen,
        int defaultMaxTokens,
        Map<FaultKind, Double> faultRates,
        int groundTruthCapacity,
        long createdEpochSeconds,
        int maxRequestBytes,
        String tokenizer,
        int chatTemplateTokens,
        SimPersona engine,
        Duration loading,
        int reasoningTokens) {

    /** Which latency model the server runs. */
    public enum Timing {
        /** A continuous-batching engine: steps, batch slots, KV-cache capacity, queueing. */
        BATCHED,
        /** Every request alone: a fixed TTFT, then one token per fixed ITL; no batching effects. */
        FIXED,
        /** No delays: every token is written as soon as the request is read (capacity tests). */
        IMMEDIATE
    }

    /** Names accepted by {@link #preset(String)}. */
    public static final List<String> PRESETS = List.of("default", "a100-8b", "small-fast", "slow", "fixed-itl", "zero");

    /**
     * Most Netty event-loop threads ({@code ioThreads}, {@code --io-threads}), 1,024: each is a
     * platform thread with its own selector, and more of them than a machine has hardware threads
     * (768 on the largest two-socket servers) add threads, not speed. A larger value is a slip of
     * the digits.
     */
    public static final int MAX_IO_THREADS = 1024;

    /**
     * Largest {@code itlScale} ({@code --itl-scale}), 1,000: decoding a thousand times slower turns
     * the default preset's 15 ms step into 15 s and a fixed 20 ms ITL into 20 s: one token in 15 to
     * 20 seconds from every stream, slower than any server worth measuring; a larger factor is a slip
     * of the digits.
     */
    public static final double MAX_ITL_SCALE = 1000;

    /**
     * Largest KV cache ({@code kvCacheTokens}, {@code --kv-cache-tokens}) and step budget ({@code
     * maxBatchedTokens}, {@code --max-num-batched-tokens}), in tokens: 1,073,741,824, {@link
     * Limits#MAX_TOKENS} on each of {@link Limits#MAX_GPUS} GPUs, where one 80 GB GPU holds about
     * half a million tokens of an 8B model's KV cache. It keeps the scheduler's reservations (the
     * cache's plus one request's, in an {@code int}) from overflowing; a step's tokens all sit in the
     * KV cache, so a larger budget could never be reached.
     */
    public static final int MAX_KV_CACHE_TOKENS = Limits.MAX_TOKENS * Limits.MAX_GPUS;

    /**
     * Most ground-truth records kept ({@code groundTruthCapacity}, {@code --ground-truth-capacity}),
     * 1,000,000: the log is allocated whole at start, and {@link SimProcess} gives the simulator's JVM
     * a fixed heap of 2 KiB a record, touched at start-up, so a million records already take a
     * 2.2 GiB heap (ten million would take 20 GiB). The harness drains the log as it goes and keeps
     * at most 200,000.
     */
    public static final int MAX_GROUND_TRUTH_RECORDS = 1_000_000;

    /**
     * Largest request body limit ({@code maxRequestBytes}, {@code --max-request-bytes}), 256 MiB:
     * each body is held whole in the heap until it is read, and the simulator's JVM has 512 MiB
     * ({@link SimProcess#DEFAULT_JVM_OPTIONS}), so a limit near that lets one request end the
     * simulator with an {@code OutOfMemoryError}. A prompt of {@link Limits#MAX_TOKENS} tokens is
     * about 4 MiB of text, under 32 MiB with every character escaped in JSON.
     */
    public static final int MAX_REQUEST_BYTES = 256 << 20;

    /**
     * Checks every value; a message names the field with its {@code llmh sim} option (the same
     * value reaches here from {@code llmh sim}, a {@code --sim "..."} string and the builder), the
     * accepted range and the value given.
     */
    public SimConfig {
        Objects.requireNonNull(preset, "preset");
        require(host != null && !host.isBlank(), "host (--host) must not be empty; use 127.0.0.1");
        within("port (--port)", port, 0, 65535, "(0 picks a free port)");
        within("ioThreads (--io-threads)", ioThreads, 1, MAX_IO_THREADS, "(SimConfig.MAX_IO_THREADS)");
        require(model != null && !model.isBlank(), "model (--model) must not be empty, e.g. sim-llm");
        Objects.requireNonNull(timing, "timing");
        // Every pause within the harness's own bound (Limits.MAX_DURATION), so that a slip of the
        // unit is refused here too.
        Duration[] durations = {
            stepBase, prefillPerToken, decodePerSequence, decodePerKvToken, fixedTtft, fixedItl, loading
        };
        String[] durationNames = {
            "stepBase (--step-base)",
            "prefillPerToken (--prefill-per-token)",
            "decodePerSequence (--decode-per-seq)",
            "decodePerKvToken (--decode-per-kv-token)",
            "fixedTtft (--ttft)",
            "fixedItl (--itl)",
            "loading (--loading)"
        };
        for (int i = 0; i < durations.length; i++) {
            Objects.requireNonNull(durations[i], durationNames[i]);
            require(!durations[i].isNegative(), durationNames[i] + " must not be negative, was " + durations[i]);
            String tooLong = Limits.aboveMaxDuration(durationNames[i], durations[i]);
            if (tooLong != null) {
                require(false, tooLong + "; check the unit (m is minutes, h hours)");
            }
        }
        // Written so that NaN fails too.
        require(
                itlScale > 0 && itlScale <= MAX_ITL_SCALE,
                "itlScale (--itl-scale) must be above 0 and at most " + (long) MAX_ITL_SCALE
                        + " (SimConfig.MAX_ITL_SCALE; 1.2 = 20 % slower decode), was " + itlScale);
        // A simulated server serves what one harness can send: a batch and a context within what
        // the annotations may declare (Limits).
        within("maxNumSeqs (--max-num-seqs)", maxNumSeqs, 1, Limits.MAX_CONCURRENCY, "(Limits.MAX_CONCURRENCY)");
        within("maxModelLen (--max-model-len)", maxModelLen, 2, Limits.MAX_TOKENS, "tokens (Limits.MAX_TOKENS)");
        require(
                kvCacheTokens >= maxModelLen,
                "kvCacheTokens (--kv-cache-tokens, " + kvCacheTokens + ") must be at least maxModelLen"
                        + " (--max-model-len, " + maxModelLen + ") so that every valid request fits alone");
        within(
                "kvCacheTokens (--kv-cache-tokens)",
                kvCacheTokens,
                maxModelLen,
                MAX_KV_CACHE_TOKENS,
                "tokens (SimConfig.MAX_KV_CACHE_TOKENS)");
        within(
                "maxBatchedTokens (--max-num-batched-tokens)",
                maxBatchedTokens,
                0,
                MAX_KV_CACHE_TOKENS,
                "tokens (0 for no budget, i.e. no chunked prefill; SimConfig.MAX_KV_CACHE_TOKENS)");
        within(
                "defaultMaxTokens (--default-max-tokens)",
                defaultMaxTokens,
                1,
                maxModelLen - 1,
                "tokens (maxModelLen - 1: the prompt takes at least one)");
        Objects.requireNonNull(faultRates, "faultRates");
        double sum = 0;
        EnumMap<FaultKind, Double> rates = new EnumMap<>(FaultKind.class);
        for (Map.Entry<FaultKind, Double> e : faultRates.entrySet()) {
            double rate = e.getValue();
            require(
                    rate >= 0 && rate <= 1,
                    "fault rate of " + e.getKey().wireName() + " (--fault) must be in [0, 1], was " + rate);
            sum += rate;
            if (rate > 0) {
                rates.put(e.getKey(), rate);
            }
        }
        require(sum <= 1 + 1e-9, "fault rates (--fault) must add up to at most 1, they add up to " + sum);
        faultRates = Collections.unmodifiableMap(rates);
        within(
                "groundTruthCapacity (--ground-truth-capacity)",
                groundTruthCapacity,
                0,
                MAX_GROUND_TRUTH_RECORDS,
                "records (0 keeps none; SimConfig.MAX_GROUND_TRUTH_RECORDS)");
        require(
                createdEpochSeconds >= 0,
                "createdEpochSeconds (--created) must be 0 (the wall clock) or more, was " + createdEpochSeconds);
        within(
                "maxRequestBytes (--max-request-bytes)",
                maxRequestBytes,
                1024,
                MAX_REQUEST_BYTES,
                "bytes (SimConfig.MAX_REQUEST_BYTES, 256 MiB)");
        require(
                SimTokenizer.NAMES.contains(tokenizer),
                "tokenizer (--tokenizer) must be one of " + SimTokenizer.NAMES + ", was " + tokenizer);
        within(
                "chatTemplateTokens (--chat-template-tokens)",
                chatTemplateTokens,
                0,
                Limits.MAX_TOKENS,
                "tokens (Limits.MAX_TOKENS)");
        Objects.requireNonNull(engine, "engine");
        within(
                "reasoningTokens (--reasoning-tokens)",
                reasoningTokens,
                0,
                Limits.MAX_TOKENS,
                "tokens (Limits.MAX_TOKENS)");
    }

    /** The {@code default} preset. */
    public static SimConfig defaults() {
        return preset("default");
    }

    /**
     * A named preset:
     *
     * <ul>
     *   <li>{@code default} (alias {@code a100-8b}): an 8B model on one A100-class GPU; idle TTFT
     *       30.4 ms for a 256-token prompt, ITL 15.2 ms alone, ceiling about 4,600 output tokens/s
     *       at 256 sequences of 400 context tokens.
     *   <li>{@code small-fast}: a 1B model; ITL about 6 ms alone, ceiling about 15,000 tokens/s.
     *   <li>{@code slow}: a 70B-class model on few GPUs; ITL about 40 ms alone, 64 sequences,
     *       ceiling about 950 tokens/s.
     *   <li>{@code fixed-itl}: {@link Timing#FIXED}, TTFT 20 ms, ITL 20 ms, for accuracy tests.
     *   <li>{@code zero}: {@link Timing#IMMEDIATE}, for capacity tests.
     * </ul>
     *
     * @throws IllegalArgumentException naming the valid presets
     */
    public static SimConfig preset(String name) {
        Builder b = new Builder().preset(name);
        switch (name) {
            case "default", "a100-8b" ->
                b.batched(
                        Duration.ofMillis(15),
                        Duration.ofNanos(60_000),
                        Duration.ofNanos(150_000),
                        Duration.ofNanos(20),
                        256,
                        131_072,
                        8192);
            case "small-fast" ->
                b.batched(
                        Duration.ofMillis(6),
                        Duration.ofNanos(15_000),
                        Duration.ofNanos(40_000),
                        Duration.ofNanos(5),
                        256,
                        262_144,
                        8192);
            case "slow" ->
                b.batched(
                        Duration.ofMillis(40),
                        Duration.ofNanos(300_000),
                        Duration.ofNanos(400_000),
                        Duration.ofNanos(50),
                        64,
                        32_768,
                        4096);
            case "fixed-itl" ->
                b.timing(Timing.FIXED).fixedTtft(Duration.ofMillis(20)).fixedItl(Duration.ofMillis(20));
            case "zero" -> b.timing(Timing.IMMEDIATE);
            default ->
                throw new IllegalArgumentException(
                        "unknown simulator preset '" + name + "'; use one of " + String.join(", ", PRESETS));
        }
        return b.build();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder starting from the {@code default} preset. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** The step base cost in nanoseconds, ITL scale applied. */
    long scaledStepBaseNanos() {
        return Math.round(stepBase.toNanos() * itlScale);
    }

    /**
     * The decode throughput ceiling of {@link Timing#BATCHED} in output tokens per second: a full
     * batch of {@code maxNumSeqs} sequences, each with {@code contextTokens} tokens of context, one
     * token each per step. An upper bound when prefill steps interleave.
     */
    public double outputTokensPerSecondCeiling(int contextTokens) {
        double stepNanos = (stepBase.toNanos()
                        + (double) decodePerSequence.toNanos() * maxNumSeqs
                        + (double) decodePerKvToken.toNanos() * maxNumSeqs * contextTokens)
                * itlScale;
        return maxNumSeqs / (stepNanos / 1e9);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("invalid simulator configuration: " + message);
        }
    }

    /**
     * Requires {@code min <= value <= max}: the one wording of every whole-number bound, e.g.
     * {@code ioThreads (--io-threads) must be 1 to 1024 (SimConfig.MAX_IO_THREADS), was 5000}.
     *
     * @param name the field with its option
     * @param unit what follows the range: a unit and, in parentheses, what its ends mean or the
     *     constant that sets them
     */
    private static void within(String name, long value, long min, long max, String unit) {
        require(value >= min && value <= max, name + " must be " + min + " to " + max + " " + unit + ", was " + value);
    }

    /** Collects the values of a {@link SimConfig}; every setter returns this builder. */
    public static final class Builder {
        private String preset = "custom";
        private String host = "127.0.0.1";
        private int port = 0;
        private int ioThreads = 1;
        private String model = "sim-llm";
        private long seed = 42;
        private Timing timing = Timing.BATCHED;
        private Duration stepBase = Duration.ZERO;
        private Duration prefillPerToken = Duration.ZERO;
        private Duration decodePerSequence = Duration.ZERO;
        private Duration decodePerKvToken = Duration.ZERO;
        private double itlScale = 1.0;
        private int maxNumSeqs = 256;
        private int kvCacheTokens = 1 << 20;
        private int maxBatchedTokens = 0;
        private Duration fixedTtft = Duration.ZERO;
        private Duration fixedItl = Duration.ZERO;
        private int maxModelLen = 8192;
        private int defaultMaxTokens = 256;
        private Map<FaultKind, Double> faultRates = new EnumMap<>(FaultKind.class);
        private int groundTruthCapacity = 10_000;
        private long createdEpochSeconds = 0;
        private int maxRequestBytes = 8 << 20;
        private String tokenizer = SimTokenizer.CL100K;
        private int chatTemplateTokens;
        private SimPersona engine = SimPersona.ALL;
        private Duration loading = Duration.ZERO;
        private int reasoningTokens;

        private Builder() {}

        private Builder(SimConfig c) {
            preset = c.preset;
            host = c.host;
            port = c.port;
            ioThreads = c.ioThreads;
            model = c.model;
            seed = c.seed;
            timing = c.timing;
            stepBase = c.stepBase;
            prefillPerToken = c.prefillPerToken;
            decodePerSequence = c.decodePerSequence;
            decodePerKvToken = c.decodePerKvToken;
            itlScale = c.itlScale;
            maxNumSeqs = c.maxNumSeqs;
            kvCacheTokens = c.kvCacheTokens;
            maxBatchedTokens = c.maxBatchedTokens;
            fixedTtft = c.fixedTtft;
            fixedItl = c.fixedItl;
            maxModelLen = c.maxModelLen;
            defaultMaxTokens = c.defaultMaxTokens;
            faultRates = new EnumMap<>(FaultKind.class);
            faultRates.putAll(c.faultRates);
            groundTruthCapacity = c.groundTruthCapacity;
            createdEpochSeconds = c.createdEpochSeconds;
            maxRequestBytes = c.maxRequestBytes;
            tokenizer = c.tokenizer;
            chatTemplateTokens = c.chatTemplateTokens;
            engine = c.engine;
            loading = c.loading;
            reasoningTokens = c.reasoningTokens;
        }

        private Builder batched(
                Duration base,
                Duration prefill,
                Duration perSeq,
                Duration perKv,
                int seqs,
                int kvTokens,
                int batchedTokens) {
            return timing(Timing.BATCHED)
                    .stepBase(base)
                    .prefillPerToken(prefill)
                    .decodePerSequence(perSeq)
                    .decodePerKvToken(perKv)
                    .maxNumSeqs(seqs)
                    .kvCacheTokens(kvTokens)
                    .maxBatchedTokens(batchedTokens);
        }

        public Builder preset(String v) {
            preset = v;
            return this;
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder ioThreads(int v) {
            ioThreads = v;
            return this;
        }

        public Builder model(String v) {
            model = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder timing(Timing v) {
            timing = v;
            return this;
        }

        public Builder stepBase(Duration v) {
            stepBase = v;
            return this;
        }

        public Builder prefillPerToken(Duration v) {
            prefillPerToken = v;
            return this;
        }

        public Builder decodePerSequence(Duration v) {
            decodePerSequence = v;
            return this;
        }

        public Builder decodePerKvToken(Duration v) {
            decodePerKvToken = v;
            return this;
        }

        public Builder itlScale(double v) {
            itlScale = v;
            return this;
        }

        public Builder maxNumSeqs(int v) {
            maxNumSeqs = v;
            return this;
        }

        public Builder kvCacheTokens(int v) {
            kvCacheTokens = v;
            return this;
        }

        public Builder maxBatchedTokens(int v) {
            maxBatchedTokens = v;
            return this;
        }

        public Builder fixedTtft(Duration v) {
            fixedTtft = v;
            return this;
        }

        public Builder fixedItl(Duration v) {
            fixedItl = v;
            return this;
        }

        public Builder maxModelLen(int v) {
            maxModelLen = v;
            return this;
        }

        public Builder defaultMaxTokens(int v) {
            defaultMaxTokens = v;
            return this;
        }

        /** Sets the rate of one fault kind, keeping the others. */
        public Builder faultRate(FaultKind kind, double rate) {
            faultRates.put(kind, rate);
            return this;
        }

        /** Replaces all fault rates. */
        public Builder faultRates(Map<FaultKind, Double> v) {
            faultRates = new EnumMap<>(FaultKind.class);
            faultRates.putAll(v);
            return this;
        }

        public Builder groundTruthCapacity(int v) {
            groundTruthCapacity = v;
            return this;
        }

        public Builder createdEpochSeconds(long v) {
            createdEpochSeconds = v;
            return this;
        }

        public Builder maxRequestBytes(int v) {
            maxRequestBytes = v;
            return this;
        }

        public Builder tokenizer(String v) {
            tokenizer = v;
            return this;
        }

        public Builder chatTemplateTokens(int v) {
            chatTemplateTokens = v;
            return this;
        }

        public Builder engine(SimPersona v) {
            engine = v;
            return this;
        }

        public Builder loading(Duration v) {
            loading = v;
            return this;
        }

        public Builder reasoningTokens(int v) {
            reasoningTokens = v;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException naming the first invalid value
         */
        public SimConfig build() {
            return new SimConfig(
                    preset,
                    host,
                    port,
                    ioThreads,
                    model,
                    seed,
                    timing,
                    stepBase,
                    prefillPerToken,
                    decodePerSequence,
                    decodePerKvToken,
                    itlScale,
                    maxNumSeqs,
                    kvCacheTokens,
                    maxBatchedTokens,
                    fixedTtft,
                    fixedItl,
                    maxModelLen,
                    defaultMaxTokens,
                    faultRates,
                    groundTruthCapacity,
                    createdEpochSeconds,
                    maxRequestBytes,
                    tokenizer,
                    chatTemplateTokens,
                    engine,
                    loading,
                    reasoningTokens);
        }
    }
}
