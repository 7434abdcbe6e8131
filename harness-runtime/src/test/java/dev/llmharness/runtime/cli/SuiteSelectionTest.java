package dev.llmharness.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmharness.api.spi.BenchmarkSuite;
import dev.llmharness.api.spi.RequestFactory;
import dev.llmharness.api.spi.TrialSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Service files left over from an earlier build (a deleted benchmark class, a failed compilation)
 * name suites that are gone: {@code llmh list} and {@code run} say so in one line and exit 2.
 */
class SuiteSelectionTest {
    private static final String SERVICE_FILE = "META-INF/services/dev.llmharness.api.spi.BenchmarkSuite";

    @TempDir
    Path dir;

    /** A suite whose benchmark class exists (this test class). */
    public static final class Present implements BenchmarkSuite {
        @Override
        public String benchmarkClass() {
            return SuiteSelectionTest.class.getName();
        }

        @Override
        public List<TrialSpec> trials() {
            return List.of();
        }

        @Override
        public RequestFactory prepare(TrialSpec trial) {
            throw new IllegalArgumentException("no trials");
        }
    }

    /** A suite whose benchmark class was deleted after it was generated. */
    public static final class Orphan implements BenchmarkSuite {
        @Override
        public String benchmarkClass() {
            return "com.example.Deleted";
        }

        @Override
        public List<TrialSpec> trials() {
            return List.of();
        }

        @Override
        public RequestFactory prepare(TrialSpec trial) {
            throw new IllegalArgumentException("no trials");
        }
    }

    /** A class loader over a directory whose service file lists {@code entries}. */
    private URLClassLoader loaderListing(String... entries) throws IOException {
        Path file = dir.resolve(SERVICE_FILE);
        Files.createDirectories(file.getParent());
        Files.write(file, List.of(entries));
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    void everyEntryThatLoadsIsASuite() throws Exception {
        try (URLClassLoader loader = loaderListing(Present.class.getName())) {
            assertThat(SuiteSelection.discover(ServiceLoader.load(BenchmarkSuite.class, loader)))
                    .extracting(BenchmarkSuite::benchmarkClass)
                    .contains(SuiteSelectionTest.class.getName());
        }
    }

    @Test
    void entriesWhoseSuiteOrBenchmarkClassIsGoneAreOneErrorNamingThemAndTheFix() throws Exception {
        try (URLClassLoader loader =
                loaderListing("com.example.Gone_BenchmarkSuite", Present.class.getName(), Orphan.class.getName())) {
            assertThatThrownBy(() -> SuiteSelection.discover(ServiceLoader.load(BenchmarkSuite.class, loader)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(SERVICE_FILE + " on the class path names com.example.Gone_BenchmarkSuite, "
                            + Orphan.class.getName() + " (its benchmark class com.example.Deleted is gone), which"
                            + " cannot be loaded: the entries are left over from an earlier build (a deleted or"
                            + " renamed benchmark class, or a failed compilation); rebuild cleanly, e.g. ./mvnw"
                            + " clean compile");
        }
    }

    @Test
    void listAndRunGivenAStaleEntryPrintOneLineAndExitTwo() throws Exception {
        try (URLClassLoader loader = loaderListing("com.example.Gone_BenchmarkSuite")) {
            for (String command : List.of("list", "run")) {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                CommandLine.IFactory factory = new CommandLine.IFactory() {
                    @Override
                    public <K> K create(Class<K> cls) throws Exception {
                        if (cls == ListCommand.class) {
                            return cls.cast(new ListCommand(
                                    () -> SuiteSelection.discover(ServiceLoader.load(BenchmarkSuite.class, loader))));
                        }
                        if (cls == RunCommand.class) {
                            return cls.cast(new RunCommand(
                                    () -> SuiteSelection.discover(ServiceLoader.load(BenchmarkSuite.class, loader)),
                                    trial -> {
                                        throw new AssertionError("no trial may run");
                                    },
                                    null,
                                    trial -> {
                                        throw new AssertionError("no trial may run");
                                    },
                                    name -> null));
                        }
                        return CommandLine.defaultFactory().create(cls);
                    }
                };
                CommandLine cl = Llmh.commandLine(factory);
                cl.setOut(new PrintWriter(out, true));
                cl.setErr(new PrintWriter(err, true));

                int code = command.equals("list")
                        ? cl.execute("list")
                        : cl.execute("run", "--output", dir.resolve("r.json").toString());

                assertThat(code).as(command + ": " + err).isEqualTo(Llmh.USAGE);
                assertThat(err.toString().lines())
                        .as(command)
                        .singleElement()
                        .asString()
                        .startsWith("llmh " + command + ": " + SERVICE_FILE
                                + " on the class path names com.example.Gone_BenchmarkSuite,")
                        .endsWith("rebuild cleanly, e.g. ./mvnw clean compile");
                assertThat(dir.resolve("r.json")).doesNotExist();
            }
        }
    }
}
