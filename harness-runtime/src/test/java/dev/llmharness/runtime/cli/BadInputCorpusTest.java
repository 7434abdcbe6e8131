package dev.llmharness.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.DatasetFormat;
import dev.llmharness.api.Defaults;
import dev.llmharness.api.Sampling;
import dev.llmharness.api.spi.DatasetWorkload;
import dev.llmharness.api.spi.Phase;
import dev.llmharness.api.spi.SloSpec;
import dev.llmharness.api.spi.TraceLoadModel;
import dev.llmharness.api.spi.TrialSpec;
import dev.llmharness.runtime.data.PromptSources;
import dev.llmharness.runtime.data.TraceReader;
import dev.llmharness.runtime.load.ArrivalTrace;
import dev.llmharness.runtime.metrics.TokenCounter;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import dev.llmharness.runtime.result.SyntheticResults;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The class test for bad input files: every {@code llmh} command that reads a file the user names
 * is fed a corpus of malformed files (real files in a temporary folder), and each answers with one
 * line that names the file and the problem, exit code 2 ({@link Llmh#USAGE}, the documented code
 * for a bad input file), never a stack trace, and writes nothing. A new reader of user files is one
 * more {@link Reader}, {@link Format} or runner row; a new kind of damage is one more {@link Bad}
 * row, tried on every reader.
 *
 * <p>Readers: result files ({@code compare} on either side, {@code merge}, {@code report}, {@code
 * promote}, and the baseline the {@code gate} finds in {@code --results} or {@code -Dllmh.results}),
 * datasets ({@code @Dataset} in each format) and arrival traces ({@code @TraceReplay}, Azure CSV and
 * Mooncake JSONL), read before any load by every command that runs trials ({@code run}, {@code
 * sweep}, {@code release-gate}, {@code gate}). {@link #everyOptionThatNamesAFileIsInTheInventory} keeps the
 * list of file options whole. Inputs that are odd but valid (a byte-order mark, CRLF line ends, a
 * trace out of time order) are read, and what was read is checked.
 */
class BadInputCorpusTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void clearProperties() {
        System.getProperties().stringPropertyNames().stream()
                .filter(n -> n.startsWith("llmh."))
                .forEach(System::clearProperty);
    }

    // ---------------------------------------------------------------------------------------------
    // The corpus: what can be wrong with a file, whatever reads it.

    /** What a damaged file is made from: a good file's text (a result, a dataset or a trace). */
    @FunctionalInterface
    interface Damage {
        /** Writes the damaged file at {@code path} (or leaves it absent, or makes a folder there). */
        void make(Path path, String good) throws IOException;
    }

    /**
     * One kind of damage.
     *
     * @param name the case's name, in the test's display name
     * @param damage how the file is made
     * @param problem words the one line must contain (lower case compared), naming the problem
     */
    record Bad(String name, Damage damage, String problem) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Damage any file can have, whatever its format. */
    static List<Bad> anyFile() {
        return List.of(
                new Bad("missing", (p, good) -> {}, "not found|does not exist"),
                new Bad("a folder", (p, good) -> Files.createDirectories(p), "folder|directory|not a file"),
                new Bad("empty", (p, good) -> Files.write(p, new byte[0]), "empty|no requests|no usable record"),
                new Bad("zeros", (p, good) -> Files.write(p, new byte[4096]), ""),
                new Bad("binary", (p, good) -> Files.write(p, binary()), ""),
                new Bad("Latin-1, not UTF-8", BadInputCorpusTest::latin1, "utf-8"),
                new Bad("unreadable", BadInputCorpusTest::unreadable, "permission denied|not readable"));
    }

    /** Bytes that are not UTF-8 text (a gzip header, then every byte value). */
    private static byte[] binary() {
        byte[] b = new byte[512];
        b[0] = 0x1f;
        b[1] = (byte) 0x8b;
        for (int i = 2; i < b.length; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    /** The good text after a word in Latin-1, whose byte 0xE9 is no UTF-8 (and no NUL in the file). */
    private static void latin1(Path p, String good) throws IOException {
        byte[] word = "caf\u00e9 ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] text = good.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(word, word.length + text.length);
        System.arraycopy(text, 0, all, word.length, text.length);
        Files.write(p, all);
    }

    private static void unreadable(Path p, String good) throws IOException {
        Files.writeString(p, good);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
        Assumptions.assumeFalse(
                Files.isReadable(p),
                "the tests run as root, who reads a file with mode 000: the unreadable-file case is skipped");
    }

    // ---------------------------------------------------------------------------------------------
    // Result files.

    /**
     * Runs of trial a and one of trial b, each another run (another seed); the damaged files are
     * made from a third run of a, so that no command sees them as a copy of a good one.
     */
    private Path goodA;

    private Path goodA2;
    private Path goodA3;
    private Path goodB;

    private static RunResult run(long seed, String id) {
        return SyntheticResults.run(seed, new SyntheticResults.Spec(id, 200, 0.35, 20, 0.3, 13, 20, 12, 0));
    }

    private void writeGoodResults() throws IOException {
        Files.createDirectories(dir.resolve("in"));
        goodA = dir.resolve("in/a.json");
        goodA2 = dir.resolve("in/a2.json");
        goodA3 = dir.resolve("in/a3.json");
        goodB = dir.resolve("in/b.json");
        ResultJson.write(run(1, "a"), goodA);
        ResultJson.write(run(2, "a"), goodA2);
        ResultJson.write(run(4, "a"), goodA3);
        ResultJson.write(run(3, "b"), goodB);
    }

    /** {@code good} with the first match of {@code regex} replaced; the match must exist. */
    private static String edit(String good, String regex, String replacement) {
        String edited = good.replaceFirst(regex, replacement);
        assertThat(edited).as("the corpus edit " + regex + " applies").isNotEqualTo(good);
        return edited;
    }

    private static Bad text(String name, String problem, java.util.function.UnaryOperator<String> edit) {
        return new Bad(name, (p, good) -> Files.writeString(p, edit.apply(good)), problem);
    }

    /** The damaged result files: any file's damage, and a result file's own. */
    static List<Bad> badResults() {
        List<Bad> all = new ArrayList<>(anyFile());
        all.addAll(List.of(
                text("truncated mid-object", "truncated", g -> g.substring(0, g.indexOf("\"metrics\"") + 40)),
                text("not JSON", "not valid json", g -> "results of Tuesday\n"),
                text("a JSON array", "expected a json object", g -> "[" + g + "]"),
                text("a JSON string", "expected a json object", g -> "\"a.json\""),
                text("an empty object", "no schemaversion", g -> "{}"),
                text(
                        "a future schemaVersion",
                        "schemaversion 2, but this harness reads versions 1 to 1",
                        g -> edit(g, "\"schemaVersion\" : 1", "\"schemaVersion\" : 2")),
                text(
                        "no counts",
                        "counts",
                        g -> edit(g, "\"counts\" : \\{[^}]*\\{[^}]*\\}[^}]*\\{[^}]*\\}\\s*\\},", "")),
                text(
                        "a string for a count",
                        "trials[0].counts.sent: expected a number",
                        g -> edit(g, "\"sent\" : \\d+", "\"sent\" : \"many\"")),
                text(
                        "NaN, as JSON has no such number",
                        "nan",
                        g -> edit(g, "\"requestsPerSecond\" : [0-9.]+", "\"requestsPerSecond\" : NaN")),
                text(
                        "NaN as a string",
                        "trials[0].throughput.requestsPerSecond",
                        g -> edit(g, "\"requestsPerSecond\" : [0-9.]+", "\"requestsPerSecond\" : \"NaN\"")),
                text(
                        "Infinity as a string",
                        "trials[0].metrics.",
                        g -> edit(g, "\"p50\" : [0-9.]+", "\"p50\" : \"Infinity\"")),
                text(
                        "a number too large for a double",
                        "trials[0].metrics.",
                        g -> edit(g, "\"mean\" : [0-9.]+", "\"mean\" : 1e999")),
                text("a negative count", "negative", g -> edit(g, "\"completed\" : \\d+", "\"completed\" : -5")),
                text(
                        "a negative metric count",
                        "negative",
                        g -> edit(g, "(\"direction\" : \"[a-z_]+\",\\s*\"count\" : )\\d+", "$1-3")),
                text(
                        "a corrupt histogram",
                        "histogram does not decode",
                        g -> edit(g, "\"histogram\" : \"HISTF[^\"]{12}", "\"histogram\" : \"HISTF!!!!!!!!!!!!")),
                text(
                        "a histogram that is not base64 of one",
                        "histogram does not decode",
                        g -> edit(g, "\"histogram\" : \"[^\"]*\"", "\"histogram\" : \"aGVsbG8=\"")),
                text(
                        "a per-second histogram that is not one",
                        "ttft histogram does not decode",
                        g -> edit(g, "\"ttft\" : \"[^\"]*\"", "\"ttft\" : \"aGVsbG8=\"")),
                text("one trial listed twice", "twice", BadInputCorpusTest::trialTwice)));
        return all;
    }

    /** The file with its one trial listed a second time. */
    private static String trialTwice(String good) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode)
                    ResultJson.mapper().readTree(good);
            com.fasterxml.jackson.databind.node.ArrayNode trials =
                    (com.fasterxml.jackson.databind.node.ArrayNode) tree.get("trials");
            trials.add(trials.get(0).deepCopy());
            return ResultJson.mapper().writeValueAsString(tree);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A command that reads result files.
     *
     * @param name its name in the display name
     * @param invocation its arguments, given the good files and the bad one (the bad one where the
     *     command reads it)
     */
    record Reader(String name, Invocation invocation) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A call of a command with {@code bad} among its inputs. */
    @FunctionalInterface
    interface Invocation {
        Call call(BadInputCorpusTest t, Path bad) throws Exception;
    }

    /**
     * The arguments, the file the line must name, the paths that must not exist afterwards (what
     * the command would write had it accepted the input), and files measured before that must be
     * left as they were.
     */
    record Call(List<String> args, Path named, List<Path> unwritten, List<Path> kept) {
        Call(List<String> args, Path named, List<Path> unwritten) {
            this(args, named, unwritten, List.of());
        }
    }

    static List<Reader> resultReaders() {
        return List.of(
                new Reader(
                        "compare, base side",
                        (t, bad) -> new Call(
                                List.of(
                                        "compare",
                                        "-o",
                                        t.dir.resolve("out/c.md").toString(),
                                        bad.toString(),
                                        "--",
                                        t.goodA2.toString()),
                                bad,
                                List.of(t.dir.resolve("out/c.md")))),
                new Reader(
                        "compare, contender side",
                        (t, bad) -> new Call(
                                List.of(
                                        "compare",
                                        "-o",
                                        t.dir.resolve("out/c.md").toString(),
                                        t.goodA.toString(),
                                        "--",
                                        t.goodA2.toString(),
                                        bad.toString()),
                                bad,
                                List.of(t.dir.resolve("out/c.md")))),
                new Reader(
                        "merge",
                        (t, bad) -> new Call(
                                List.of(
                                        "merge",
                                        "-o",
                                        t.dir.resolve("out/m.json").toString(),
                                        t.goodA.toString(),
                                        bad.toString()),
                                bad,
                                List.of(t.dir.resolve("out/m.json")))),
                new Reader(
                        "report",
                        (t, bad) -> new Call(
                                List.of(
                                        "report",
                                        "-o",
                                        t.dir.resolve("out/report").toString(),
                                        t.goodA.toString(),
                                        bad.toString()),
                                bad,
                                List.of(t.dir.resolve("out/report")))),
                new Reader(
                        "promote",
                        (t, bad) -> new Call(
                                List.of(
                                        "promote",
                                        "--baseline",
                                        t.dir.resolve("out/baseline.json").toString(),
                                        t.goodA.toString(),
                                        bad.toString()),
                                bad,
                                List.of(
                                        t.dir.resolve("out/baseline.run-1.json"),
                                        t.dir.resolve("out/baseline.run-2.json")))),
                new Reader("gate, its baseline", BadInputCorpusTest::gateWithBaseline));
    }

    /**
     * The gate with {@code bad} as its baseline (moved into {@code --results}), against a server
     * nobody listens on: the baseline must be refused before any run, not after minutes of load.
     */
    private Call gateWithBaseline(Path bad) throws Exception {
        Path results = Files.createDirectories(dir.resolve("results"));
        Path baseline = results.resolve("baseline.json");
        if (Files.exists(bad, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.move(bad, baseline);
        }
        // The last run's result: a refused baseline must not cost it (the gate replaces it only once
        // it runs).
        Path latest = Files.copy(goodA2, results.resolve("latest.json"));
        return new Call(
                List.of("gate", "--results", results.toString(), "--forks", "1", "--", "--url", deadUrl()),
                baseline,
                List.of(results.resolve("comparison.md")),
                List.of(latest));
    }

    /**
     * The bench profile names the gate's folder with {@code -Dllmh.results}: a damaged baseline
     * there is the same one line before any load.
     */
    @Test
    void aBaselineInTheFolderOfTheBenchProfilesPropertyIsCheckedBeforeAnyLoad() throws Exception {
        writeGoodResults();
        Path results = Files.createDirectories(dir.resolve("bench-results"));
        Path baseline = Files.writeString(results.resolve("baseline.json"), "{\"schemaVersion\": 1, \"run\": ");
        System.setProperty("llmh.results", results.toString());
        List<String> args = List.of("gate", "--forks", "1", "--", "--url", deadUrl());
        assertThat(oneCleanLine(llmh(args), args))
                .startsWith("llmh gate: " + baseline + " is not valid JSON: it ends too early")
                .doesNotContain("connect");
        assertThat(results.resolve("latest.json")).doesNotExist();
    }

    /**
     * The bench profile's one-run gate reads its committed {@code baseline.json} before the run too,
     * with the same line, and keeps the previous run's result.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badBaselines")
    void aDamagedBaselineOfTheBenchProfilesOneRunGateIsOneLineBeforeAnyLoad(Bad bad) throws Exception {
        writeGoodResults();
        Path results = Files.createDirectories(dir.resolve("bench-results"));
        Path baseline = results.resolve("baseline.json");
        bad.damage().make(baseline, Files.readString(goodA3));
        Path latest = Files.copy(goodA2, results.resolve("latest.json"));
        String before = Files.readString(latest);
        System.setProperty("llmh.url", deadUrl());
        List<String> args = List.of(BENCH, results.toString());
        Path data = Files.writeString(dir.resolve("good" + DOLLY.extension()), DOLLY.good());
        String line = oneCleanLine(runTrial(DOLLY.trial().apply(data.toString()), args), args);
        assertThat(line).startsWith("bench: ").contains(baseline.toString()).doesNotContain("connect");
        assertNamesTheProblem(line, bad.problem());
        assertThat(latest).as("the previous run's result").hasContent(before);
    }

    /** Every damaged result but a missing one: no baseline is no error (the gate says so and runs). */
    static Stream<Bad> badBaselines() {
        return badResults().stream().filter(b -> !b.name().equals("missing"));
    }

    static Stream<Arguments> everyResultReaderWithEveryBadResult() {
        List<Arguments> all = new ArrayList<>();
        for (Reader r : resultReaders()) {
            for (Bad b : badResults()) {
                if (r.name().startsWith("gate") && b.name().equals("missing")) {
                    continue; // no baseline is no error: the gate says so and runs (GateEndToEndTest)
                }
                all.add(Arguments.of(r, b));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyResultReaderWithEveryBadResult")
    void aDamagedResultFileIsOneLineNamingItWithExitCodeTwo(Reader reader, Bad bad) throws Exception {
        writeGoodResults();
        Path file = dir.resolve("in/bad.json");
        bad.damage().make(file, Files.readString(goodA3));
        Call call = reader.invocation().call(this, file);
        int code = llmh(call.args());
        String line = oneCleanLine(code, call.args());
        assertThat(line).as(call.args().toString()).contains(call.named().toString());
        assertNamesTheProblem(line, bad.problem());
        for (Path p : call.unwritten()) {
            assertThat(p).as("written although the input was refused").doesNotExist();
        }
        for (Path p : call.kept()) {
            assertThat(p)
                    .as("a measured result, kept when the input is refused")
                    .hasSameTextualContentAs(goodA2);
        }
    }

    /**
     * Files that each read well but cannot be taken together (the cases issue 11 names): no trial in
     * common, and a metric recorded in another unit. Every command that takes several files as one
     * set refuses them in one line naming both files.
     */
    static Stream<Arguments> filesThatDoNotGoTogether() {
        List<Arguments> all = new ArrayList<>();
        for (String command : List.of("compare", "merge", "promote")) {
            all.add(Arguments.of(command, "no trial in common", "b"));
            all.add(Arguments.of(command, "another unit", "us"));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("filesThatDoNotGoTogether")
    void filesThatDoNotGoTogetherAreOneLineNamingBoth(String command, String name, String kind) throws Exception {
        writeGoodResults();
        Path other = goodB;
        if (kind.equals("us")) {
            other = Files.writeString(
                    dir.resolve("in/micros.json"),
                    edit(Files.readString(goodA2), "\"histogramUnit\" : \"ns\"", "\"histogramUnit\" : \"us\""));
        }
        Path output = dir.resolve("out/x.json");
        List<String> args = switch (command) {
            case "compare" -> List.of("compare", goodA.toString(), "--", other.toString());
            case "merge" -> List.of("merge", "-o", output.toString(), goodA.toString(), other.toString());
            default -> List.of("promote", "--baseline", output.toString(), goodA.toString(), other.toString());
        };
        String line = oneCleanLine(llmh(args), args);
        assertThat(line).contains(goodA.toString()).contains(other.toString());
        assertThat(output).doesNotExist();
        assertThat(dir.resolve("out/x.run-1.json")).doesNotExist();
    }

    /**
     * A report overlays files of different benchmarks, so no trial in common is fine there; a metric
     * in another unit is not (its charts would mix the two).
     */
    @Test
    void aReportRefusesFilesOfOneMetricInTwoUnits() throws Exception {
        writeGoodResults();
        Path micros = Files.writeString(
                dir.resolve("in/micros.json"),
                edit(Files.readString(goodA2), "\"histogramUnit\" : \"ns\"", "\"histogramUnit\" : \"us\""));
        List<String> args =
                List.of("report", "-o", dir.resolve("out/r").toString(), goodA.toString(), micros.toString());
        String line = oneCleanLine(llmh(args), args);
        assertThat(line).contains(goodA.toString()).contains(micros.toString());
        assertThat(dir.resolve("out/r")).doesNotExist();

        err.getBuffer().setLength(0);
        List<String> overlay =
                List.of("report", "-o", dir.resolve("out/ab").toString(), goodA.toString(), goodB.toString());
        assertThat(llmh(overlay)).as(err.toString()).isEqualTo(Llmh.OK);
        assertThat(dir.resolve("out/ab/report.html")).isRegularFile();
    }

    /** A result saved with a byte-order mark and CRLF line ends (a Windows editor) is the same result. */
    @Test
    void aResultWithAByteOrderMarkAndCrlfIsReadAsItWas() throws Exception {
        writeGoodResults();
        String good = Files.readString(goodA);
        Path windows = Files.writeString(dir.resolve("in/windows.json"), "\uFEFF" + good.replace("\n", "\r\n"));
        assertThat(ResultJson.read(windows)).isEqualTo(ResultJson.read(goodA));
        List<String> args = List.of("compare", windows.toString(), "--", goodA2.toString());
        assertThat(llmh(args)).as(err.toString()).isEqualTo(Llmh.OK);
    }

    // ---------------------------------------------------------------------------------------------
    // Datasets and traces, read by llmh run before any load.

    /**
     * A file format the runs read: how a trial names a file of it, a good file's text, and the
     * damage peculiar to it.
     */
    record Format(String name, String extension, String good, java.util.function.Function<String, TrialSpec> trial) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static DatasetWorkload dataset(DatasetFormat format, String path, String promptField) {
        return new DatasetWorkload(
                format,
                path,
                promptField,
                "",
                1,
                Integer.MAX_VALUE,
                Integer.MAX_VALUE,
                Defaults.DATASET_OUTPUT_TOKENS,
                false,
                Sampling.WITH_REPLACEMENT,
                0,
                Defaults.ENCODING);
    }

    private static TrialSpec withDataset(DatasetFormat format, String path, String promptField) {
        return LlmhTest.trial("a", 100, SloSpec.NONE).withWorkload(dataset(format, path, promptField));
    }

    private static TrialSpec withTrace(String path) {
        TrialSpec t = LlmhTest.trial("a", 100, SloSpec.NONE);
        return t.with(
                t.params(),
                new TraceLoadModel(path, 1, 0),
                Phase.NONE,
                Phase.ofDuration(Duration.ofSeconds(5)),
                t.slo(),
                t.seed());
    }

    static final Format DOLLY = new Format(
            "DOLLY dataset",
            ".jsonl",
            "{\"instruction\": \"Say hi\", \"context\": \"\", \"response\": \"hi\"}\n"
                    + "{\"instruction\": \"Say bye\", \"context\": \"\", \"response\": \"bye\"}\n"
                    + "{\"instruction\": \"Count\", \"context\": \"to three\", \"response\": \"1 2 3\"}\n",
            p -> withDataset(DatasetFormat.DOLLY, p, ""));
    static final Format JSONL = new Format(
            "JSONL dataset",
            ".jsonl",
            "{\"q\": \"Say hi\"}\n{\"q\": \"Say bye\"}\n{\"q\": \"Count to three\"}\n",
            p -> withDataset(DatasetFormat.JSONL, p, "q"));
    static final Format CSV = new Format(
            "CSV dataset",
            ".csv",
            "question,answer\nSay hi,hi\nSay bye,bye\n\"Count, slowly\",1 2 3\n",
            p -> withDataset(DatasetFormat.CSV, p, "question"));
    static final Format SHAREGPT = new Format(
            "SHAREGPT dataset",
            ".json",
            "[{\"conversations\": [{\"from\": \"human\", \"value\": \"Say hi\"}, {\"from\": \"gpt\", \"value\":"
                    + " \"hi\"}]},\n {\"conversations\": [{\"from\": \"human\", \"value\": \"Say bye\"}]}]\n",
            p -> withDataset(DatasetFormat.SHAREGPT, p, ""));
    static final Format AZURE = new Format(
            "Azure trace",
            ".csv",
            "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,100,20\n"
                    + "2023-11-16 18:15:47.1000000,80,10\n2023-11-16 18:15:48.0000000,60,5\n",
            BadInputCorpusTest::withTrace);
    static final Format MOONCAKE = new Format(
            "Mooncake trace",
            ".jsonl",
            "{\"timestamp\": 0, \"input_length\": 100, \"output_length\": 20}\n"
                    + "{\"timestamp\": 400, \"input_length\": 80, \"output_length\": 10}\n"
                    + "{\"timestamp\": 1200, \"input_length\": 60, \"output_length\": 5}\n",
            BadInputCorpusTest::withTrace);

    /** Damage of a format's own, by format. */
    static List<Bad> ownDamage(Format f) {
        List<Bad> all = new ArrayList<>();
        if (f == DOLLY || f == JSONL || f == MOONCAKE) {
            all.add(text("one bad line in the middle", "line 2", g -> g.replaceFirst("\n\\{", "\n{broken,\n{")));
            all.add(text("a JSON array per line", "line 1", g -> "[1, 2]\n" + g));
            all.add(text("a string per line", "line 1", g -> "\"hello\"\n" + g));
            all.add(text("an empty object", "line 1", g -> "{}\n" + g));
        }
        if (f == SHAREGPT) {
            all.add(text("truncated mid-object", "", g -> g.substring(0, g.indexOf("Say bye"))));
            all.add(text("an object, not an array", "", g -> "{\"conversations\": []}"));
            all.add(text("a string", "", g -> "\"hello\""));
            all.add(text("an empty object", "", g -> "{}"));
            all.add(text("an array of numbers", "record 1", g -> "[1, 2, 3]"));
        }
        if (f == CSV || f == AZURE) {
            all.add(text("no header row", "line 1", g -> g.substring(g.indexOf('\n') + 1)));
            all.add(text("a broken quote", "", g -> g + "\"unclosed,x\nmore\"text\"after,y\n"));
        }
        if (f == CSV) {
            all.add(text("a row without the column", "record", g -> "answer,question\n" + "only-one-field\n"));
        }
        if (f == AZURE) {
            all.add(text(
                    "a timestamp that is not one", "line 3", g -> g.replace("2023-11-16 18:15:47.1000000", "soon")));
            all.add(text("a negative token count", "line 2", g -> g.replace(",100,", ",-100,")));
            all.add(text(
                    "a timestamp that is a number", "line 2", g -> g.replace("2023-11-16 18:15:46.6805900", "12")));
        }
        if (f == MOONCAKE) {
            all.add(text(
                    "a negative timestamp", "line 2", g -> g.replace("\"timestamp\": 400", "\"timestamp\": -400")));
            all.add(text(
                    "a timestamp that is not a number",
                    "line 2",
                    g -> g.replace("\"timestamp\": 400", "\"timestamp\": \"soon\"")));
            all.add(text("a timestamp of NaN", "line 2", g -> g.replace("\"timestamp\": 400", "\"timestamp\": NaN")));
            all.add(text(
                    "a fractional length", "line 3", g -> g.replace("\"input_length\": 60", "\"input_length\": 6.5")));
        }
        return all;
    }

    static List<Format> formats() {
        return List.of(DOLLY, JSONL, CSV, SHAREGPT, AZURE, MOONCAKE);
    }

    /**
     * The commands that run trials: each reads the trials' datasets and traces, and must refuse a
     * damaged one before any load (the URL is dead: reaching it would mean the check came too late).
     */
    static List<String> runners() {
        return List.of("run", "sweep", "release-gate", "gate", BENCH);
    }

    /**
     * The bench profile's one-run gate ({@code BenchGate}, what {@code -Pbench} forks when one run
     * is compared with a committed baseline): not a subcommand, so {@link #runTrial} calls it with
     * the results folder, its server from {@code -Dllmh.url} as the profile passes it.
     */
    private static final String BENCH = "bench";

    private List<String> runnerArgs(String command, Path output) throws Exception {
        String url = deadUrl();
        return switch (command) {
            case "run" -> List.of("run", "--url", url, "--output", output.toString());
            case "sweep" -> List.of("sweep", "--rates", "1,2", "--url", url, "--output", output.toString());
            case "release-gate" ->
                List.of(
                        "release-gate",
                        "--rate",
                        "5",
                        "--slo",
                        "ttft p99 <= 2s",
                        "--url",
                        url,
                        "--output",
                        output.toString());
            case BENCH -> {
                System.setProperty("llmh.url", url);
                yield List.of(BENCH, output.resolveSibling("g").toString());
            }
            default ->
                List.of("gate", "--results", output.resolveSibling("g").toString(), "--forks", "1", "--", "--url", url);
        };
    }

    static Stream<Arguments> everyRunnerWithEveryFormatAndBadFile() {
        List<Arguments> all = new ArrayList<>();
        for (String command : runners()) {
            for (Format f : formats()) {
                if ((f == AZURE || f == MOONCAKE) && (command.equals("sweep") || command.equals("release-gate"))) {
                    continue; // their loads (rates, a level, a spike) replace the trace, which is not read
                }
                List<Bad> bads = new ArrayList<>(anyFile());
                bads.addAll(ownDamage(f));
                for (Bad b : bads) {
                    all.add(Arguments.of(command, f, b));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, {1}: {2}")
    @MethodSource("everyRunnerWithEveryFormatAndBadFile")
    void aDamagedDatasetOrTraceIsOneLineNamingItBeforeAnyLoad(String command, Format format, Bad bad) throws Exception {
        Path file = dir.resolve("bad" + format.extension());
        bad.damage().make(file, format.good());
        TrialSpec trial = format.trial().apply(file.toString());
        Path output = dir.resolve("r.json");
        List<String> args = runnerArgs(command, output);
        // The gate's previous results, which a run refused before any load must not cost.
        boolean gate = command.equals("gate") || command.equals(BENCH);
        Path previous = Files.createDirectories(dir.resolve("g")).resolve("latest.json");
        Path comparison = dir.resolve("g/comparison.md");
        if (gate) {
            ResultJson.write(run(5, "a"), previous);
            Files.writeString(comparison, "the previous comparison\n");
        }
        String before = gate ? Files.readString(previous) : null;
        String line = oneCleanLine(runTrial(trial, args), args);
        assertThat(line)
                // The gates' runs are llmh run's, whose line they pass on as it is.
                .startsWith("llmh " + (gate ? "run" : command) + ": ")
                // The trial, under the id of the point that read it (a sweep's is at its own rate).
                .contains("com.example.Chat.a{")
                .contains(file.toString())
                .doesNotContain("connect");
        assertNamesTheProblem(line, bad.problem());
        assertThat(output).doesNotExist();
        if (gate) {
            assertThat(previous).as("the previous gate's result").hasContent(before);
            assertThat(comparison).hasContent("the previous comparison\n");
            try (Stream<Path> left = Files.list(dir.resolve("g"))) {
                assertThat(left.map(p -> p.getFileName().toString()))
                        .as("nothing left set aside")
                        .containsExactlyInAnyOrder("latest.json", "comparison.md");
            }
        }
    }

    /** The good file of each format is read as it is written, so the damage above is what is refused. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void theGoodFileOfEachFormatIsRead(Format format) throws Exception {
        Path file = Files.writeString(dir.resolve("good" + format.extension()), format.good());
        assertReadsAsTheGoodFile(format, file);
    }

    /**
     * A byte-order mark and CRLF line ends (a file saved on Windows) are no damage: the file is read
     * as the same records, none of them starting with the mark or ending with a carriage return.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void aByteOrderMarkAndCrlfLineEndsAreReadAsTheSameRecords(Format format) throws Exception {
        Path file = Files.writeString(
                dir.resolve("windows" + format.extension()),
                "\uFEFF" + format.good().replace("\n", "\r\n"));
        assertReadsAsTheGoodFile(format, file);
    }

    private void assertReadsAsTheGoodFile(Format format, Path file) throws Exception {
        if (format == AZURE || format == MOONCAKE) {
            ArrivalTrace trace = TraceReader.read(file.toString());
            assertThat(trace.size()).isEqualTo(3);
            assertThat(
                            format == AZURE
                                    ? List.of(0L, 419_410_000L, 1_319_410_000L)
                                    : List.of(0L, 400_000_000L, 1_200_000_000L))
                    .isEqualTo(List.of(trace.offsetNanos(0), trace.offsetNanos(1), trace.offsetNanos(2)));
            assertThat(List.of(trace.inputTokens(0), trace.inputTokens(1), trace.inputTokens(2)))
                    .containsExactly(100, 80, 60);
            return;
        }
        var trial = format.trial().apply(file.toString());
        var prompts = PromptSources.forWorkload(trial.workload(), 1);
        Set<String> texts = new TreeSet<>();
        for (long i = 0; i < 200; i++) {
            texts.add(prompts.prompt(i).text());
        }
        Set<String> expected = new TreeSet<>(
                format == SHAREGPT
                        ? List.of("Say hi", "Say bye")
                        : format == DOLLY
                                ? List.of("Say hi", "Say bye", "Count\n\nto three")
                                : format == JSONL
                                        ? List.of("Say hi", "Say bye", "Count to three")
                                        : List.of("Say hi", "Say bye", "Count, slowly"));
        assertThat(texts).isEqualTo(expected);
    }

    /** A trace out of time order is replayed in time order (docs/load.md): read, not refused. */
    @Test
    void aTraceOutOfTimeOrderIsReadInTimeOrder() throws Exception {
        Path file = Files.writeString(
                dir.resolve("shuffled.jsonl"),
                "{\"timestamp\": 1200, \"input_length\": 60}\n{\"timestamp\": 0, \"input_length\": 100}\n"
                        + "{\"timestamp\": 400, \"input_length\": 80}\n");
        ArrivalTrace trace = TraceReader.read(file.toString());
        assertThat(List.of(trace.offsetNanos(0), trace.offsetNanos(1), trace.offsetNanos(2)))
                .containsExactly(0L, 400_000_000L, 1_200_000_000L);
        assertThat(List.of(trace.inputTokens(0), trace.inputTokens(1), trace.inputTokens(2)))
                .containsExactly(100, 80, 60);
    }

    // ---------------------------------------------------------------------------------------------
    // The inventory: every option that names a file is read here or written (checked elsewhere).

    /**
     * Every option and parameter of every command whose value is a path, with what the command does
     * with it: files it reads are fed the corpus above; files it writes are checked before any load
     * by CommandLineErrorsTest ({@code anUnwritableOutputOrCsvIsRefusedBeforeAnyLoad} and the
     * like). A new path option fails {@link #everyOptionThatNamesAFileIsInTheInventory} until it is
     * listed here.
     */
    private static final java.util.Map<String, String> PATH_OPTIONS = java.util.Map.ofEntries(
            java.util.Map.entry("compare FILE", "reads result files: the corpus, both sides"),
            java.util.Map.entry("gate --results", "reads the baseline set in it: the corpus, as baseline.json"),
            java.util.Map.entry("compare --output", "writes the report"),
            java.util.Map.entry("merge FILE", "reads result files: the corpus"),
            java.util.Map.entry("merge --output", "writes the merged result"),
            java.util.Map.entry("report RESULT.json", "reads result files: the corpus"),
            java.util.Map.entry("report --output-dir", "writes the reports"),
            java.util.Map.entry("promote RESULT", "reads result files: the corpus"),
            java.util.Map.entry("promote --baseline", "writes the baseline set"),
            java.util.Map.entry("run --output", "writes the result"),
            java.util.Map.entry("run --csv", "writes the requests"),
            java.util.Map.entry("run --report-dir", "writes the reports"),
            java.util.Map.entry("run --itl-jsonl", "writes the gaps"),
            java.util.Map.entry("sweep --output", "writes the result"),
            java.util.Map.entry("sweep --report-dir", "writes the reports"),
            java.util.Map.entry("release-gate --output", "writes the result"),
            java.util.Map.entry("release-gate --report-dir", "writes the reports"),
            java.util.Map.entry("selfbench --json", "writes the report"),
            java.util.Map.entry("selfbench --markdown", "writes the report"));

    @Test
    void everyOptionThatNamesAFileIsInTheInventory() {
        CommandLine root = Llmh.commandLine(CommandLine.defaultFactory());
        Set<String> found = new TreeSet<>();
        for (var c : root.getSubcommands().entrySet()) {
            var spec = c.getValue().getCommandSpec();
            List<CommandLine.Model.ArgSpec> args = new ArrayList<>(spec.options());
            args.addAll(spec.positionalParameters());
            for (CommandLine.Model.ArgSpec a : args) {
                Class<?> type = a.type();
                Class<?> element = a.auxiliaryTypes().length > 0 ? a.auxiliaryTypes()[0] : type;
                if (type == Path.class || element == Path.class || type == java.io.File.class) {
                    String name = a.isOption()
                            ? ((CommandLine.Model.OptionSpec) a).longestName()
                            : ((CommandLine.Model.PositionalParamSpec) a).paramLabel();
                    found.add(c.getKey() + " " + name);
                }
            }
        }
        assertThat(found)
                .as("options that name a file, each listed in PATH_OPTIONS with what reads or writes it")
                .containsExactlyInAnyOrderElementsOf(PATH_OPTIONS.keySet());
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers.

    /** The one line on standard error: exit code 2, one non-empty line, no trace of the implementation. */
    private String oneCleanLine(int code, List<String> args) {
        String text = err.toString();
        assertThat(code).as(args + " exit code; stderr: " + text).isEqualTo(Llmh.USAGE);
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as(args + ": stderr " + text).hasSize(1);
        String line = lines.get(0);
        assertThat(line)
                .as(args.toString())
                .doesNotContain("Exception")
                .doesNotContain("at dev.")
                .doesNotContain("at java.")
                .doesNotContain("Caused by")
                .doesNotContain("[Source")
                .doesNotContain("stack trace");
        // Clear to read: no control characters from the file, and not a page of it.
        assertThat(line.chars().filter(ch -> Character.isISOControl(ch)).count())
                .as("control characters in " + line)
                .isZero();
        assertThat(line.length()).as(line).isLessThanOrEqualTo(1000);
        return line;
    }

    /** The line names the problem: one of {@code alternatives} ("a|b"), compared in lower case. */
    private static void assertNamesTheProblem(String line, String alternatives) {
        if (alternatives.isEmpty()) {
            return;
        }
        String lower = line.toLowerCase(java.util.Locale.ROOT);
        assertThat(Arrays.stream(alternatives.toLowerCase(java.util.Locale.ROOT).split("\\|"))
                        .anyMatch(lower::contains))
                .as("\"" + line + "\" names the problem (" + alternatives + ")")
                .isTrue();
    }

    private int llmh(List<String> args) {
        CommandLine cl = Llmh.commandLine(CommandLine.defaultFactory());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args.toArray(String[]::new));
    }

    /** {@code llmh} with {@code trial} the only one on the class path. */
    private int runTrial(TrialSpec trial, List<String> args) {
        var suite = LlmhTest.suite(List.of(trial));
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == RunCommand.class) {
                    return cls.cast(new RunCommand(() -> List.of(suite)));
                }
                // The capacity commands with the trial's real prompts (datasets read as llmh reads them).
                java.util.function.Function<TrialSpec, dev.llmharness.runtime.data.PromptSource> prompts =
                        t -> PromptSources.forWorkload(t.workload(), t.seed());
                if (cls == SweepCommand.class) {
                    return cls.cast(new SweepCommand(
                            () -> List.of(suite), prompts, null, t -> TokenCounter.contentEvents(), System::getenv));
                }
                if (cls == ReleaseGateCommand.class) {
                    return cls.cast(new ReleaseGateCommand(
                            () -> List.of(suite), prompts, null, t -> TokenCounter.contentEvents(), System::getenv));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
        if (args.get(0).equals(BENCH)) {
            java.io.ByteArrayOutputStream benchOut = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream benchErr = new java.io.ByteArrayOutputStream();
            int code = dev.llmharness.runtime.gate.BenchGateAccess.run(
                    Path.of(args.get(1)),
                    new java.io.PrintStream(benchOut, true, java.nio.charset.StandardCharsets.UTF_8),
                    new java.io.PrintStream(benchErr, true, java.nio.charset.StandardCharsets.UTF_8),
                    factory);
            out.write(benchOut.toString(java.nio.charset.StandardCharsets.UTF_8));
            err.write(benchErr.toString(java.nio.charset.StandardCharsets.UTF_8));
            return code;
        }
        CommandLine cl = Llmh.commandLine(factory);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args.toArray(String[]::new));
    }

    /** A port nobody listens on: were the target contacted first, the message would say so. */
    private static String deadUrl() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }
}
