package dev.llmharness.runtime.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel's own record decides: a demoted thread's {@code /proc/thread-self/stat} shows policy
 * 5 ({@code SCHED_IDLE}). The compiler threads of this JVM are never demoted here (the suite runs
 * with {@code llmh.jitPriority=normal}, so that a busy build machine does not starve its JIT);
 * threads of the test's own, found by name the same way, stand in for them.
 */
class IdlePriorityTest {
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @AfterEach
    void reset() {
        IdlePriority.reset();
    }

    @Test
    void a_housekeeping_thread_runs_at_sched_idle() throws InterruptedException {
        assumeLinuxWithChrt();
        IdlePriority.use(IdlePriority.Mode.IDLE, err);
        AtomicInteger policy = new AtomicInteger(-2);
        Thread t = IdlePriority.housekeeping("llmh-test-idle").newThread(() -> policy.set(ownPolicy()));
        t.start();
        t.join(30_000);
        assertThat(policy.get()).as("policy of the housekeeping thread").isEqualTo(IdlePriority.SCHED_IDLE);
        assertThat(t.getName()).isEqualTo("llmh-test-idle");
        assertThat(IdlePriority.recorded()).isEqualTo("idle");
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void threads_found_by_name_are_demoted_once_and_others_left_alone() throws InterruptedException {
        assumeLinuxWithChrt();
        IdlePriority.use(IdlePriority.Mode.IDLE, err);
        CountDownLatch demoted = new CountDownLatch(1);
        AtomicInteger target = new AtomicInteger(-2);
        AtomicInteger bystander = new AtomicInteger(-2);
        Thread a = parked("idle-probe-a", demoted, target);
        Thread b = parked("idle-probe-b", demoted, bystander);
        awaitComm("idle-probe-a");
        awaitComm("idle-probe-b");
        assertThat(IdlePriority.demoteThreads(c -> c.equals("idle-probe-a"))).isEqualTo("idle");
        // Again: nothing left to do, and no error.
        assertThat(IdlePriority.demoteThreads(c -> c.equals("idle-probe-a"))).isEqualTo("idle");
        demoted.countDown();
        a.join(30_000);
        b.join(30_000);
        assertThat(target.get()).isEqualTo(IdlePriority.SCHED_IDLE);
        assertThat(bystander.get()).isEqualTo(0); // SCHED_OTHER
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void the_jvms_compiler_threads_are_recognised_by_name() throws IOException {
        assumeTrue(Files.isDirectory(IdlePriority.TASKS), "not Linux: no /proc/self/task");
        List<String> comms = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(IdlePriority.TASKS)) {
            for (Path task : tasks) {
                comms.add(IdlePriority.comm(task));
            }
        }
        assertThat(comms).anyMatch(IdlePriority::isCompiler);
        assertThat(comms.stream().filter(IdlePriority::isCompiler))
                .allMatch(c -> c.matches("(C[12] CompilerThre|JVMCI).*"));
        assertThat(IdlePriority.isCompiler("main")).isFalse();
        assertThat(IdlePriority.isCompiler("llmh-loop-1-1")).isFalse();
    }

    @Test
    void normal_priority_changes_nothing() throws InterruptedException {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "not Linux: no /proc/thread-self");
        IdlePriority.use(IdlePriority.Mode.NORMAL, err);
        AtomicInteger policy = new AtomicInteger(-2);
        Thread t = IdlePriority.housekeeping("llmh-test-normal").newThread(() -> policy.set(ownPolicy()));
        t.start();
        t.join(30_000);
        assertThat(policy.get()).isEqualTo(0);
        assertThat(IdlePriority.demoteCompilerThreads()).isEqualTo("normal");
        assertThat(IdlePriority.recorded()).isEqualTo("normal");
    }

    @Test
    void the_mode_is_idle_or_normal() {
        assertThat(IdlePriority.Mode.parse(" Normal ")).isEqualTo(IdlePriority.Mode.NORMAL);
        assertThat(IdlePriority.Mode.parse("idle")).isEqualTo(IdlePriority.Mode.IDLE);
        assertThatThrownBy(() -> IdlePriority.Mode.parse("low"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid --jit-priority low: use idle or normal");
    }

    private static Thread parked(String name, CountDownLatch release, AtomicInteger policy) {
        Thread t = new Thread(
                () -> {
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    policy.set(ownPolicy());
                },
                name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until a started thread's kernel name is set (the JVM sets it as the thread starts). */
    private static void awaitComm(String comm) throws InterruptedException {
        for (int i = 0; i < 3_000; i++) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(IdlePriority.TASKS)) {
                for (Path task : tasks) {
                    if (IdlePriority.comm(task).equals(comm)) {
                        return;
                    }
                }
            } catch (IOException e) {
                // a thread ended while listed: look again
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no thread named " + comm + " in " + IdlePriority.TASKS);
    }

    private static int ownPolicy() {
        return IdlePriority.policy(Path.of("/proc/thread-self"));
    }

    private static void assumeLinuxWithChrt() {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "not Linux: no /proc/thread-self");
        boolean chrt;
        try {
            Process p = new ProcessBuilder("chrt", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            chrt = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            chrt = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            chrt = false;
        }
        assumeTrue(chrt, "no chrt (util-linux) on the PATH: SCHED_IDLE cannot be set");
    }
}
