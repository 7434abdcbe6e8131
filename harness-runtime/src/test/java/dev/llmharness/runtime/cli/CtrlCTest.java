package dev.llmharness.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.client.StreamingTestServer;
import dev.llmharness.runtime.client.StreamingTestServer.Script;
import dev.llmharness.runtime.result.ResultJson;
import dev.llmharness.runtime.result.RunResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** A real SIGINT to a child JVM running {@code llmh run}: the result file is written, partial. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class CtrlCTest {
    @TempDir
    Path dir;

    @Test
    void ctrlCWritesWhatWasGatheredMarkedPartial() throws Exception {
        try (StreamingTestServer server =
                new StreamingTestServer(r -> Script.sse(StreamingTestServer.chatStream(20, 20, "a", "b", "c")))) {
            Path out = dir.resolve("interrupted.json");
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            InterruptibleRunMain.class.getName(),
                            server.baseUrl(),
                            out.toString())
                    .redirectErrorStream(true)
                    .start();
            try {
                BufferedReader lines =
                        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                StringBuilder seen = new StringBuilder();
                String line;
                int progressLines = 0;
                while (progressLines < 5 && (line = lines.readLine()) != null) {
                    seen.append(line).append('\n');
                    if (line.contains("in flight")) {
                        progressLines++;
                    }
                }
                assertThat(progressLines).as(seen.toString()).isEqualTo(5);
                Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start();
                assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
                Thread drain = new Thread(
                        () -> lines.lines().forEach(l -> seen.append(l).append('\n')));
                drain.start();
                assertThat(child.waitFor(60, TimeUnit.SECONDS))
                        .as(seen.toString())
                        .isTrue();
                drain.join(5000);
                RunResult r = ResultJson.read(out);
                assertThat(r.partial()).isTrue();
                assertThat(r.trials()).hasSize(1);
                assertThat(r.trials().get(0).counts().completed()).isPositive();
                assertThat(r.trials().get(0).warnings()).anyMatch(w -> w.startsWith("interrupted"));
            } finally {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
