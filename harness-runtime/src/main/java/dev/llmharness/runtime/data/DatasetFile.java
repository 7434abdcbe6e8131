package dev.llmharness.runtime.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a dataset's bytes come from: a file path (relative to the working directory) or a
 * {@code classpath:} resource. Opening fails with a {@link WorkloadException} naming both the
 * path as written and where it was looked for.
 *
 * @param location the path as the user wrote it, used in every error message
 */
record DatasetFile(String location) {
    private static final String CLASSPATH = "classpath:";

    /** The file name's extension in lower case, without the dot; empty when there is none. */
    String extension() {
        String name = location.substring(location.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    InputStream open() {
        if (location.startsWith(CLASSPATH)) {
            String name = location.substring(CLASSPATH.length());
            String resource = name.startsWith("/") ? name.substring(1) : name;
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            InputStream in =
                    (loader != null ? loader : DatasetFile.class.getClassLoader()).getResourceAsStream(resource);
            if (in == null) {
                throw new WorkloadException("dataset resource not found on the class path: " + location
                        + "; put the file under src/main/resources or src/test/resources, or give a file path");
            }
            return in;
        }
        Path path = Path.of(location);
        Path absolute = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            String what = Files.isDirectory(path) ? "is a directory, not a file" : "not found";
            throw new WorkloadException("dataset file " + what + ": " + location + " (looked for " + absolute
                    + "; working directory " + Path.of("").toAbsolutePath()
                    + "). Download the dataset (see docs/workloads.md) or fix the path in @Dataset(path = ...)");
        }
        try {
            return Files.newInputStream(path);
        } catch (IOException e) {
            throw new WorkloadException("cannot read dataset file " + location + " (" + absolute + "): " + e, e);
        }
    }

    BufferedReader openReader() {
        return new BufferedReader(new InputStreamReader(open(), StandardCharsets.UTF_8), 1 << 16);
    }

    /** An I/O failure while reading, as a workload error naming the file. */
    WorkloadException readFailure(IOException e) {
        return new WorkloadException("cannot read dataset file " + location + ": " + e, e);
    }
}
