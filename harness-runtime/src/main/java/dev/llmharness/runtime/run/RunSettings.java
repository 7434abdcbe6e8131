package dev.llmharness.runtime.run;

import dev.llmharness.runtime.client.ClientTimeouts;
import dev.llmharness.runtime.client.TransportKind;
import dev.llmharness.runtime.settings.AutoOff;
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
 * @param itlJsonl the inter-token JSONL file (every gap of every measured request), or {@code null}
 * @param csvTextChars characters of prompt and response text the CSV keeps per request, 0 (none)
 *     to {@link dev.llmharness.api.Limits#MAX_CSV_TEXT}
 * @param transport how requests reach the server ({@code --transport})
 * @param preopen connections opened before each trial ({@code --preopen})
 * @param jvmWarmup whether the JVM is warmed before the first trial ({@code --jvm-warmup})
 */
public record RunSettings(
        TrialOverrides overrides,
        Path output,
        Path csv,
        ClientTimeouts timeouts,
        Duration progressInterval,
        Path workDir,
        Path itlJsonl,
        int csvTextChars,
        TransportKind transport,
        Preopen preopen,
        AutoOff jvmWarmup) {
    public RunSettings {
        Objects.requireNonNull(jvmWarmup, "jvmWarmup");
        Objects.requireNonNull(overrides, "overrides");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(preopen, "preopen");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(progressInterval, "progressInterval");
        Objects.requireNonNull(workDir, "workDir");
        String outside = dev.llmharness.api.Limits.outsideCsvText("--csv-text", csvTextChars);
        if (outside != null) {
            throw new IllegalArgumentException(outside);
        }
        if (csvTextChars > 0 && csv == null) {
            throw new IllegalArgumentException(
                    "--csv-text keeps prompt and response text in the per-request CSV: give --csv FILE too");
        }
    }

    /** Settings with the JVM warm-up of {@code -Dllmh.jvmWarmup} (else auto). */
    public RunSettings(
            TrialOverrides overrides,
            Path output,
            Path csv,
            ClientTimeouts timeouts,
            Duration progressInterval,
            Path workDir,
            Path itlJsonl,
            int csvTextChars,
            TransportKind transport,
            Preopen preopen) {
        this(
                overrides,
                output,
                csv,
                timeouts,
                progressInterval,
                workDir,
                itlJsonl,
                csvTextChars,
                transport,
                preopen,
                JvmWarmup.SETTING.fromProperty());
    }

    /** Settings with the pre-opening of {@code -Dllmh.preopen} (else auto). */
    public RunSettings(
            TrialOverrides overrides,
            Path output,
            Path csv,
            ClientTimeouts timeouts,
            Duration progressInterval,
            Path workDir,
            Path itlJsonl,
            int csvTextChars,
            TransportKind transport) {
        this(
                overrides,
                output,
                csv,
                timeouts,
                progressInterval,
                workDir,
                itlJsonl,
                csvTextChars,
                transport,
                Preopen.fromProperty());
    }

    /** Settings on the transport of {@code -Dllmh.transport} (else the default). */
    public RunSettings(
            TrialOverrides overrides,
            Path output,
            Path csv,
            ClientTimeouts timeouts,
            Duration progressInterval,
            Path workDir,
            Path itlJsonl,
            int csvTextChars) {
        this(
                overrides,
                output,
                csv,
                timeouts,
                progressInterval,
                workDir,
                itlJsonl,
                csvTextChars,
                TransportKind.fromProperty());
    }

    /** Settings without the inter-token file or CSV text. */
    public RunSettings(
            TrialOverrides overrides,
            Path output,
            Path csv,
            ClientTimeouts timeouts,
            Duration progressInterval,
            Path workDir) {
        this(overrides, output, csv, timeouts, progressInterval, workDir, null, 0);
    }
}
