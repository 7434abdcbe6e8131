package dev.llmharness.runtime.data;

import dev.llmharness.api.Prompt;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.load.ArrivalTrace;
import java.util.SplittableRandom;

/**
 * The prompts of a trace replayed with its lengths ({@code @TraceReplay(lengths = true)}): request
 * {@code i} is the trace's row {@code i} in time order, a synthetic prompt of exactly the row's
 * input tokens asking for exactly its output tokens (built as {@code @TokenShape}'s are: a marker
 * that makes the prompt unique, then seeded sentences). A row without one of the lengths takes the
 * trial's own prompt for that index.
 */
public final class TracePrompts implements PromptSource {
    private final ArrivalTrace trace;
    private final PromptSource fallback;
    private final SyntheticText text;
    private final long seed;
    /** The encoding the synthetic text is exact in. */
    private final String encoding;

    private TracePrompts(ArrivalTrace trace, PromptSource fallback, SyntheticText text, long seed, String encoding) {
        this.encoding = encoding;
        this.trace = trace;
        this.fallback = fallback;
        this.text = text;
        this.seed = seed;
    }

    /**
     * The trial's prompts: {@code workloadPrompts} unless its load is a trace replayed with its
     * lengths.
     */
    public static PromptSource forTrial(TrialSpec trial, PromptSource workloadPrompts) {
        java.util.Optional<String> lengths = trial.load().traceLengths();
        if (lengths.isEmpty()) {
            return workloadPrompts;
        }
        Tokenizer tokenizer = Tokenizers.forEncoding(trial.workload().encoding());
        return new TracePrompts(
                TraceReader.read(lengths.get()),
                workloadPrompts,
                SyntheticText.forTokenizer(tokenizer),
                trial.seed(),
                tokenizer.encoding());
    }

    @Override
    public Prompt prompt(long index) {
        if (index >= trace.size()) {
            return fallback.prompt(index);
        }
        int input = trace.inputTokens((int) index);
        int output = trace.outputTokens((int) index);
        if (input < 1 || output < 1) {
            return fallback.prompt(index);
        }
        SplittableRandom random = Seeds.random(seed, Seeds.SHAPE_PROMPT, index);
        int marker = Math.min(ShapePromptSource.MARKER_TOKENS, input);
        StringBuilder out = new StringBuilder(input * 7);
        long modulus = 1;
        for (int i = 0; i < marker; i++) {
            modulus *= text.markerBase();
        }
        text.appendMarker(Math.floorMod(index, modulus), marker, out);
        text.appendSentences(random, input - marker, out);
        return new Prompt(index, out.toString(), input, output, true, null);
    }

    /** The trace's rows are exact by construction; the rows without lengths take the fallback's prompts. */
    @Override
    public String exactEncoding() {
        return encoding.equals(fallback.exactEncoding()) ? encoding : null;
    }
}
