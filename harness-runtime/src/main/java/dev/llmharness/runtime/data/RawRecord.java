package dev.llmharness.runtime.data;

/**
 * One record as read from a dataset file, before tokenizing and filtering.
 *
 * @param prompt the prompt text, or {@code null} when the record has no prompt to send (a
 *     ShareGPT conversation without a human turn); such records are counted and skipped
 * @param reference the reference answer, or {@code null} when the record has none
 */
record RawRecord(String prompt, String reference) {}
