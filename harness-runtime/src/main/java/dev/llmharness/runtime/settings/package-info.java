/**
 * How the harness reads its settings that are not plain picocli options: the tuning properties
 * ({@code -Dllmh.transport}, {@code -Dllmh.loopDispatch}...) and the server URLs every command
 * takes. One parser each ({@link dev.llmharness.runtime.settings.Choice}, {@link
 * dev.llmharness.runtime.settings.ServerUrl}), so that a bad value is always one line naming the
 * option or property, the value and what to write instead, and never a silent default.
 */
package dev.llmharness.runtime.settings;
