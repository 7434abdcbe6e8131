package dev.llmharness.runtime.data;

/**
 * The records of a dataset that passed its filters, in file order, with their token counts.
 *
 * @param prompts prompt texts
 * @param promptTokens prompt lengths in tokens, parallel to {@code prompts}, each {@code >= 1}
 * @param references reference answers, {@code null} entries where a record has none
 * @param referenceTokens reference lengths in tokens when they were needed (output from the
 *     reference, or EMPIRICAL output lengths), each {@code >= 1}; else all {@code 0}
 * @param summary one line saying how many records were read and kept, for logs and errors
 */
record LoadedDataset(String[] prompts, int[] promptTokens, String[] references, int[] referenceTokens, String summary) {
    int size() {
        return prompts.length;
    }
}
