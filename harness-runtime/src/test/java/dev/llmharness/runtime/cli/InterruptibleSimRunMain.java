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

    /**
     * A chat trial {@code com.example.Chat.<method>{rate=...}} at a constant {@code rate}
     * (requests/s), with the CHAT token shape, seed 7 and no objectives.
     */
    static TrialSpec chat(String method, int rate, Phase warmup, Phase measurement, Duration drain) {
        return new TrialSpec(
                "com.example.Chat." + method,
                Map.of("rate", Integer.toString(rate)),
                new OpenLoopModel(Arrival.CONSTANT, rate, 0),
                warmup,
                measurement,
                drain,
                ShapeWorkload.of(ShapePreset.CHAT, "cl100k_base"),
                new EndpointSpec(Api.OPENAI_CHAT, "", "", "LLMH_API_KEY"),
                SloSpec.NONE,
                7);
    }

    public static void main(String[] args) {
        TrialSpec trial = chat(
                "long",
                4,
                Phase.ofDuration(Duration.ofSeconds(3)),
                Phase.ofDuration(Duration.ofMinutes(5)),
                Duration.ofSeconds(30));
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
