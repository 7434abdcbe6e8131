package dev.llmharness.runtime.cli;

import dev.llmharness.api.Prompt;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.runtime.metrics.TokenCounter;
import java.util.List;
import picocli.CommandLine;

/**
 * A child-JVM entry point for the Ctrl-C test: {@code llmh run} with a test suite of one long
 * trial against the URL given, writing to the file given. Test code only.
 */
public final class InterruptibleRunMain {
    private InterruptibleRunMain() {}

    public static void main(String[] args) {
        var suite = LlmhTest.suite(List.of(LlmhTest.trial("long", 20, SloSpec.NONE)));
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == RunCommand.class) {
                    return cls.cast(new RunCommand(
                            () -> List.of(suite),
                            t -> i -> new Prompt(i, "p" + i, 5, 3, false, null),
                            null,
                            trial -> TokenCounter.contentEvents(),
                            name -> null));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
        System.exit(Llmh.commandLine(factory)
                .execute("run", "--url", args[0], "--output", args[1], "--duration", "5m", "--progress", "200ms"));
    }
}
