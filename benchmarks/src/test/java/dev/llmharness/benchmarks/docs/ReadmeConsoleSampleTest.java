package dev.llmharness.benchmarks.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The console sample of the README's tour (section 4) shows the lines the console prints for a
 * trial today: a real {@code llmh run} of an example trial against the simulator on loopback, in
 * process, and the line labels of its trial block compared with the sample's, both ways and in
 * order. Labels, not figures: the figures of a run differ from the sample's, its lines do not.
 */
class ReadmeConsoleSampleTest {
    private static final Path README =
            Path.of("..").toAbsolutePath().normalize().resolve("README.md");

    /**
     * An example trial with the lines of the tour's {@code MyBenchmarks.chat}: open loop over a
     * token shape, no {@code @Slo} (so its one objective is the default error rate). Its requests
     * are short, so that the run takes seconds.
     */
    private static final String TRIAL = "OpenLoopBenchmarks\\.poisson\\{rate=40\\}";

    /**
     * Labels of lines the console prints only when a run calls for them: the harness-limited
     * warning, for one, depends on the machine's load while the run ran. The sample may show them
     * or not, and so may this run; every other line must be in both.
     */
    private static final Set<String> CONDITIONAL = Set.of("WARNING");

    /** {@code requests:}, {@code input tokens:}: a lowercase name and a colon open the line. */
    private static final Pattern KEY = Pattern.compile("^([a-z][a-z ]*):");

    /** {@code PASS  errorRate <= 5% (actual ...)}: a verdict and the objective's metric. */
    private static final Pattern VERDICT = Pattern.compile("^(PASS|FAIL)\\s+(\\S+)");

    @TempDir
    Path dir;

    @Test
    void theSampleHasTheLinesTheConsolePrintsForATrialInTheirOrder() throws IOException {
        List<String> sample = labels(sampleBlock());
        List<String> printed = labels(trialBlock(runOneTrial()));

        Set<String> missingFromSample = new LinkedHashSet<>(printed);
        missingFromSample.removeAll(sample);
        assertThat(missingFromSample)
                .as(
                        "lines the console prints for a trial that README.md's section 4 sample lacks: re-capture"
                                + " the sample from a real run (the sample's labels: %s)",
                        sample)
                .isEmpty();
        Set<String> gone = new LinkedHashSet<>(sample);
        gone.removeAll(printed);
        assertThat(gone)
                .as("lines of README.md's section 4 sample that the console no longer prints (it printed: %s)", printed)
                .isEmpty();
        assertThat(sample).as("the sample's lines in the console's order").containsExactlyElementsOf(printed);
    }

    @Test
    void aLineLabelIsItsNameNotItsFigures() {
        assertThat(labels(String.join(
                        "\n",
                        "== com.example.bench.MyBenchmarks.chat{rate=16}",
                        "   requests: sent 160, completed 158 (2 after the window), failed 0, cancelled 0   window 10.0s",
                        "   input tokens: intended 40960, server 40960 (template +0, tokenizer +0; sim POST /tokenize)",
                        "   metric (ms)       count       p50       p90       p99     p99.9       max",
                        "   ttftFromSend       160    31.2    40.1    52.3    55.0    55.0",
                        "   PASS  errorRate <= 5% (actual 0.00 %)",
                        "   FAIL  ttft p99 <= 2s (actual 2.51 s)",
                        "   WARNING harness-limited: dispatch lag above 1 ms in 5 of 160 measured requests")))
                .containsExactly(
                        "==",
                        "requests",
                        "input tokens",
                        "metric (ms) count p50 p90 p99 p99.9 max",
                        "ttftFromSend",
                        "PASS/FAIL errorRate",
                        "PASS/FAIL ttft");
    }

    /** The sample: the block of the README's section 4 that shows a trial ({@code == <trial id>}). */
    private static String sampleBlock() throws IOException {
        List<MarkdownBlocks.Block> samples =
                MarkdownBlocks.section(README, "4. Read the table and the result file").stream()
                        .filter(b -> b.text().startsWith("== "))
                        .toList();
        assertThat(samples).as("README.md's section 4 has one console sample").hasSize(1);
        return samples.get(0).text();
    }

    /**
     * What {@code llmh run} prints for {@link #TRIAL}: its 2 s warmup, a 2 s window. The JVM warm-up
     * and the compiler threads' idle priority are off: they change figures, not which lines print,
     * and would outlast the run in this test JVM.
     */
    private String runOneTrial() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (SimServer sim = SimServer.start(SimConfig.defaults())) {
            CommandLine cl = Llmh.commandLine(CommandLine.defaultFactory());
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            code = cl.execute(
                    "run",
                    "--url",
                    sim.baseUrl(),
                    "--include",
                    TRIAL,
                    "--duration",
                    "2s",
                    "--jvm-warmup",
                    "off",
                    "--jit-priority",
                    "normal",
                    "--progress",
                    "0s",
                    "--no-report",
                    "--output",
                    dir.resolve("run.json").toString());
        }
        assertThat(code).as("llmh run\n--- out\n%s\n--- err\n%s", out, err).isEqualTo(Llmh.OK);
        return out.toString();
    }

    /** The lines of the first trial's block: from its {@code == <id>} line to the next blank line. */
    private static String trialBlock(String console) {
        List<String> block = new ArrayList<>();
        for (String line : console.lines().toList()) {
            if (block.isEmpty() && !line.startsWith("== ")) {
                continue;
            }
            if (line.isBlank()) {
                break;
            }
            block.add(line);
        }
        assertThat(block)
                .as("a trial block in the console output:\n%s", console)
                .isNotEmpty();
        return String.join("\n", block);
    }

    /**
     * Each line's label, in order, {@link #CONDITIONAL} ones left out: {@code ==} for the trial's
     * header, the name before the colon ({@code requests}, {@code connections}), the table's header
     * with its columns, a table row's metric, a verdict's metric ({@code PASS/FAIL errorRate}).
     */
    static List<String> labels(String block) {
        List<String> labels = new ArrayList<>();
        for (String line : block.lines().map(String::strip).toList()) {
            if (line.isEmpty()) {
                continue;
            }
            String label;
            Matcher key = KEY.matcher(line);
            Matcher verdict = VERDICT.matcher(line);
            if (line.startsWith("== ")) {
                label = "==";
            } else if (line.startsWith("WARNING ")) {
                label = "WARNING";
            } else if (verdict.find()) {
                label = "PASS/FAIL " + verdict.group(2);
            } else if (line.startsWith("metric (ms)")) {
                label = line.replaceAll("\\s+", " ");
            } else if (key.find()) {
                label = key.group(1);
            } else {
                label = line.split("\\s+")[0];
            }
            if (!CONDITIONAL.contains(label)) {
                labels.add(label);
            }
        }
        return labels;
    }
}
