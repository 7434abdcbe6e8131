package dev.llmharness.runtime.data;

import dev.llmharness.api.Prompt;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.load.ArrivalTrace;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The prompts of a trace replayed with its lengths ({@code @TraceReplay(lengths = true)}): request
 * {@code i} is the trace's row {@code i} in time order, a synthetic prompt of exactly the row's
 * input tokens asking for exactly its output tokens (built as {@code @TokenShape}'s are: a marker
 * that makes the prompt unique, then seeded sentences).
 *
 * <p>A trace with no usable lengths at all (no length columns or fields, or none of at least 1
 * token) is refused: asked for its lengths, it would quietly send the trial's own prompts for every
 * request, which is not what the user asked for. A trace in which only some rows lack them is
 * replayed, those rows taking the trial's own prompt for their index, with a warning that says how
 * many.
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
     * lengths. Reads nothing: the trace is the one the run read for the trial.
     *
     * @param trace the trial's trace as read ({@link TraceReader#read}), or {@code null} when its
     *     load replays none
     * @param warnings told, in one line, how many of the trace's requests lack lengths when some do
     * @throws WorkloadException when the trace has no usable lengths at all: the line names the file
     *     and the fix
     */
    public static PromptSource forTrial(
            TrialSpec trial, PromptSource workloadPrompts, ArrivalTrace trace, Consumer<String> warnings) {
        Optional<String> lengths = trial.load().traceLengths();
        if (lengths.isEmpty()) {
            return workloadPrompts;
        }
        if (trace == null || !trace.source().equals(lengths.get())) {
            throw new IllegalArgumentException("the trace of " + lengths.get() + " must be read before the trial's"
                    + " prompts are made, got " + (trace == null ? "none" : trace.source()));
        }
        if (trace.requestsWithLengths() == 0) {
            throw new WorkloadException("trace file " + trace.source() + " has no request lengths (an Azure trace's"
                    + " ContextTokens and GeneratedTokens, a Mooncake trace's input_length and output_length, each at"
                    + " least 1), but @TraceReplay(lengths = true) asks for them: remove lengths = true to replay its"
                    + " arrival times with the trial's @TokenShape or @Dataset, or use a trace that has lengths");
        }
        int without = trace.size() - trace.requestsWithLengths();
        if (without > 0) {
            warnings.accept(String.format(
                    Locale.ROOT,
                    "%,d of the %,d requests of trace file %s have no lengths (one missing, or 0 tokens): each of"
                            + " them takes the trial's own @TokenShape or @Dataset prompt",
                    without,
                    trace.size(),
                    trace.source()));
        }
        Tokenizer tokenizer = Tokenizers.forEncoding(trial.workload().encoding());
        return new TracePrompts(
                trace, workloadPrompts, SyntheticText.forTokenizer(tokenizer), trial.seed(), tokenizer.encoding());
    }

    @Override
    public Prompt prompt(long index) {
        if (index >= trace.size()) {
            return fallback.prompt(index);
        }
        if (!trace.hasLengths((int) index)) {
            return fallback.prompt(index);
        }
        int input = trace.inputTokens((int) index);
        int output = trace.outputTokens((int) index);
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
