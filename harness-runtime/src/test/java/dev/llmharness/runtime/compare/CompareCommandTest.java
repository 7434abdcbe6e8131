package dev.llmharness.runtime.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every exit code, through picocli on real files. */
class CompareCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void fixtures() throws IOException {
        CompareFixtures.ensure();
    }

    private int run(Object... args) {
        List<String> strings = new ArrayList<>();
        for (Object a : args) {
            strings.add(a.toString());
        }
        return new CommandLine(new CompareCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(strings.toArray(String[]::new));
    }

    private static final Path BASE = CompareFixtures.BASE;
    private static final Path CONTENDER = CompareFixtures.CONTENDER;

    @Test
    void exitsWithZeroWhenNoGatedMetricRegressed() throws IOException {
        // Another run of the same benchmark with the same figures (one run on both sides is refused).
        int code = run("--gate", "ttft.p99,errorRate", BASE, "--", secondRun(BASE, "base-2.json"));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("llmh compare: NO GATED REGRESSION");
    }

    @Test
    void exitsWithOneOnAGatedRegression() {
        int code = run(BASE, "--", CONTENDER);
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("itl.p99").contains("REGRESSION");
        assertThat(err.toString()).contains("REGRESSION: 2 gated regressions (").contains("tpot.p50 +25.1 % worse");
    }

    @Test
    void theErrorNamesTheRegressedTrialAndMetricOnALineOfItsOwn() {
        run(BASE, "--", CONTENDER);
        assertThat(err.toString().lines().filter(l -> l.startsWith("llmh compare:   ")))
                .hasSize(2)
                .allSatisfy(
                        l -> assertThat(l).contains("tpot.p").contains("worse").endsWith("REGRESSION"));
    }

    @Test
    void exitsWithZeroOnARegressionUnderFailOnNever() {
        assertThat(run("--fail-on", "never", BASE, "--", CONTENDER)).isZero();
    }

    @Test
    void aLooseThresholdTurnsTheRegressionIntoNoFailure() {
        assertThat(run("--threshold", "itl.p99=60%", "--gate", "itl.p99", BASE, "--", CONTENDER))
                .isZero();
    }

    @Test
    void exitsWithOneOnAGatedInconclusiveUnderFailOnInconclusive() throws IOException {
        // The replay trial has too few requests for p99: INCONCLUSIVE on a gated metric.
        Path again = secondRun(BASE, "base-2.json");
        assertThat(run(BASE, "--gate", "ttft.p99", "--", again)).isZero();
        assertThat(run("--gate", "ttft.p99", "--fail-on", "inconclusive", BASE, "--", again))
                .isEqualTo(1);
        // Exit code 1 says why: not "NO GATED REGRESSION" alone, but each metric left undecided.
        assertThat(err.toString().lines().filter(l -> l.startsWith("llmh compare:")))
                .first()
                .asString()
                .contains("--fail-on inconclusive")
                .contains("could not be decided");
        assertThat(err.toString().lines().filter(l -> l.startsWith("llmh compare:   ")))
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l).contains(" ttft.p").contains(": "));
    }

    /**
     * A base trial that no contender trial matches was not gated: the first line counts it, and
     * under --fail-on inconclusive it fails the comparison, named on a line of its own.
     */
    @Test
    void aBaseTrialNotComparedFailsUnderFailOnInconclusive() throws IOException {
        RunResult again = ResultJson.read(secondRun(BASE, "base-2.json"));
        Path withoutLegacy = dir.resolve("without-legacy.json");
        ResultJson.write(
                new RunResult(
                        again.schemaVersion(),
                        again.run(),
                        again.target(),
                        again.trials().subList(0, 2),
                        false),
                withoutLegacy);

        assertThat(run("--gate", "tpot.p50", BASE, "--", withoutLegacy))
                .as(err.toString())
                .isZero();
        assertThat(out.toString()).startsWith("llmh compare: NO GATED REGRESSION, but 1 baseline trial not compared");

        err.getBuffer().setLength(0);
        assertThat(run("--gate", "tpot.p50", "--fail-on", "inconclusive", BASE, "--", withoutLegacy))
                .isEqualTo(1);
        assertThat(err.toString().lines())
                .containsExactly(
                        "llmh compare: FAILED under --fail-on inconclusive: 1 baseline trial not compared",
                        "llmh compare:   " + CompareFixtures.LEGACY
                                + ": only in base, not compared (no contender trial has its id)");
    }

    @Test
    void exitsWithThreeWhenEnvironmentsDifferUnderStrict() throws IOException {
        int code = run("--strict", BASE, "--", CONTENDER);
        assertThat(code).isEqualTo(3);
        assertThat(err.toString()).contains("--strict").contains("run.jvm");
        assertThat(run("--strict", BASE, "--", secondRun(BASE, "base-2.json"))).isEqualTo(0);
    }

    @Test
    void exitsWithTwoNamingACorruptFile() {
        assertThat(run(BASE, "--", CompareFixtures.CORRUPT)).isEqualTo(2);
        assertThat(err.toString()).contains("corrupt.json").contains("not valid JSON");
    }

    @Test
    void exitsWithTwoNamingAFileOfAnotherSchemaVersion() {
        assertThat(run(CompareFixtures.OTHER_SCHEMA, "--", BASE)).isEqualTo(2);
        assertThat(err.toString()).contains("schema-v99.json").contains("schemaVersion 99");
    }

    @Test
    void exitsWithTwoNamingAFileWhoseHistogramDoesNotDecode() {
        assertThat(run(BASE, "--", CompareFixtures.BAD_HISTOGRAM)).isEqualTo(2);
        assertThat(err.toString())
                .contains("bad-histogram.json")
                .contains("metric itl")
                .contains("does not decode");
    }

    @Test
    void exitsWithTwoNamingAFileThatLacksARequiredPart() throws IOException {
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode)
                ResultJson.mapper().readTree(Files.readString(BASE));
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("trials").get(0)).remove("counts");
        Path incomplete = dir.resolve("incomplete.json");
        Files.writeString(incomplete, tree.toString());
        assertThat(run(BASE, "--", incomplete)).isEqualTo(2);
        assertThat(err.toString()).contains("incomplete.json lacks trial " + CompareFixtures.CHAT + ": counts");
    }

    @Test
    void exitsWithTwoWhenNoTrialsAreInCommon() throws IOException {
        RunResult base = ResultJson.read(BASE);
        Path legacyOnly = dir.resolve("legacy.json");
        ResultJson.write(
                new RunResult(
                        base.schemaVersion(),
                        base.run(),
                        base.target(),
                        base.trials().subList(2, 3),
                        false),
                legacyOnly);
        assertThat(run(legacyOnly, "--", CONTENDER)).isEqualTo(2);
        assertThat(err.toString()).contains("no trial in common").contains(CompareFixtures.LEGACY);
    }

    @Test
    void exitsWithTwoOnUsageErrors() {
        assertThat(run(BASE, CONTENDER)).isEqualTo(2);
        assertThat(err.toString()).contains("separate the base files from the contender files with --");
        assertThat(run("--threshold", "ttft.p99=lots", BASE, "--", CONTENDER)).isEqualTo(2);
        assertThat(err.toString()).contains("invalid threshold 'lots' for ttft.p99");
        assertThat(run("--gate", "ttft.p42x", BASE, "--", CONTENDER)).isEqualTo(2);
        assertThat(err.toString()).contains("unknown metric 'ttft.p42x'");
        assertThat(run("--fail-on", "sometimes", BASE, "--", CONTENDER)).isEqualTo(2);
        assertThat(run(BASE, "--", dir.resolve("missing.json"))).isEqualTo(2);
        assertThat(err.toString()).contains("missing.json");
    }

    /**
     * Options that would turn the gate off without saying so, or run out of memory with a trace
     * (and exit 1, the code of a regression), are usage errors.
     */
    @Test
    void optionsThatDisarmTheGateOrCannotFinishAreUsageErrors() {
        assertThat(run("--gate", "", BASE, "--", CONTENDER)).isEqualTo(2);
        assertThat(err.toString().strip())
                .isEqualTo("llmh compare: --gate names no metric, so nothing could fail the comparison: give at"
                        + " least one (e.g. --gate ttft.p50,tpot.p50), or --fail-on never to report without failing");
        err.getBuffer().setLength(0);
        assertThat(run("--threshold", "errorRate=150%", BASE, "--", CONTENDER)).isEqualTo(2);
        assertThat(err.toString().strip())
                .isEqualTo("llmh compare: threshold of errorRate is a difference in percentage points, below 100%"
                        + " (e.g. 1% for one point), got 1.5");
        err.getBuffer().setLength(0);
        assertThat(run("--resamples", "100000000", BASE, "--", CONTENDER)).isEqualTo(2);
        assertThat(err.toString().strip())
                .isEqualTo("llmh compare: resamples must be at most 1000000 (beyond 100000 an interval's ends move by"
                        + " less than its rounding), got 100000000");
    }

    @Test
    void writesMarkdownToAFileAndTheTableToStandardOutput() throws IOException {
        Path comment = dir.resolve("pr/comment.md");
        int code = run("--format", "markdown", "--output", comment, "--fail-on", "never", BASE, "--", CONTENDER);
        assertThat(code).isZero();
        assertThat(Files.readString(comment)).startsWith("<!-- llmh-compare -->");
        assertThat(out.toString()).startsWith("llmh compare: REGRESSION");
    }

    @Test
    void writesVersionedJson() throws IOException {
        int code = run("--format", "json", "--seed", "7", "--resamples", "300", BASE, "--", CONTENDER);
        assertThat(code).isEqualTo(1);
        var tree = ResultJson.mapper().readTree(out.toString());
        assertThat(tree.get("compareSchemaVersion").asInt()).isEqualTo(1);
        assertThat(tree.get("seed").asLong()).isEqualTo(7);
        assertThat(tree.get("resamples").asInt()).isEqualTo(300);
    }

    @Test
    void severalFilesPerSideAreReplicateRuns() throws IOException {
        Path base2 = secondRun(BASE, "base-2.json");
        Path contender2 = secondRun(CONTENDER, "contender-2.json");
        int code = run("--format", "json", BASE, base2, "--", CONTENDER, contender2);
        assertThat(code).as(err.toString()).isEqualTo(1);
        assertThat(out.toString()).contains("\"contenderSources\" : [ \"" + CONTENDER + "\", \"" + contender2 + "\" ]");
    }

    /** The same file twice on a side (or a copy) is one run counted twice: an input error. */
    @Test
    void theSameRunTwiceOnASideIsAnInputError() throws IOException {
        assertThat(run(BASE, BASE, "--", CONTENDER)).isEqualTo(2);
        assertThat(err.toString().strip())
                .isEqualTo("llmh compare: " + BASE + " and " + BASE + " are the same run (both started at "
                        + ResultJson.read(BASE).run().startTime() + ") on the base side: give each run once; a"
                        + " repeated run counts as runs that agree perfectly");
        Path copy = Files.copy(CONTENDER, dir.resolve("copy.json"));
        err.getBuffer().setLength(0);
        assertThat(run(BASE, "--", CONTENDER, copy)).isEqualTo(2);
        assertThat(err.toString()).contains(copy + " are the same run").contains("on the contender side");
    }

    /** A copy of {@code file} as another run: the same data, started a day later. */
    private Path secondRun(Path file, String name) throws IOException {
        RunResult r = ResultJson.read(file);
        String json = ResultJson.toJson(r);
        String start = r.run().startTime();
        Path copy = dir.resolve(name);
        Files.writeString(copy, json.replaceFirst(java.util.regex.Pattern.quote(start), "2031-01-01T00:00:00Z"));
        return copy;
    }

    /**
     * A file the harness marked harness-limited ({@code trials[].harnessLimit.limited}) gives a
     * warning naming the file, its side and the figures, on either side; sides with different run
     * counts compare, and one run on a side is said to give optimistic intervals.
     */
    @Test
    void warnsPerSideAboutHarnessLimitedFilesAndOneRunOnASide() throws IOException {
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode)
                ResultJson.mapper().readTree(Files.readString(CONTENDER));
        var trial = (com.fasterxml.jackson.databind.node.ObjectNode)
                tree.get("trials").get(0);
        trial.set(
                "harnessLimit", ResultJson.mapper().valueToTree(dev.llmharness.runtime.result.HarnessLimit.of(80, 5)));
        // Another run than CONTENDER, which it is compared with below.
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("run")).put("startTime", "2032-01-01T00:00:00Z");
        Path limited = dir.resolve("limited.json");
        Files.writeString(limited, tree.toString());
        String id = trial.get("id").asText();

        run("--fail-on", "never", BASE, secondRun(BASE, "base-2.json"), "--", limited);
        assertThat(out.toString())
                .contains(limited + " (contender): trial " + id + " is harness-limited: dispatch lag above 1 ms in 5"
                        + " of 80 measured requests (at most 2 allowed)")
                .doesNotContain("(base): trial")
                .contains("one run on a side");

        out.getBuffer().setLength(0);
        run("--fail-on", "never", limited, "--", CONTENDER, secondRun(CONTENDER, "contender-2.json"));
        assertThat(out.toString())
                .contains(limited + " (base): trial " + id + " is harness-limited")
                .doesNotContain("(contender): trial");
    }

    /**
     * The field decides, not the text: a current file whose field says the trial was not limited
     * gives no warning whatever its warnings say; a file written before the field is judged by the
     * warning it carried then.
     */
    @Test
    void theFieldDecidesAndAnOldFileIsJudgedByItsOldWarning() throws IOException {
        String oldWarning = "dispatch lag p99 exceeds 1 ms: the harness, not the server, is limiting this measurement"
                + " (p99 7.991 ms)";
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode)
                ResultJson.mapper().readTree(Files.readString(CONTENDER));
        var trial = (com.fasterxml.jackson.databind.node.ObjectNode)
                tree.get("trials").get(0);
        trial.withArray("warnings").add(oldWarning);
        String id = trial.get("id").asText();
        trial.remove("harnessLimit");
        Path old = dir.resolve("old.json");
        // An older run than current.json below, not a copy of it.
        Files.writeString(
                old, tree.toString().replace(tree.get("run").get("startTime").asText(), "2030-01-01T00:00:00Z"));
        trial.set(
                "harnessLimit", ResultJson.mapper().valueToTree(dev.llmharness.runtime.result.HarnessLimit.of(80, 2)));
        Path current = dir.resolve("current.json");
        Files.writeString(current, tree.toString());

        run("--fail-on", "never", old, "--", current);
        assertThat(out.toString())
                .contains(old + " (base): trial " + id + " is harness-limited: its file (written before trials"
                        + " recorded late requests) carries the warning")
                .doesNotContain("(contender): trial");
    }
}
