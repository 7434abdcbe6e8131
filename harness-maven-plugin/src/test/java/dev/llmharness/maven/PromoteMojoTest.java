package dev.llmharness.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromoteMojoTest {
    /** A result with one failed objective: Chat.replay[concurrency=2], errorRate <= 0.01. */
    private static final Path FAILING = Path.of("../harness-runtime/src/test/resources/results/sample-result.json");

    private static PromoteMojo mojo(Path results) {
        PromoteMojo mojo = new PromoteMojo();
        mojo.resultsDirectory = results.toFile();
        return mojo;
    }

    @Test
    void aResultWithAFailedObjectiveIsNotPromotedAndTheErrorNamesIt(@TempDir Path results) throws Exception {
        Files.copy(FAILING, results.resolve("latest.json"));

        assertThatThrownBy(() -> mojo(results).execute())
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("is not promoted")
                .hasMessageContaining("Chat.replay[concurrency=2]: errorRate <= 0.01 (actual 50.00 %)");
        assertThat(results.resolve("baseline.json")).doesNotExist();

        // One rule with llmh promote: forced, the failed objective is promoted like any unfit result.
        PromoteMojo forced = mojo(results);
        forced.forceBaseline = "true";
        forced.execute();
        assertThat(results.resolve("baseline.json")).hasSameTextualContentAs(FAILING);
    }

    /**
     * A result whose objectives pass but whose trial failed half its requests (beyond the 5 % bound
     * of llmh promote) is refused, naming the trial, as llmh promote and the gate refuse it;
     * {@code llmh.forceBaseline} promotes it anyway.
     */
    @Test
    void aPassingResultBecomesTheBaselineOnlyWhenFitOrForced(@TempDir Path results) throws Exception {
        String passing = Files.readString(FAILING).replace("\"passed\" : false", "\"passed\" : true");
        Files.writeString(results.resolve("latest.json"), passing);
        Files.writeString(results.resolve("baseline.json"), "old");

        assertThatThrownBy(() -> mojo(results).execute())
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("is not promoted")
                .hasMessageContaining("failed beyond the bound")
                .hasMessageContaining("-Dllmh.forceBaseline=true");
        assertThat(results.resolve("baseline.json")).hasContent("old");

        PromoteMojo forced = mojo(results);
        forced.forceBaseline = "true";
        forced.execute();

        assertThat(results.resolve("baseline.json")).hasContent(passing);
    }

    /** {@code -Dllmh.forceBaseline=yes} is one line before anything is promoted, not a silent false. */
    @Test
    void aForceThatIsNeitherTrueNorFalseIsRefusedBeforeAnyPromotion(@TempDir Path results) throws Exception {
        Files.copy(FAILING, results.resolve("latest.json"));
        Files.writeString(results.resolve("baseline.json"), "old");
        PromoteMojo mojo = mojo(results);
        mojo.forceBaseline = "yes";

        assertThatThrownBy(mojo::execute)
                .isInstanceOf(org.apache.maven.plugin.MojoExecutionException.class)
                .hasMessage("llmh: invalid -Dllmh.forceBaseline=yes: use true or false");
        assertThat(results.resolve("baseline.json")).hasContent("old");
    }

    @Test
    void withoutALatestResultItSaysWhatToRunFirst(@TempDir Path results) {
        assertThatThrownBy(() -> mojo(results).execute())
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("no " + results.resolve("latest.json"))
                .hasMessageContaining("run the benchmarks first");
    }

    /**
     * Three latest runs (llmh.forks=3) replace the whole baseline set: a stale baseline.json and a
     * fourth old run file go, and compare reads run files too. A set with a run missing is refused,
     * naming the file.
     */
    @Test
    void severalRunsReplaceTheWholeBaselineSet(@TempDir Path results) throws Exception {
        String passing = Files.readString(FAILING).replace("\"passed\" : false", "\"passed\" : true");
        for (int i = 1; i <= 3; i++) {
            // Three runs, each its own start (one run three times would be refused).
            Files.writeString(
                    results.resolve("latest.run-" + i + ".json"),
                    passing.replaceFirst("2026-01-01T00:00:00Z", "2026-01-0" + i + "T00:00:00Z"));
        }
        Files.writeString(results.resolve("baseline.json"), "old");
        Files.writeString(results.resolve("baseline.run-4.json"), "old");
        PromoteMojo forced = mojo(results);
        forced.forceBaseline = "true"; // the sample's trials fail beyond the bound; the set is the point here
        forced.execute();

        assertThat(results.resolve("baseline.json")).doesNotExist();
        assertThat(results.resolve("baseline.run-4.json")).doesNotExist();
        for (int i = 1; i <= 3; i++) {
            assertThat(results.resolve("baseline.run-" + i + ".json"))
                    .hasContent(passing.replaceFirst("2026-01-01T00:00:00Z", "2026-01-0" + i + "T00:00:00Z"));
        }
        assertThat(mojo(results).set("baseline")).hasSize(3);

        Files.delete(results.resolve("latest.run-2.json"));
        assertThatThrownBy(() -> mojo(results).execute())
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining(results.resolve("latest.run-2.json") + " is missing");
    }
}
