package dev.llmharness.archetype;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Checks the archetype's files against the docs that describe them; the generation itself is tested
 * by src/it/generate (a real archetype:generate and verify -Pbench).
 */
class ArchetypeFilesTest {
    private static final Path RESOURCES = Path.of("src/main/resources/archetype-resources");
    private static final Path WORKFLOW = RESOURCES.resolve("__dot__github/workflows/bench.yml");

    @Test
    void docsCiShowsTheArchetypesWorkflowVerbatim() throws Exception {
        String workflow = Files.readString(WORKFLOW);
        String ci = Files.readString(Path.of("../docs/ci.md"));

        assertThat(ci)
                .as("docs/ci.md must show %s exactly as generated", WORKFLOW)
                .contains("```yaml\n" + workflow + "```\n");
    }

    @Test
    void theWorkflowComparesAgainstTheTargetBranchAndUpdatesOneCommentAndTheSummary() throws Exception {
        String workflow = Files.readString(WORKFLOW);

        assertThat(workflow)
                .contains("--branch \"$BASE\"")
                .contains("BASE: ${{ github.base_ref }}")
                .contains("--name llmh-baseline")
                .contains("-Dllmh.updateBaseline=\"$PROMOTE\"")
                .contains("startswith(\"<!-- llmh-compare -->\")")
                .contains("-X PATCH")
                .contains(">> \"$GITHUB_STEP_SUMMARY\"");
    }

    @Test
    void theGitignoreKeepsGeneratedResultsOutOfGit() throws Exception {
        assertThat(Files.readAllLines(RESOURCES.resolve("__dot__gitignore")))
                .contains("target/", "results/latest.json", "results/comparison.md");
    }
}
