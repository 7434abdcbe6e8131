package dev.llmharness.runtime.run;

import dev.llmharness.runtime.result.RunInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Gathers the run metadata a result file carries. */
public final class RunInfoCollector {
    private RunInfoCollector() {}

    /**
     * The metadata of a run starting now in {@code workDir} (for git), as shard {@code "0/1"}. The
     * first call in a JVM reads the harness's own classes once ({@link HarnessBuild}): call it
     * before the load, never during it.
     */
    public static RunInfo collect(Path workDir) {
        String commit = git(workDir, "rev-parse", "HEAD");
        Boolean dirty = null;
        if (commit != null) {
            String status = git(workDir, "status", "--porcelain");
            dirty = status != null && !status.isEmpty();
        }
        return RunInfo.of(
                        harnessVersion(),
                        commit,
                        dirty,
                        Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(),
                        host(),
                        System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                                + System.getProperty("os.arch"),
                        Runtime.getRuntime().availableProcessors(),
                        System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"),
                        "0/1")
                .withLoadAverage(loadAverage())
                // Which code measures: the version is the same for every commit of a snapshot.
                .withHarnessBuild(HarnessBuild.id());
    }

    /** The one-minute load average, or {@code null} where the OS does not report one. */
    static Double loadAverage() {
        double l = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage();
        return l < 0 ? null : Math.round(l * 100) / 100.0;
    }

    /** The version from the jar's Maven metadata, else {@code "dev"} (running from classes). */
    public static String harnessVersion() {
        try (InputStream in = RunInfoCollector.class.getResourceAsStream(
                "/META-INF/maven/dev.llmharness/harness-runtime/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (IOException e) {
            // Fall through: the version is a label, not a reason to fail a run.
        }
        String v = RunInfoCollector.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "unknown";
        }
    }

    /** Runs git in {@code dir}; its trimmed output, or {@code null} outside a work tree or on error. */
    private static String git(Path dir, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
