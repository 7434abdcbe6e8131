package dev.llmharness.runtime.e2e;

import dev.llmharness.api.Api;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.EndpointSpec;
import dev.llmharness.api.spi.LoadModel;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.api.spi.Workload;
import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.cli.RunCommand;
import dev.llmharness.runtime.data.PromptSources;
import dev.llmharness.runtime.data.Tokenizers;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.testing.FixedSuite;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The {@code llmh} command line as a user runs it, with one difference: the suite is given rather
 * than found on the class path (the runtime's tests have no annotation processor). Prompts come
 * from the real workload code, tokens are counted with the real tokenizer, results are real files.
 */
final class E2e {
    private E2e() {}

    /** A trial of benchmark {@code com.example.E2e.<method>}, with one parameter {@code rate},
     * {@code concurrency} or (a shape) {@code load} as generated suites have. */
    static TrialSpec trial(
            String method, LoadModel load, Phase warmup, Phase measurement, Workload workload, SloSpec slo, long seed) {
        Map<String, String> params = new LinkedHashMap<>();
        if (load instanceof dev.llmharness.api.spi.OpenLoopModel open) {
            params.put("rate", TrialSpec.formatRate(open.rate()));
        } else if (load instanceof dev.llmharness.api.spi.ClosedLoopModel closed) {
            params.put("concurrency", "" + closed.concurrency());
        } else {
            params.put("load", method);
        }
        return new TrialSpec(
                "com.example.E2e." + method,
                params,
                load,
                warmup,
                measurement,
                Duration.ofSeconds(10),
                workload,
                new EndpointSpec(Api.OPENAI_CHAT, "", "", "LLMH_E2E_KEY_UNSET"),
                slo,
                seed);
    }

    static BenchmarkSuite suite(List<TrialSpec> trials) {
        return new FixedSuite("com.example.E2e", trials, ChatRequest::of);
    }

    /** What one {@code llmh} invocation printed and returned. */
    record Outcome(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    /** Runs {@code llmh <args>} with the given trials as the only suite. */
    static Outcome llmh(List<TrialSpec> trials, String... args) {
        return llmh(suite(trials), args);
    }

    /** Runs {@code llmh <args>} with {@code suite} as the only suite. */
    static Outcome llmh(BenchmarkSuite suite, String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == RunCommand.class) {
                    return cls.cast(new RunCommand(
                            () -> List.of(suite),
                            t -> PromptSources.forWorkload(t.workload(), t.seed()),
                            null,
                            trial -> TokenCounter.ofFunction(
                                    Tokenizers.forEncoding(trial.workload().encoding())::count, "tokenizer"),
                            name -> null));
                }
                if (cls == dev.llmharness.runtime.cli.SweepCommand.class) {
                    return cls.cast(new dev.llmharness.runtime.cli.SweepCommand(
                            () -> List.of(suite),
                            t -> PromptSources.forWorkload(t.workload(), t.seed()),
                            null,
                            E2e::tokenCounter,
                            name -> null));
                }
                if (cls == dev.llmharness.runtime.cli.ReleaseGateCommand.class) {
                    return cls.cast(new dev.llmharness.runtime.cli.ReleaseGateCommand(
                            () -> List.of(suite),
                            t -> PromptSources.forWorkload(t.workload(), t.seed()),
                            null,
                            E2e::tokenCounter,
                            name -> null));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Llmh.commandLine(factory);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    private static TokenCounter tokenCounter(TrialSpec trial) {
        return TokenCounter.ofFunction(Tokenizers.forEncoding(trial.workload().encoding())::count, "tokenizer");
    }

    /**
     * A copy of the result {@code file} as another run with the same figures (its start moved):
     * compare and merge refuse one run given twice, as its own copy would be.
     */
    static java.nio.file.Path anotherRun(java.nio.file.Path file, java.nio.file.Path copy) throws java.io.IOException {
        String start = dev.llmharness.runtime.result.ResultJson.read(file).run().startTime();
        java.nio.file.Files.writeString(
                copy,
                java.nio.file.Files.readString(file)
                        .replaceFirst(java.util.regex.Pattern.quote(start), "2031-01-01T00:00:00Z"));
        return copy;
    }

    /** Runs {@code llmh compare <args>} (no suite involved). */
    static Outcome compare(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "compare";
        System.arraycopy(args, 0, all, 1, args.length);
        return llmh(List.of(), all);
    }

    /** The rows of a terminal compare report naming {@code metric} (first word after the gate mark). */
    static List<String> rows(String report, String metric) {
        return report.lines()
                .filter(l -> {
                    String t = l.strip();
                    if (t.startsWith("*")) {
                        t = t.substring(1).strip();
                    }
                    return t.startsWith(metric + " ");
                })
                .toList();
    }
}
