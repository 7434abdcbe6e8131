package dev.llmharness.api.spi;

import dev.llmharness.api.Distribution;
import dev.llmharness.api.ShapePreset;
import java.util.Objects;

/**
 * Synthetic prompts of exact token counts.
 *
 * @param preset the named preset it came from, or {@link ShapePreset#NONE}
 * @param input prompt length
 * @param output output length
 * @param sharedPrefix tokens shared by every prompt's start, {@code >= 0} and below the smallest
 *     prompt length
 * @param exactOutput whether the output length is enforced
 * @param encoding tokenizer encoding
 * @param lengthSource dataset whose lengths an {@code EMPIRICAL} distribution draws from, else
 *     {@code null}
 */
public record ShapeWorkload(
        ShapePreset preset,
        LengthSpec input,
        LengthSpec output,
        int sharedPrefix,
        boolean exactOutput,
        String encoding,
        DatasetWorkload lengthSource)
        implements Workload {

    public ShapeWorkload {
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(encoding, "encoding");
        if (sharedPrefix < 0) {
            throw new IllegalArgumentException("sharedPrefix must be >= 0 tokens, got " + sharedPrefix);
        }
        if (sharedPrefix > 0 && sharedPrefix >= input.min()) {
            throw new IllegalArgumentException("sharedPrefix (" + sharedPrefix
                    + " tokens) must be below the smallest prompt length (" + input.min() + " tokens)");
        }
        boolean empirical =
                input.distribution() == Distribution.EMPIRICAL || output.distribution() == Distribution.EMPIRICAL;
        if (empirical && lengthSource == null) {
            throw new IllegalArgumentException(
                    "an EMPIRICAL length distribution needs a @Dataset to draw lengths from");
        }
        if (!empirical && lengthSource != null) {
            throw new IllegalArgumentException("a length source is only used by an EMPIRICAL distribution");
        }
    }

    /** A fixed shape from a preset. */
    public static ShapeWorkload of(ShapePreset preset, String encoding) {
        return new ShapeWorkload(
                preset,
                LengthSpec.fixed(preset.inputTokens()),
                LengthSpec.fixed(preset.outputTokens()),
                0,
                true,
                encoding,
                null);
    }
}
