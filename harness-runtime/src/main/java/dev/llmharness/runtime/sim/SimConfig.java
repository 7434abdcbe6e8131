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
 * through {@link #toBuilder()}. The latency equations are in {@code docs/simulator.md}.
 *
 * @param preset the preset this configuration started from (a label; the fields below rule)
 * @param host address to bind; {@code 127.0.0.1} unless you mean to expose it
 * @param port TCP port, 0 for an ephemeral one (see {@link SimServer#baseUrl()}); 0 to 65535
 * @param ioThreads Netty event-loop threads; at least 1
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
 *     inter-token latency ({@link Timing#FIXED}); 1.2 makes decoding 20 % slower; above 0
 * @param maxNumSeqs {@link Timing#BATCHED}: most sequences in the running batch; at least 1
 * @param kvCacheTokens {@link Timing#BATCHED}: KV-cache capacity in tokens; each admitted request
 *     reserves its prompt plus its output limit; at least {@code maxModelLen}
 * @param maxBatchedTokens {@link Timing#BATCHED}: token budget of one step (decode tokens plus
 *     prefill chunks, i.e. chunked prefill); 0 for no budget (whole prompts, no chunking)
 * @param fixedTtft {@link Timing#FIXED}: time from receipt to the first token
 * @param fixedItl {@link Timing#FIXED}: time between tokens (times {@code itlScale})
 * @param maxModelLen context limit in tokens: prompt plus output must fit; at least 2
 * @param defaultMaxTokens output limit in tokens when a request sets none and does not ask for
 *     {@code ignore_eos}; at least 1
 * @param faultRates probability, per request, of each fault kind with its default parameters; each
 *     in [0, 1], together at most 1
 * @param groundTruthCapacity most ground-truth records kept (the oldest are dropped first); 0
 *     records nothing
 * @param createdEpochSeconds value of the {@code created} field of responses; 0 for the wall clock
 * @param maxRequestBytes largest request body accepted (413 beyond); at least 1024
 * @param tokenizer how prompts are counted: {@code cl100k_base} (default) or {@code sim-words}, the
 *     simulator's own tokenizer that differs from every jtokkit encoding ({@link SimTokenizer})
 * @param chatTemplateTokens tokens a chat template adds per message to chat prompt counts; 0 or more
 * @param engine which engine the server poses as: its routes and its {@code /tokenize} answers
 *     ({@link SimPersona#ALL}, every engine's at once, by default)
 * @param loading how long after start the server answers 503 {@code Loading model} to every
 *     request but {@code /metrics} and {@code /admin/ground-truth}, as llama.cpp does while it
 *     loads its model; zero (the default) for ready at once
 * @param reasoningTokens how many of each streamed answer's first tokens are reasoning, sent as a
 *     reasoning model's server sends them ({@code reasoning_content} deltas on the OpenAI chat
 *     endpoint, {@code thinking} on Ollama's); 0 (the default) for none; 0 or more
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

    public SimConfig {
        Objects.requireNonNull(preset, "preset");
        require(host != null && !host.isBlank(), "host must not be empty; use 127.0.0.1");
        require(port >= 0 && port <= 65535, "port must be 0 to 65535 (0 picks a free port), was " + port);
        require(ioThreads >= 1, "ioThreads must be at least 1, was " + ioThreads);
        require(model != null && !model.isBlank(), "model must not be empty, e.g. sim-llm");
        Objects.requireNonNull(timing, "timing");
        for (Duration d :
                new Duration[] {stepBase, prefillPerToken, decodePerSequence, decodePerKvToken, fixedTtft, fixedItl}) {
            Objects.requireNonNull(d, "durations must not be null");
            require(!d.isNegative(), "durations must not be negative, was " + d);
        }
        require(
                itlScale > 0 && Double.isFinite(itlScale),
                "itlScale must be a finite number above 0 (1.2 = 20 % slower decode), was " + itlScale);
        require(maxNumSeqs >= 1, "maxNumSeqs must be at least 1, was " + maxNumSeqs);
        require(maxModelLen >= 2, "maxModelLen must be at least 2 tokens, was " + maxModelLen);
        require(
                kvCacheTokens >= maxModelLen,
                "kvCacheTokens (" + kvCacheTokens + ") must be at least maxModelLen (" + maxModelLen
                        + ") so that every valid request fits alone");
        require(maxBatchedTokens >= 0, "maxBatchedTokens must be 0 (no chunking) or more, was " + maxBatchedTokens);
        require(
                defaultMaxTokens >= 1 && defaultMaxTokens < maxModelLen,
                "defaultMaxTokens must be 1 to maxModelLen - 1, was " + defaultMaxTokens);
        Objects.requireNonNull(faultRates, "faultRates");
        double sum = 0;
        EnumMap<FaultKind, Double> rates = new EnumMap<>(FaultKind.class);
        for (Map.Entry<FaultKind, Double> e : faultRates.entrySet()) {
            double rate = e.getValue();
            require(
                    rate >= 0 && rate <= 1,
                    "fault rate of " + e.getKey().wireName() + " must be in [0, 1], was " + rate);
            sum += rate;
            if (rate > 0) {
                rates.put(e.getKey(), rate);
            }
        }
        require(sum <= 1 + 1e-9, "fault rates must add up to at most 1, they add up to " + sum);
        faultRates = Collections.unmodifiableMap(rates);
        require(groundTruthCapacity >= 0, "groundTruthCapacity must be 0 or more, was " + groundTruthCapacity);
        require(createdEpochSeconds >= 0, "createdEpochSeconds must be 0 (wall clock) or more");
        require(maxRequestBytes >= 1024, "maxRequestBytes must be at least 1024, was " + maxRequestBytes);
        require(
                SimTokenizer.NAMES.contains(tokenizer),
                "tokenizer must be one of " + SimTokenizer.NAMES + ", was " + tokenizer);
        require(chatTemplateTokens >= 0, "chatTemplateTokens must be >= 0, was " + chatTemplateTokens);
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(loading, "loading");
        require(!loading.isNegative(), "loading must not be negative, was " + loading);
        require(reasoningTokens >= 0, "reasoningTokens must be >= 0, was " + reasoningTokens);
        // The harness's own bounds (Limits), so that a slip of the digits is refused here too: a
        // simulated server serves what one harness can send, and a context, a batch and every pause
        // stay within what the annotations may declare.
        require(
                maxModelLen <= Limits.MAX_TOKENS,
                "maxModelLen must be at most " + Limits.MAX_TOKENS + " tokens (Limits.MAX_TOKENS), was " + maxModelLen);
        require(
                maxNumSeqs <= Limits.MAX_CONCURRENCY,
                "maxNumSeqs must be at most " + Limits.MAX_CONCURRENCY + " (Limits.MAX_CONCURRENCY), was "
                        + maxNumSeqs);
        require(
                chatTemplateTokens <= Limits.MAX_TOKENS && reasoningTokens <= Limits.MAX_TOKENS,
                "chatTemplateTokens and reasoningTokens must be at most " + Limits.MAX_TOKENS
                        + " (Limits.MAX_TOKENS), were " + chatTemplateTokens + " and " + reasoningTokens);
        for (Duration d : new Duration[] {
            stepBase, prefillPerToken, decodePerSequence, decodePerKvToken, fixedTtft, fixedItl, loading
        }) {
            String tooLong = Limits.aboveMaxDuration("a duration", d);
            if (tooLong != null) {
                require(false, tooLong + "; check the unit (m is minutes, h hours)");
            }
        }
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
