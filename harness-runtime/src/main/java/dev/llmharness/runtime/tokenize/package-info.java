/**
 * Tokens in the server's own tokenizer: {@link dev.llmharness.runtime.tokenize.ServerTokenizer}
 * (one implementation per engine's {@code POST /tokenize}), found by {@link
 * dev.llmharness.runtime.tokenize.ServerTokenizers#discover}; synthetic prompts sized to exact
 * server counts before any load, and the check that tells tokenizer from chat-template
 * differences in a trial's warning ({@link dev.llmharness.runtime.tokenize.ServerTokenCheck}).
 */
package dev.llmharness.runtime.tokenize;
