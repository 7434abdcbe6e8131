package dev.llmharness.api.spi;

import dev.llmharness.api.LlmRequest;
import dev.llmharness.api.Prompt;

/** Builds the request for one prompt by calling the benchmark method; called on the request path. */
@FunctionalInterface
public interface RequestFactory {
    LlmRequest create(Prompt prompt);
}
