package dev.llmharness.api.spi;

/** How requests are started: an open-loop schedule or closed-loop workers. */
public sealed interface LoadModel permits OpenLoopModel, ClosedLoopModel {}
