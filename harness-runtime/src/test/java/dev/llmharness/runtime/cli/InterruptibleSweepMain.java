package dev.llmharness.runtime.cli;

import dev.llmharness.api.Api;
import dev.llmharness.api.Arrival;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.ShapePreset;
import dev.llmharness.api.spi.EndpointSpec;
import dev.llmharness.api.spi.OpenLoopModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.ShapeWorkload;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.data.PromptSources;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.testing.FixedSuite;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * A child-JVM entry point for the Ctrl-C test of a capacity command: {@code llmh sweep} of one
 * trial at 5 then 6 requests/s, 8 s a point, against the URL given, writing to the file given.
 * Test code only.
 */
public final class InterruptibleSweepMain {
    private InterruptibleSweepMain() {}

    public static void main(String[] args) {
        TrialSpec trial = new TrialSpec(
                "com.example.Chat.sweep",
                Map.of("rate", "5"),
                new OpenLoopModel(Arrival.CONSTANT, 5, 0),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(8)),
                Duration.ofSeconds(5),
                ShapeWorkload.of(ShapePreset.CHAT, "cl100k_base"),
                new EndpointSpec(Api.OPENAI_CHAT, "", "", "LLMH_API_KEY"),
                SloSpec.NONE,
                7);
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
