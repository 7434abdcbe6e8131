package dev.llmharness.runtime.data;

import dev.llmharness.api.Distribution;
import dev.llmharness.api.Prompt;
import dev.llmharness.api.spi.ShapeWorkload;
import java.util.SplittableRandom;

/**
 * Synthetic prompts of exact token counts, generated lazily per request index.
 *
 * <p>Prompt {@code i} is: the shared prefix (identical for every request, {@code sharedPrefix}
 * tokens), then a unique marker of up to {@link #MARKER_TOKENS} words spelling {@code i} plus a
 * seed-derived offset, then seeded sentences up to the drawn length. The marker comes first after
 * the prefix so that a server's prefix cache can reuse the shared prefix and nothing else, as in
 * vLLM's and GenAI-Perf's random datasets.
 *
 * <p>Exactness follows from construction (every unit is one token and the tokenizer splits at
 * every unit boundary, checked when the vocabulary is built). Re-encoding a prompt costs about
 * six times as much as building it, so it is re-checked for the first {@link #VERIFY_FIRST}
 * indices and every {@link #VERIFY_EVERY}-th after, which catches a broken vocabulary at once
 * without putting a tokenizer pass on every request.
 */
final class ShapePromptSource implements PromptSource {
    /** Marker length in tokens; with a marker base of B words, {@code B^4} requests stay distinct. */
    static final int MARKER_TOKENS = 4;

    static final long VERIFY_FIRST = 256;
    static final long VERIFY_EVERY = 1024;

    private final ShapeWorkload workload;
    private final long seed;
    private final Tokenizer tokenizer;
    private final SyntheticText text;
    private final LengthSampler input;
    private final LengthSampler output;
    private final EmpiricalLengths empirical;
    private final String prefix;
    private final long markerOffset;
    private final long markerModulus;

    ShapePromptSource(
            ShapeWorkload workload, long seed, Tokenizer tokenizer, SyntheticText text, EmpiricalLengths empirical) {
        this.workload = workload;
        this.seed = seed;
        this.tokenizer = tokenizer;
        this.text = text;
        this.input =
                workload.input().distribution() == Distribution.EMPIRICAL ? null : new LengthSampler(workload.input());
        this.output = workload.output().distribution() == Distribution.EMPIRICAL
                ? null
                : new LengthSampler(workload.output());
        this.empirical = empirical;
        StringBuilder shared = new StringBuilder();
        text.appendSentences(Seeds.random(seed, Seeds.SHARED_PREFIX, 0), workload.sharedPrefix(), shared);
        this.prefix = shared.toString();
        long modulus = 1;
        for (int i = 0; i < MARKER_TOKENS; i++) {
            modulus *= text.markerBase();
        }
        this.markerModulus = modulus;
        this.markerOffset = Math.floorMod(Seeds.mix(seed, Seeds.MARKER, 0), modulus);
    }

    @Override
    public Prompt prompt(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        SplittableRandom random = Seeds.random(seed, Seeds.SHAPE_PROMPT, index);
        int inputTokens;
        int outputTokens;
        if (empirical != null) {
            int record = empirical.draw(random);
            inputTokens = input == null ? empirical.input(record) : input.sample(random);
            outputTokens = output == null ? empirical.output(record) : output.sample(random);
        } else {
            inputTokens = input.sample(random);
            outputTokens = output.sample(random);
        }
        int own = inputTokens - workload.sharedPrefix();
        int marker = Math.min(MARKER_TOKENS, own);
        StringBuilder out = new StringBuilder(prefix.length() + inputTokens * 7);
        out.append(prefix);
        text.appendMarker(Math.floorMod(index + markerOffset, markerModulus), marker, out);
        text.appendSentences(random, own - marker, out);
        String prompt = out.toString();
        if (index >= VERIFY_FIRST && index % VERIFY_EVERY != 0) {
            return new Prompt(index, prompt, inputTokens, outputTokens, workload.exactOutput(), null);
        }
        int counted = tokenizer.count(prompt);
        if (counted != inputTokens) {
            // Unreachable while SyntheticText's vocabulary check holds; fail loudly rather than mislead.
            throw new IllegalStateException("synthetic prompt " + index + " should be " + inputTokens + " tokens under "
                    + tokenizer.encoding() + " but re-encodes to " + counted);
        }
        return new Prompt(index, prompt, inputTokens, outputTokens, workload.exactOutput(), null);
    }

    /** Exact by construction (see the class comment), which the re-encoding above checks. */
    @Override
    public String exactEncoding() {
        return tokenizer.encoding();
    }
}
