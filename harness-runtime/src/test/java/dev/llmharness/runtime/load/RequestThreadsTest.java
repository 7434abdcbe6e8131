package dev.llmharness.runtime.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.testing.ChildJvm;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RequestThreadsTest {

    /** Prints whether request threads are virtual, and whether a task really ran on one. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            ExecutorService executor = RequestThreads.newExecutor("probe");
            Future<String> kind = executor.submit(() -> Thread.currentThread().toString());
            System.out.println(RequestThreads.virtual() + " " + kind.get());
            executor.shutdown();
        }
    }

    private static final boolean JVM_HAS_VIRTUAL_THREADS = Runtime.version().feature() >= 21;

    @Test
    void virtualThreadsWhereTheJvmHasThem() throws Exception {
        String out = ChildJvm.run(Probe.class, List.of("-Xmx64m"));
        assertThat(out).startsWith(JVM_HAS_VIRTUAL_THREADS + " ");
        assertThat(out.contains("VirtualThread")).isEqualTo(JVM_HAS_VIRTUAL_THREADS);
    }

    @Test
    void platformThreadsOnRequest() throws Exception {
        String out = ChildJvm.run(Probe.class, List.of("-Xmx64m", "-D" + RequestThreads.PROPERTY + "=platform"));
        assertThat(out).startsWith("false ").contains("probe-1").doesNotContain("VirtualThread");
    }

    @Test
    void anUnknownKindIsRefusedWithTheChoices() throws Exception {
        String out = ChildJvm.run(Probe.class, List.of("-Xmx64m", "-D" + RequestThreads.PROPERTY + "=green"));
        assertThat(out).contains("invalid -Dllmh.requestThreads=green: use virtual or platform");
    }
}
