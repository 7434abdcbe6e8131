package dev.llmharness.runtime.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.result.ResultJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Markdown and terminal reports of the committed fixtures match golden files, and
 * docs/compare.md shows them as they are. After an intended change of the output, regenerate them
 * (the fixtures, the golden files and the doc's two samples) with {@code -Dllmh.updateGolden=true}
 * and review the diff.
 */
class CompareReportGoldenTest {
    private static final Path GOLDEN = CompareFixtures.DIR.resolve("golden");

    /** The doc whose terminal and Markdown samples are this comparison's output. */
    private static final Path DOC = Path.of("../docs/compare.md");

    private static ComparisonReport report;

    @BeforeAll
    static void compareTheFixtures() throws IOException {
        CompareFixtures.ensure();
        report = Comparison.compare(
                List.of(ResultJson.read(CompareFixtures.BASE)),
                List.of("base.json"),
                List.of(ResultJson.read(CompareFixtures.CONTENDER)),
                List.of("contender.json"),
                CompareOptions.defaults());
    }

    private static void assertMatchesGolden(String actual, String name) throws IOException {
        Path golden = GOLDEN.resolve(name);
        if (CompareFixtures.updating()) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, actual);
        }
        assertThat(golden)
                .as("golden file %s (regenerate with -Dllmh.updateGolden=true)", golden)
                .exists();
        assertThat(actual).isEqualTo(Files.readString(golden));
    }

    @Test
    void markdownMatchesTheGoldenFile() throws IOException {
        String markdown = CompareFormat.MARKDOWN.render(report);
        assertMatchesGolden(markdown, "report.md");
    }

    @Test
    void markdownStartsWithTheMarkerAndPutsRegressionsBeforeTheFullTable() {
        String markdown = CompareFormat.MARKDOWN.render(report);
        assertThat(markdown).startsWith("<!-- llmh-compare -->\n");
        assertThat(markdown.lines().skip(1).findFirst().orElseThrow()).contains("REGRESSION");
        assertThat(markdown.indexOf("#### Regressions")).isLessThan(markdown.indexOf("#### All results"));
        assertThat(markdown).contains("<details><summary>Environment differences (1)</summary>");
        assertThat(markdown).contains("only in base: `" + CompareFixtures.LEGACY + "`");
    }

    @Test
    void terminalTableMatchesTheGoldenFile() throws IOException {
        assertMatchesGolden(CompareFormat.TERMINAL.render(report), "report.txt");
    }

    /**
     * The doc's samples are the output of this comparison, not a copy that drifts: the terminal
     * block under "### Terminal output" and the Markdown block under "### Markdown output".
     */
    @Test
    void compareMdShowsThisOutput() throws IOException {
        String doc = Files.readString(DOC);
        String terminal = CompareFormat.TERMINAL.render(report);
        String markdown = CompareFormat.MARKDOWN.render(report);
        if (CompareFixtures.updating()) {
            doc = replaceBlock(doc, "### Terminal output", "```", terminal);
            doc = replaceBlock(doc, "### Markdown output", "````markdown", markdown);
            Files.writeString(DOC, doc);
        }
        assertThat(block(doc, "### Terminal output", "```"))
                .as("the terminal sample of %s (regenerate with -Dllmh.updateGolden=true)", DOC)
                .isEqualTo(terminal);
        assertThat(block(doc, "### Markdown output", "````markdown"))
                .as("the Markdown sample of %s (regenerate with -Dllmh.updateGolden=true)", DOC)
                .isEqualTo(markdown);
    }

    /** Where the text of the first block fenced by {@code open} after {@code heading} starts and ends. */
    private static int[] blockRange(String doc, String heading, String open) {
        int at = doc.indexOf("\n" + heading + "\n");
        assertThat(at).as("heading %s in %s", heading, DOC).isNotNegative();
        int fence = doc.indexOf("\n" + open + "\n", at);
        assertThat(fence).as("a %s block after %s in %s", open, heading, DOC).isNotNegative();
        int start = fence + open.length() + 2;
        String close = open.startsWith("````") ? "````" : "```";
        int end = doc.indexOf("\n" + close + "\n", start - 1);
        assertThat(end).as("the end of the block after %s in %s", heading, DOC).isNotNegative();
        return new int[] {start, end + 1};
    }

    private static String block(String doc, String heading, String open) {
        int[] range = blockRange(doc, heading, open);
        return doc.substring(range[0], range[1]);
    }

    private static String replaceBlock(String doc, String heading, String open, String text) {
        int[] range = blockRange(doc, heading, open);
        return doc.substring(0, range[0]) + text + doc.substring(range[1]);
    }

    /**
     * The summary line says what was gated per load model, from the rows themselves: the open
     * loop's latencies and error rate, the closed loop's throughput too (its error rate gated over
     * all trials instead), and the pooled error rate.
     */
    @Test
    void theSummaryLineSaysWhatWasGatedPerLoadModel() {
        assertThat(report.trials().get(1).loadModel()).isEqualTo("closed");
        assertThat(CompareFormat.MARKDOWN.render(report))
                .contains(" Gated: ttft.p50, ttft.p90, tpot.p50, tpot.p90, errorRate in 1 open-loop trial;"
                        + " ttft.p50, ttft.p90, tpot.p50, tpot.p90, outputTokensPerSecond in 1 closed-loop trial;"
                        + " errorRate over all trials.\n");
    }

    /** The headline counts the baseline trial that was not compared, besides the regressions. */
    @Test
    void theHeadlineCountsTheBaselineTrialNotCompared() {
        assertThat(report.headline())
                .startsWith("REGRESSION: 2 gated regressions (")
                .endsWith("; 1 baseline trial not compared");
        assertThat(report.unjudged()).contains("1 baseline trial not compared");
    }

    @Test
    void theFixturesShowARegressionAnImprovementAndATooSmallTrial() {
        TrialComparison chat = report.trials().get(0);
        assertThat(chat.id()).isEqualTo(CompareFixtures.CHAT);
        assertThat(verdictOf(chat, "itl.p99")).isEqualTo(Verdict.REGRESSION);
        assertThat(verdictOf(chat, "ttft.p50")).isEqualTo(Verdict.IMPROVEMENT);
        TrialComparison replay = report.trials().get(1);
        assertThat(verdictOf(replay, "ttft.p99")).isEqualTo(Verdict.INCONCLUSIVE);
    }

    private static Verdict verdictOf(TrialComparison t, String metric) {
        return t.metrics().stream()
                .filter(m -> m.metric().equals(metric))
                .findFirst()
                .orElseThrow()
                .verdict();
    }

    @Test
    void jsonIsVersioned() throws IOException {
        var tree = ResultJson.mapper().readTree(CompareFormat.JSON.render(report));
        assertThat(tree.get("compareSchemaVersion").asInt()).isEqualTo(ComparisonReport.SCHEMA_VERSION);
        assertThat(tree.at("/trials/0/metrics/0/metric").asText()).isEqualTo("ttft.p50");
        assertThat(tree.at("/summary/gatedRegressions").asInt()).isEqualTo(2);
        assertThat(CompareFormat.JSON.render(report)).doesNotContain("NaN").doesNotContain("Infinity");
    }
}
