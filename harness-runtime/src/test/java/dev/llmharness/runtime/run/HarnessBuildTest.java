package dev.llmharness.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.api.spi.Phase;
import dev.llmharness.runtime.result.RunInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's build identity ({@code run.harnessBuild}): a digest of its own class files that
 * tells two builds apart, whatever form they were loaded from; and the declared phases a result
 * records beside it.
 */
class HarnessBuildTest {
    private static final List<String> PACKAGES = HarnessBuild.PACKAGES;

    @TempDir
    Path dir;

    /** A class folder holding {@code classes} (relative name to bytes). */
    private Path folder(String name, Map<String, byte[]> classes) throws IOException {
        Path root = dir.resolve(name);
        for (Map.Entry<String, byte[]> e : classes.entrySet()) {
            Path file = root.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, e.getValue());
        }
        return root;
    }

    /** A jar holding {@code classes}, with a manifest and a directory entry as Maven writes them. */
    private Path jar(String name, Map<String, byte[]> classes) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write(("Manifest-Version: 1.0\nBuild-Jdk-Spec: 17\nCreated: " + name + "\n").getBytes());
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("dev/llmharness/runtime/"));
            zip.closeEntry();
            for (Map.Entry<String, byte[]> e : classes.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return jar;
    }

    private static final Map<String, byte[]> BUILD = Map.of(
            "dev/llmharness/runtime/run/TrialRunner.class", new byte[] {(byte) 0xCA, (byte) 0xFE, 1, 2, 3},
            "dev/llmharness/api/spi/Phase.class", new byte[] {(byte) 0xCA, (byte) 0xFE, 4, 5});

    @Test
    void twoFoldersWithDifferentClassFilesAreDifferentBuilds() throws IOException {
        Path a = folder("a", BUILD);
        Path b = folder(
                "b",
                Map.of(
                        "dev/llmharness/runtime/run/TrialRunner.class",
                        new byte[] {(byte) 0xCA, (byte) 0xFE, 1, 2, 4},
                        "dev/llmharness/api/spi/Phase.class",
                        new byte[] {(byte) 0xCA, (byte) 0xFE, 4, 5}));
        String first = HarnessBuild.digest(List.of(a), PACKAGES);
        assertThat(first).matches("[0-9a-f]{12}");
        assertThat(HarnessBuild.digest(List.of(b), PACKAGES)).isNotEqualTo(first);
        // The same code again, in another folder: the same build.
        assertThat(HarnessBuild.digest(List.of(folder("a-again", BUILD)), PACKAGES))
                .isEqualTo(first);
    }

    @Test
    void aClassRenamedOrAddedIsAnotherBuild() throws IOException {
        String build = HarnessBuild.digest(List.of(folder("a", BUILD)), PACKAGES);
        Map<String, byte[]> renamed = Map.of(
                "dev/llmharness/runtime/run/TrialRunner2.class",
                        BUILD.get("dev/llmharness/runtime/run/TrialRunner.class"),
                "dev/llmharness/api/spi/Phase.class", BUILD.get("dev/llmharness/api/spi/Phase.class"));
        assertThat(HarnessBuild.digest(List.of(folder("renamed", renamed)), PACKAGES))
                .isNotEqualTo(build);
        java.util.Map<String, byte[]> added = new java.util.HashMap<>(BUILD);
        added.put("dev/llmharness/runtime/run/Extra.class", new byte[] {(byte) 0xCA, (byte) 0xFE});
        assertThat(HarnessBuild.digest(List.of(folder("added", added)), PACKAGES))
                .isNotEqualTo(build);
    }

    @Test
    void aJarAndAClassFolderOfTheSameCodeAreOneBuildWhateverTheJarsTimesAndManifest() throws IOException {
        String fromFolder = HarnessBuild.digest(List.of(folder("classes", BUILD)), PACKAGES);
        assertThat(HarnessBuild.digest(List.of(jar("one.jar", BUILD)), PACKAGES))
                .isEqualTo(fromFolder);
        // Rebuilt later: another manifest, other entry times; the same classes.
        assertThat(HarnessBuild.digest(List.of(jar("two.jar", BUILD)), PACKAGES))
                .isEqualTo(fromFolder);
        // The runtime and the API in two jars, as Maven packages them.
        Path runtime = jar(
                "runtime.jar",
                Map.of(
                        "dev/llmharness/runtime/run/TrialRunner.class",
                        BUILD.get("dev/llmharness/runtime/run/TrialRunner.class")));
        Path api = jar(
                "api.jar",
                Map.of("dev/llmharness/api/spi/Phase.class", BUILD.get("dev/llmharness/api/spi/Phase.class")));
        assertThat(HarnessBuild.digest(List.of(runtime, api), PACKAGES)).isEqualTo(fromFolder);
    }

    @Test
    void aBenchmarksOwnClassesAndResourcesAreNoPartOfTheHarnessBuild() throws IOException {
        String harness = HarnessBuild.digest(List.of(folder("a", BUILD)), PACKAGES);
        java.util.Map<String, byte[]> withBenchmark = new java.util.HashMap<>(BUILD);
        withBenchmark.put("com/example/ChatBenchmark.class", new byte[] {(byte) 0xCA, (byte) 0xFE, 9});
        withBenchmark.put("dev/llmharness/benchmarks/Chat.class", new byte[] {(byte) 0xCA, (byte) 0xFE, 8});
        withBenchmark.put("dev/llmharness/runtime/messages.properties", new byte[] {'a', '=', 'b'});
        assertThat(HarnessBuild.digest(List.of(jar("uber.jar", withBenchmark)), PACKAGES))
                .isEqualTo(harness);
    }

    @Test
    void theRunningHarnessRecordsItsBuildOncePerJvm() {
        RunInfo info = RunInfoCollector.collect(dir);
        // Loaded from target/classes (or the module jars) in a build: readable, so never unknown.
        assertThat(info.harnessBuild()).matches("[0-9a-f]{12}");
        assertThat(RunInfoCollector.collect(dir).harnessBuild()).isEqualTo(info.harnessBuild());
        assertThat(HarnessBuild.id()).isEqualTo(info.harnessBuild());
    }

    @Test
    void aDeclaredPhaseIsWrittenInTheAnnotationsSyntax() {
        assertThat(SpecInfo.phase(Phase.ofDuration(Duration.ofSeconds(12)))).isEqualTo("12s");
        assertThat(SpecInfo.phase(Phase.ofDuration(Duration.ofSeconds(90)))).isEqualTo("1m30s");
        assertThat(SpecInfo.phase(Phase.ofDuration(Duration.ofMillis(1500)))).isEqualTo("1s500ms");
        assertThat(SpecInfo.phase(Phase.ofRequests(50))).isEqualTo("50 requests");
        assertThat(SpecInfo.phase(Phase.NONE)).isEqualTo("0s");
    }
}
