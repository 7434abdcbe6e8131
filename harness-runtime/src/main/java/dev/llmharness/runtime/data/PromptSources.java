package dev.llmharness.runtime.data;

import dev.llmharness.api.Distribution;
import dev.llmharness.api.Limits;
import dev.llmharness.api.spi.DatasetWorkload;
import dev.llmharness.api.spi.LengthSpec;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.Workload;
import java.util.Objects;

/**
 * Builds the {@link PromptSource} of a trial. All expensive work happens here, before any load is
 * sent: loading the tokenizer, checking the synthetic vocabulary, reading, tokenizing and
 * filtering a dataset. Afterwards {@link PromptSource#prompt(long)} is cheap: a synthetic prompt
 * is generated from (seed, index) on demand (no per-prompt memory), a dataset prompt is looked
 * up.
 */
public final class PromptSources {
    /**
     * Largest synthetic prompt or requested output, in tokens: {@link Limits#MAX_TOKENS}, which
     * the annotation processor also checks at compile time.
     */
    public static final int MAX_TOKENS = Limits.MAX_TOKENS;

    private PromptSources() {}

    /**
     * The prompts of one trial.
     *
     * @param workload a {@link ShapeWorkload} or {@link DatasetWorkload}
     * @param seed the trial seed; the same seed gives the same prompts
     * @throws WorkloadException when the workload cannot produce prompts (unknown encoding, a
     *     length beyond {@link #MAX_TOKENS}, a missing or malformed dataset, nothing left after
     *     filtering); the message names the cause and the fix
     */
    public static PromptSource forWorkload(Workload workload, long seed) {
        Objects.requireNonNull(workload, "workload");
        Tokenizer tokenizer = tokenizer(workload.encoding());
        if (workload instanceof DatasetWorkload) {
            DatasetWorkload dataset = (DatasetWorkload) workload;
            return new DatasetPromptSource(
                    dataset,
                    DatasetLoader.load(dataset, tokenizer, dataset.outputFromReference()),
                    seed,
                    tokenizer.encoding());
        }
        ShapeWorkload shape = (ShapeWorkload) workload;
        checkBounded("input", shape.input());
        checkBounded("output", shape.output());
        EmpiricalLengths empirical = shape.lengthSource() == null ? null : empiricalLengths(shape, tokenizer);
        return new ShapePromptSource(shape, seed, tokenizer, SyntheticText.forTokenizer(tokenizer), empirical);
    }

    private static Tokenizer tokenizer(String encoding) {
        try {
            return Tokenizers.forEncoding(encoding);
        } catch (IllegalArgumentException e) {
            throw new WorkloadException(e.getMessage() + "; set encoding on @TokenShape or @Dataset", e);
        }
    }

    private static void checkBounded(String which, LengthSpec spec) {
        long largest;
        switch (spec.distribution()) {
            case FIXED:
            case NORMAL:
                largest = spec.value();
                break;
            case UNIFORM:
                largest = spec.max();
                break;
            default:
                return;
        }
        if (largest > MAX_TOKENS) {
            String attribute = spec.distribution() == Distribution.UNIFORM ? which + "Max" : which;
            throw new WorkloadException(spec.distribution() + " " + which + " length of up to " + largest
                    + " tokens is beyond the " + MAX_TOKENS + "-token limit; set " + attribute
                    + " on @TokenShape (UNIFORM needs an explicit " + which + "Min and " + which + "Max)");
        }
    }

    /**
     * The records of the length source whose lengths fall within the EMPIRICAL bounds; counted
     * under the shape's encoding, since the lengths are the synthetic prompts' lengths.
     */
    private static EmpiricalLengths empiricalLengths(ShapeWorkload shape, Tokenizer tokenizer) {
        DatasetWorkload source = shape.lengthSource();
        boolean inputEmpirical = shape.input().distribution() == Distribution.EMPIRICAL;
        boolean outputEmpirical = shape.output().distribution() == Distribution.EMPIRICAL;
        LoadedDataset dataset = DatasetLoader.load(source, tokenizer, outputEmpirical || source.outputFromReference());
        int[] inputs = new int[dataset.size()];
        int[] outputs = new int[dataset.size()];
        int kept = 0;
        for (int r = 0; r < dataset.size(); r++) {
            int input = dataset.promptTokens()[r];
            int output = dataset.referenceTokens()[r];
            boolean inputFits = !inputEmpirical || within(input, shape.input()) && input > shape.sharedPrefix();
            boolean outputFits = !outputEmpirical || within(output, shape.output());
            if (inputFits && outputFits) {
                inputs[kept] = Math.min(input, MAX_TOKENS);
                outputs[kept] = Math.min(output, MAX_TOKENS);
                kept++;
            }
        }
        if (kept == 0) {
            throw new WorkloadException("EMPIRICAL lengths: no record of " + source.path() + " has "
                    + (inputEmpirical
                            ? "a prompt length in [" + shape.input().min() + ", "
                                    + shape.input().max() + "]"
                            : "")
                    + (inputEmpirical && outputEmpirical ? " and " : "")
                    + (outputEmpirical
                            ? "a reference length in [" + shape.output().min() + ", "
                                    + shape.output().max() + "]"
                            : "")
                    + " tokens (" + dataset.summary() + "); widen the min/max bounds on @TokenShape");
        }
        return new EmpiricalLengths(java.util.Arrays.copyOf(inputs, kept), java.util.Arrays.copyOf(outputs, kept));
    }

    private static boolean within(int tokens, LengthSpec spec) {
        return tokens >= spec.min() && tokens <= spec.max();
    }
}
