/**
 * Where prompts come from: synthetic prompts of exact token counts ({@code @TokenShape}) and
 * real data read from dataset files ({@code @Dataset}), behind {@link
 * dev.llmharness.runtime.data.PromptSource}. Build one per trial with {@link
 * dev.llmharness.runtime.data.PromptSources#forWorkload}, which does all reading and checking
 * before any load is sent and reports bad input as a {@link
 * dev.llmharness.runtime.data.WorkloadException}. Token counts are exact under the named
 * encoding ({@link dev.llmharness.runtime.data.Tokenizers}) and approximate for any other
 * model's tokenizer. User documentation: {@code docs/workloads.md}.
 */
package dev.llmharness.runtime.data;
