package dev.llmharness.runtime.e2e;

import dev.llmharness.api.spi.TrialSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A capacity command line ({@code llmh sweep}, {@code llmh release-gate}, or the {@code llmh run}
 * of a shaped load) of {@code trials} against {@code url}, writing {@code output} and no HTML
 * report: the arguments every capacity test gives, written once, so that each call names only
 * what it is about.
 *
 * @param trials the only suite's trials
 * @param url the server's base URL
 * @param output the result file
 */
record CapacityCall(List<TrialSpec> trials, String url, Path output) {
    /**
     * Runs {@code llmh <command> --url <url> --output <output> --no-report <options>}, printing what
     * it printed when {@code -Dllmh.debugShapes=true}.
     */
    E2e.Outcome llmh(String command, String... options) {
        List<String> args =
                new ArrayList<>(List.of(command, "--url", url, "--output", output.toString(), "--no-report"));
        args.addAll(List.of(options));
        E2e.Outcome o = E2e.llmh(trials, args.toArray(String[]::new));
        if (Boolean.getBoolean("llmh.debugShapes")) {
            System.out.println(o);
        }
        return o;
    }
}
