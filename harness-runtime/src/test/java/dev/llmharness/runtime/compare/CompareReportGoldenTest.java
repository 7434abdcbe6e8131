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
 * The Markdown and terminal reports of the committed fixtures match golden files. After an
 * intended change of the output, regenerate them with {@code -Dllmh.updateGolden=true} and review
 * the diff.
 */
class CompareReportGoldenTest {
    private static final Path GOLDEN = CompareFixtures.DIR.resolve("golden");

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
