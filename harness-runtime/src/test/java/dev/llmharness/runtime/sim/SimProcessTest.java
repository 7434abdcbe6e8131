package dev.llmharness.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real child JVM: started, used, stopped. */
class SimProcessTest {
    private static final List<String> SMALL_JVM = List.of("-Xmx128m", "-XX:TieredStopAtLevel=1");

    @Test
    void aChildJvmServesUntilClosed() throws Exception {
        SimProcess sim = SimProcess.start(
                SimConfig.preset("zero").toBuilder().model("child-llm").build(), SMALL_JVM);
        ProcessHandle handle = ProcessHandle.of(sim.pid()).orElseThrow();
        try {
            assertThat(sim.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
            SimHttp http = new SimHttp(sim.baseUrl());
            assertThat(http.get("/health").statusCode()).isEqualTo(200);
            assertThat(http.get("/v1/models").body()).contains("child-llm");
        } finally {
            sim.close();
        }
        handle.onExit().get(10, TimeUnit.SECONDS);
        assertThat(handle.isAlive()).isFalse();
        assertThat(sim.isAlive()).isFalse();
    }

    @Test
    void theChildsHeapCannotGrowWhateverItsGroundTruthLogHolds() {
        // A heap that grows in a trial is touched inside a GC pause (1.3 s seen): -Xms is -Xmx.
        for (int capacity : new int[] {0, 10_000, 131_072, 131_073, 200_000, 1_000_000}) {
            List<String> options = SimProcess.jvmOptionsFor(capacity);
            String xms = options.stream()
                    .filter(o -> o.startsWith("-Xms"))
                    .findFirst()
                    .orElseThrow();
            assertThat(options).as("capacity %d", capacity).contains("-Xmx" + xms.substring(4), "-XX:+AlwaysPreTouch");
        }
        assertThat(SimProcess.jvmOptionsFor(10_000)).isEqualTo(SimProcess.DEFAULT_JVM_OPTIONS);
        // 2 KiB a record on top of 256 MiB: 200,000 records need 647 MiB.
        assertThat(SimProcess.jvmOptionsFor(200_000)).contains("-Xms647m", "-Xmx647m");
    }

    @Test
    void aChildStartedWithoutOptionsGetsTheFixedHeap() throws Exception {
        try (SimProcess sim = SimProcess.start(SimConfig.preset("zero"))) {
            // The child's command line as the kernel holds it (Linux, as CpuSplitTest reads /proc).
            String cmdline = Files.readString(Path.of("/proc", Long.toString(sim.pid()), "cmdline"));
            List<String> arguments = List.of(cmdline.split("\u0000"));
            assertThat(arguments).containsAll(SimProcess.DEFAULT_JVM_OPTIONS);
        }
    }

    @Test
    void aChildThatCannotListenFailsWithItsReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            SimConfig config = SimConfig.preset("zero").toBuilder()
                    .port(taken.getLocalPort())
                    .build();
            assertThatThrownBy(() -> SimProcess.start(config, SMALL_JVM))
                    .isInstanceOf(SimException.class)
                    .hasMessageContaining("did not report its address")
                    .hasMessageContaining("exit code 2");
        }
    }
}
