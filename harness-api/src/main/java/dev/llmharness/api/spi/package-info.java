/**
 * The contract between generated runners and the runtime. The annotation processor writes one
 * {@link dev.llmharness.api.spi.BenchmarkSuite} per benchmark class and registers it as a {@link
 * java.util.ServiceLoader} service; the runtime discovers suites with no configuration. The records
 * here are the validated, merged form of the annotations: their constructors reject values the
 * processor would have reported, so a hand-built spec is checked the same way.
 */
package dev.llmharness.api.spi;
