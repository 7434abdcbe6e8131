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
import dev.llmharness.runtime.testing.FixedSuite;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * A child-JVM entry point for the Ctrl-C tests with the embedded simulator: {@code llmh run} as
 * users run it (no URL: the simulator starts in a grandchild JVM), one long chat trial at 4
 * requests/s with a 3 s warmup, writing to the file given. Prints {@value #STARTING} first, so that
 * a test can time a signal from the start. Test code only.
 */
public final class InterruptibleSimRunMain {
    static final String STARTING = "llmh-test: starting";

    private InterruptibleSimRunMain() {}

    public static void main(String[] args) {
        TrialSpec trial = new TrialSpec(
                "com.example.Chat.long",
                Map.of("rate", "4"),
                new OpenLoopModel(Arrival.CONSTANT, 4, 0),
                Phase.ofDuration(Duration.ofSeconds(3)),
                Phase.ofDuration(Duration.ofMinutes(5)),
                Duration.ofSeconds(30),
                ShapeWorkload.of(ShapePreset.CHAT, "cl100k_base"),
                new EndpointSpec(Api.OPENAI_CHAT, "", "", "LLMH_API_KEY"),
                SloSpec.NONE,
                7);
        var suite = new FixedSuite("com.example.Chat", List.of(trial), ChatRequest::of);
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == RunCommand.class) {
                    return cls.cast(new RunCommand(() -> List.of(suite)));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
        System.out.println(STARTING);
        System.out.flush();
        System.exit(Llmh.commandLine(factory).execute("run", "--output", args[0], "--progress", "250ms"));
    }
}
