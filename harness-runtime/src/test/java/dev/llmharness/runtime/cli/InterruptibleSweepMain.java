package dev.llmharness.runtime.cli;

import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.data.PromptSources;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.testing.FixedSuite;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;

/**
 * A child-JVM entry point for the Ctrl-C test of a capacity command: {@code llmh sweep} of one
 * trial at 5 then 6 requests/s, 8 s a point, against the URL given, writing to the file given.
 * Test code only.
 */
public final class InterruptibleSweepMain {
    private InterruptibleSweepMain() {}

    public static void main(String[] args) {
        TrialSpec trial = InterruptibleSimRunMain.chat(
                "sweep", 5, Phase.NONE, Phase.ofDuration(Duration.ofSeconds(8)), Duration.ofSeconds(5));
        var suite = new FixedSuite("com.example.Chat", List.of(trial), ChatRequest::of);
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == SweepCommand.class) {
                    return cls.cast(new SweepCommand(
                            () -> List.of(suite),
                            t -> PromptSources.forWorkload(t.workload(), t.seed()),
                            null,
                            t -> TokenCounter.contentEvents(),
                            name -> null));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
        System.exit(
                Llmh.commandLine(factory).execute("sweep", "--url", args[0], "--output", args[1], "--rates", "5,6"));
    }
}
