package dev.llmharness.runtime.data;

import java.util.SplittableRandom;

/**
 * Prompt and reference-answer lengths of a dataset's records, drawn jointly (one record per
 * request) so that an EMPIRICAL shape keeps the dataset's pairing of long prompts with their
 * answers.
 *
 * @param inputs prompt lengths in tokens, one per eligible record
 * @param outputs reference-answer lengths in tokens, parallel to {@code inputs}; {@code 0} when
 *     output lengths are not drawn from the dataset
 */
record EmpiricalLengths(int[] inputs, int[] outputs) {
    int draw(SplittableRandom random) {
        return random.nextInt(inputs.length);
    }

    int input(int record) {
        return inputs[record];
    }

    int output(int record) {
        return outputs[record];
    }
}
