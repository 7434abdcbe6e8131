package dev.llmharness.benchmarks.docs;

import static com.google.testing.compile.Compiler.javac;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import com.palantir.javaformat.java.Formatter;
import com.palantir.javaformat.java.FormatterException;
import com.palantir.javaformat.java.ImportOrderer;
import com.palantir.javaformat.java.JavaFormatterOptions;
import com.palantir.javaformat.java.RemoveUnusedImports;
import dev.llmharness.processor.BenchmarkProcessor;
import dev.llmharness.runtime.cli.Llmh;
import dev.llmharness.runtime.sim.SimCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every code block of README.md and docs/*.md works as printed:
 *
 * <ul>
 *   <li>a Java block compiles with the real annotation processor and without errors, and is
 *       formatted as the build's Spotless check wants (palantir-java-format, the same version):
 *       a whole file as it is, a fragment (annotations, a member, statements) inside a class;
 *   <li>a shell block uses only what exists: every {@code llmh} (or {@code Llmh}) command parses
 *       with the real command line, every {@code SimMain} command with the simulator's, every
 *       {@code -Dllmh.*} property is one that the harness or the {@code bench} profile reads, and
 *       every {@code -P} profile is declared.
 * </ul>
 */
class DocCodeBlocksTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** The method a fragment of annotations alone annotates (LlmRequest: either API). */
    private static final String TARGET_METHOD =
            "public LlmRequest doc(Prompt prompt) {\n    return ChatRequest.of(prompt);\n}\n";

    private static final String IMPORTS = String.join(
            "\n",
            "import dev.llmharness.api.*;",
            "import dev.llmharness.runtime.compare.*;",
            "import dev.llmharness.runtime.data.*;",
            "import dev.llmharness.runtime.result.*;",
            "import dev.llmharness.runtime.sim.*;",
            "import java.nio.file.*;",
            "import java.util.*;",
            "import org.HdrHistogram.Histogram;",
            "");

    static List<MarkdownBlocks.Block> blocks() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<MarkdownBlocks.Block> all = new ArrayList<>();
        for (Path f : files) {
            all.addAll(MarkdownBlocks.read(f));
        }
        return all;
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockCompilesWithTheProcessorAndIsFormatted() throws IOException {
        List<MarkdownBlocks.Block> java =
                blocks().stream().filter(b -> b.language().equals("java")).toList();
        assertThat(java).as("Java blocks found in README.md and docs/").hasSizeGreaterThan(10);
        return java.stream().map(b -> DynamicTest.dynamicTest(b.where(), () -> checkJava(b)));
    }

    @TestFactory
    Stream<DynamicTest> everyShellBlockUsesCommandsOptionsAndPropertiesThatExist() throws IOException {
        List<MarkdownBlocks.Block> shell = blocks().stream()
                .filter(b -> Set.of("sh", "bash", "shell", "").contains(b.language()))
                .toList();
        assertThat(shell).hasSizeGreaterThan(10);
        return shell.stream().map(b -> DynamicTest.dynamicTest(b.where(), () -> checkShell(b)));
    }

    // ---- Java

    private enum Shape {
        /** A whole source file. */
        FILE,
        /** Annotations, fields or methods: the inside of a benchmark class. */
        MEMBERS,
        /** Statements: the inside of a method. */
        STATEMENTS
    }

    private static final Pattern TYPE_DECLARATION =
            Pattern.compile("(?m)^(public\\s+)?((abstract|final)\\s+)*(class|interface|enum|record)\\s+(\\w+)");

    private static Shape shape(String code) {
        String first = code.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("//"))
                .findFirst()
                .orElse("");
        if (TYPE_DECLARATION.matcher(code).find()) {
            return Shape.FILE;
        }
        return first.startsWith("@") ? Shape.MEMBERS : Shape.STATEMENTS;
    }

    private static void checkJava(MarkdownBlocks.Block b) throws FormatterException {
        String code = b.text();
        Shape shape = shape(code);
        String className = "Doc" + b.file().getFileName().toString().replaceAll("\\W", "_") + "_" + b.line();
        String source;
        String name;
        int firstLine;
        int indent;
        switch (shape) {
            case FILE -> {
                Matcher m = TYPE_DECLARATION.matcher(code);
                m.find();
                name = (code.contains("package com.example.bench;") ? "com.example.bench." : "") + m.group(5);
                source = code;
                firstLine = 0;
                indent = 0;
            }
            case MEMBERS -> {
                String body = code;
                String lastCode = lastCodeLine(code);
                if (lastCode.endsWith(")")) {
                    // Annotations alone: give them a method to annotate, after the fragment.
                    body = code + "// </doc>\n" + (code.contains("@Benchmark") ? "" : "@Benchmark\n") + TARGET_METHOD;
                } else {
                    // Fields or methods: a benchmark method makes the class one the processor reads.
                    body = code + "// </doc>\n" + (code.contains("@Benchmark") ? "" : "@Benchmark\n" + TARGET_METHOD);
                }
                // A load model for fragments that show none (one must apply to every method).
                String load = code.contains("@OpenLoop") || code.contains("@ClosedLoop") ? "" : "@OpenLoop(rate = 1)\n";
                String head = "package docs;\n\n" + IMPORTS + "\n" + load + "public class " + className + " {\n"
                        + indent(b.context() + "\n", 4) + "    // <doc>\n";
                source = head + indent(body, 4) + "}\n";
                name = "docs." + className;
                firstLine = (int) head.lines().count();
                indent = 4;
            }
            default -> {
                List<String> imports = new ArrayList<>();
                StringBuilder statements = new StringBuilder();
                for (String l : code.split("\n", -1)) {
                    if (l.startsWith("import ")) {
                        imports.add(l);
                    } else {
                        statements.append(l).append('\n');
                    }
                }
                String body = statements.toString().replaceFirst("^\\n+", "").stripTrailing() + "\n// </doc>\n";
                String head = "package docs;\n\n" + String.join("\n", imports) + "\n" + IMPORTS + "\npublic class "
                        + className + " {\n    void run() throws Exception {\n" + indent(b.context() + "\n", 8)
                        + "        // <doc>\n";
                source = head + indent(body, 8) + "    }\n}\n";
                name = "docs." + className;
                firstLine = (int) head.lines().count();
                indent = 8;
            }
        }

        Compilation compilation =
                javac().withProcessors(new BenchmarkProcessor()).compile(JavaFileObjects.forSourceString(name, source));
        String errors = compilation.diagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> "line " + (d.getLineNumber() - firstLine) + ": " + d.getMessage(Locale.ROOT))
                .collect(Collectors.joining("\n"));
        assertThat(errors)
                .as("%s (%s) does not compile as printed; as compiled:%n%s", b.where(), shape, numbered(source))
                .isEmpty();

        String expected = shape == Shape.FILE ? code : doc(source, indent);
        String formatted = Formatter.createFormatter(JavaFormatterOptions.builder()
                        .style(JavaFormatterOptions.Style.PALANTIR)
                        .build())
                .formatSource(source);
        if (shape == Shape.FILE) {
            formatted = ImportOrderer.reorderImports(RemoveUnusedImports.removeUnusedImports(formatted));
        }
        String actual = shape == Shape.FILE ? formatted : doc(formatted, indent);
        String printed = shape == Shape.FILE ? code : expected.replaceAll("(?m)^import .*\\n", "");
        assertThat(printed)
                .as("%s is not formatted as the build's Spotless check (palantir-java-format) wants it", b.where())
                .isEqualTo(shape == Shape.FILE ? actual : actual.replaceAll("(?m)^import .*\\n", ""));
    }

    private static String lastCodeLine(String code) {
        List<String> lines = code.lines()
                .map(l -> l.replaceAll("(^|\\s+)//.*$", "").strip())
                .filter(l -> !l.isEmpty())
                .toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** The lines between the {@code // <doc>} and {@code // </doc>} markers, de-indented. */
    private static String doc(String source, int indent) {
        int start = source.indexOf("// <doc>\n");
        int end = source.indexOf("// </doc>");
        assertThat(start).as(source).isNotNegative();
        assertThat(end).as(source).isGreaterThan(start);
        String region = source.substring(start + "// <doc>\n".length(), source.lastIndexOf('\n', end) + 1);
        return region.lines()
                .map(l -> l.length() >= indent && l.substring(0, indent).isBlank() ? l.substring(indent) : l.strip())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static String indent(String text, int spaces) {
        String pad = " ".repeat(spaces);
        return text.lines().map(l -> l.isEmpty() ? l : pad + l).collect(Collectors.joining("\n", "", "\n"));
    }

    private static String numbered(String source) {
        List<String> lines = source.lines().toList();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            b.append(String.format(Locale.ROOT, "%4d  %s%n", i + 1, lines.get(i)));
        }
        return b.toString();
    }

    // ---- Shell

    private static void checkShell(MarkdownBlocks.Block b) throws IOException {
        for (List<String> command : ShellWords.commands(b.text())) {
            for (int i = 0; i < command.size(); i++) {
                String word = command.get(i);
                boolean output = i + 1 < command.size() && command.get(i + 1).endsWith(":");
                if ((word.equals("llmh") || word.endsWith("/llmh") || word.equals(Llmh.class.getName())) && !output) {
                    checkLlmh(b, command.subList(i + 1, command.size()));
                    break;
                }
                if (word.equals(SimCommand.class.getPackageName() + ".SimMain") || word.equals("SimMain")) {
                    checkParses(b, new CommandLine(new SimCommand()), command.subList(i + 1, command.size()));
                    break;
                }
                if (word.startsWith("-Dllmh.")) {
                    String property = word.substring(2).split("=", 2)[0];
                    assertThat(knownProperties())
                            .as("%s: %s names no property the harness reads", b.where(), word)
                            .contains(property);
                }
                if (word.startsWith("-P") && command.get(0).endsWith("mvnw")) {
                    for (String profile : word.substring(2).split(",")) {
                        assertThat(profiles())
                                .as("%s: no Maven profile %s", b.where(), profile)
                                .contains(profile);
                    }
                }
            }
        }
    }

    /** A synopsis ({@code llmh merge [--mode shards|runs] FILE...}) is checked for its options only. */
    private static boolean synopsis(List<String> args) {
        return args.stream().anyMatch(a -> a.contains("[") || a.contains("...") || a.startsWith("<"));
    }

    private static void checkLlmh(MarkdownBlocks.Block b, List<String> args) {
        CommandLine root = Llmh.commandLine(CommandLine.defaultFactory());
        if (args.isEmpty()) {
            return;
        }
        if (args.get(0).startsWith("-")) { // an option of llmh itself (--help, --version)
            checkParses(b, root, args);
            return;
        }
        CommandLine sub = root.getSubcommands().get(args.get(0));
        assertThat(sub)
                .as("%s: llmh has no subcommand %s", b.where(), args.get(0))
                .isNotNull();
        if (synopsis(args)) {
            for (String a : args.subList(1, args.size())) {
                String option =
                        a.replaceAll("^\\[", "").replaceAll("[\\]|].*$", "").split("=")[0];
                if (option.startsWith("-") && !option.equals("--")) {
                    assertThat(sub.getCommandSpec().findOption(option))
                            .as("%s: llmh %s has no option %s", b.where(), args.get(0), option)
                            .isNotNull();
                }
            }
            return;
        }
        checkParses(b, root, args);
    }

    private static void checkParses(MarkdownBlocks.Block b, CommandLine cl, List<String> args) {
        try {
            cl.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError(b.where() + ": `" + String.join(" ", args) + "` is refused: " + e.getMessage(), e);
        }
    }

    private static Set<String> knownProperties;

    /**
     * Every {@code llmh.*} property: the options' {@code ${sys:llmh.x}} defaults of every
     * subcommand, the properties the {@code bench} profile passes on, and those the runtime reads
     * directly ({@code System.getProperty("llmh.x")}).
     */
    private static synchronized Set<String> knownProperties() throws IOException {
        if (knownProperties == null) {
            Set<String> names = new TreeSet<>();
            Pattern sys = Pattern.compile("\\$\\{sys:(llmh\\.[\\w.]+)");
            List<CommandLine> all = new ArrayList<>(List.of(Llmh.commandLine(CommandLine.defaultFactory())));
            for (int i = 0; i < all.size(); i++) {
                all.addAll(all.get(i).getSubcommands().values());
                CommandSpec spec = all.get(i).getCommandSpec();
                spec.options().forEach(o -> {
                    Matcher m = sys.matcher(String.valueOf(o.defaultValueString(false)));
                    if (m.find()) {
                        names.add(m.group(1));
                    }
                });
            }
            Matcher pom = Pattern.compile("<(llmh\\.[\\w.]+)\\s*/?>")
                    .matcher(Files.readString(ROOT.resolve("benchmarks/pom.xml")));
            while (pom.find()) {
                names.add(pom.group(1));
            }
            Pattern read = Pattern.compile("\"(llmh\\.[\\w.]+)\"");
            try (Stream<Path> sources = Files.walk(ROOT.resolve("harness-runtime/src/main/java"))) {
                for (Path p :
                        sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = read.matcher(Files.readString(p));
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                }
            }
            knownProperties = names;
        }
        return knownProperties;
    }

    private static Set<String> profiles() throws IOException {
        Set<String> ids = new TreeSet<>();
        try (Stream<Path> poms = Files.walk(ROOT, 2)) {
            for (Path p : poms.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .toList()) {
                Matcher m = Pattern.compile("<profile>\\s*<id>([^<]+)</id>").matcher(Files.readString(p));
                while (m.find()) {
                    ids.add(m.group(1));
                }
            }
        }
        return ids;
    }
}
