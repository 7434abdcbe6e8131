package dev.llmharness.runtime.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a relative trace path ({@code @TraceReplay(path = "traces/conv.csv")}) is read at run time:
 * relative to the benchmark module's base directory, which the system property {@value #PROPERTY}
 * names (the Maven plugin sets it to {@code ${project.basedir}}; {@code -Dllmh.baseDir=DIR} sets it
 * by hand), else relative to the working directory. The annotation processor resolves the same
 * path against the same directory at compile time ({@code -Allmh.baseDir}, else the module that
 * holds the source file), so that the compile-time check and the run read the same file wherever
 * {@code mvn} or {@code java} was started. See docs/load.md, "Trace replay".
 */
final class BaseDir {
    /** The system property naming the module's base directory. */
    static final String PROPERTY = "llmh.baseDir";

    private BaseDir() {}

    /**
     * {@code path} as the run reads it: an absolute path as it is, a relative one against the base
     * directory; relative still when no base directory is set, so that messages and readers see the
     * path as written (the working directory is the base then).
     *
     * @throws WorkloadException when {@value #PROPERTY} names no directory
     */
    static Path resolve(String path) {
        Path p = Path.of(path);
        String base = property();
        if (p.isAbsolute() || base == null) {
            return p;
        }
        Path dir = Path.of(base);
        if (!Files.isDirectory(dir)) {
            throw new WorkloadException("-D" + PROPERTY + "=" + base + " is not a directory"
                    + (Files.exists(dir) ? "" : " (not found)") + ", so the relative trace path " + path
                    + " cannot be resolved: set it to the benchmark module's base directory (the directory of"
                    + " its pom.xml), or remove it to resolve against the working directory");
        }
        return dir.resolve(p).normalize();
    }

    /**
     * How a relative path was resolved, for a message about a file not found: the rule and the
     * directory it gave.
     */
    static String rule() {
        String base = property();
        return base != null
                ? "a relative trace path is relative to the benchmark module's base directory, -D" + PROPERTY + "="
                        + base
                : "a relative trace path is relative to the benchmark module's base directory, -D" + PROPERTY
                        + ", which is not set (the Maven plugin sets it), so to the working directory "
                        + Path.of("").toAbsolutePath();
    }

    private static String property() {
        String base = System.getProperty(PROPERTY);
        return base == null || base.isBlank() ? null : base.strip();
    }
}
