package dev.llmharness.runtime.run;

import dev.llmharness.runtime.client.ClientTimeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a run is carried out, beyond the trials themselves.
 *
 * @param overrides changes applied to every trial
 * @param output the result JSON file
 * @param csv the per-request CSV file, or {@code null} for none
 * @param timeouts HTTP client timeouts
 * @param progressInterval time between progress lines, {@link Duration#ZERO} for none
 * @param workDir folder whose git commit the result records
 */
public record RunSettings(
        TrialOverrides overrides,
        Path output,
        Path csv,
        ClientTimeouts timeouts,
        Duration progressInterval,
        Path workDir) {
    public RunSettings {
        Objects.requireNonNull(overrides, "overrides");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(progressInterval, "progressInterval");
        Objects.requireNonNull(workDir, "workDir");
    }
}
