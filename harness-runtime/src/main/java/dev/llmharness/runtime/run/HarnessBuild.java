package dev.llmharness.runtime.run;

import dev.llmharness.runtime.result.RunInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Which build of the harness is running ({@code run.harnessBuild}): a digest of its own code, so
 * that two results measured by different harness code say so even when their version is the same
 * ({@code 0.1.0-SNAPSHOT} for every commit of a snapshot).
 *
 * <p>The digest covers the class files of the harness's own packages ({@link #PACKAGES}: the
 * runtime and its API), by name, size and CRC-32 of their bytes, in name order: the same whether they were loaded from
 * jars or from class folders (a jar's entry times and manifest are not code), the same for the same
 * sources compiled by the same compiler, and different for any change to them. A benchmark's own
 * classes, even in the same jar, are no part of it. It is computed once per JVM, when a run first
 * asks for it, before any trial starts.
 */
final class HarnessBuild {
    /** The folders, inside a jar or a class folder, that hold the harness's own classes. */
    static final List<String> PACKAGES = List.of("dev/llmharness/runtime/", "dev/llmharness/api/");

    /** The value when the runtime cannot read its own code (a class loader without a file). */
    static final String UNKNOWN = RunInfo.UNKNOWN_BUILD;

    /** Hex digits kept of the SHA-256: 48 bits, a collision between two builds is no concern. */
    static final int DIGITS = 12;

    private HarnessBuild() {}

    private static final class Once {
        static final String ID = compute();
    }

    /** This runtime's build: {@link #DIGITS} hex digits, or {@link #UNKNOWN}; computed once per JVM. */
    static String id() {
        return Once.ID;
    }

    private static String compute() {
        Set<Path> roots = new LinkedHashSet<>();
        // The runtime's classes and the API's: one jar each, one class folder each in a build, or
        // one shaded jar for both.
        for (Class<?> c : List.of(HarnessBuild.class, dev.llmharness.api.spi.Phase.class)) {
            Path root = codeSource(c);
            if (root == null) {
                return UNKNOWN;
            }
            roots.add(root);
        }
        try {
            return digest(roots, PACKAGES);
        } catch (IOException | RuntimeException e) {
            // The build's identity labels a result; it is never a reason to fail a run.
            return UNKNOWN;
        }
    }

    /** The jar or class folder {@code c} was loaded from, or {@code null} when it is no file. */
    private static Path codeSource(Class<?> c) {
        try {
            CodeSource source = c.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            if (location == null || !"file".equals(location.getProtocol())) {
                return null;
            }
            return Path.of(location.toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The first {@link #DIGITS} hex digits of a SHA-256 over the {@code .class} files under {@code
     * packages} in {@code roots}: each a jar (any zip file) or a class folder. Every class counts once
     * (the first root that has it, as a class loader would find it), by its name relative to its
     * root, its size and the CRC-32 of its bytes, in name order. A jar stores each entry's size and
     * CRC-32 in its directory, so a jar is read without inflating a class: a cold JVM spends
     * milliseconds on it, where a SHA-256 of every byte took 0.6 to 1 s (2-core VM, busy).
     *
     * @param roots jars and class folders, in class-path order
     * @param packages folder prefixes with a trailing {@code /}, e.g. {@code "dev/llmharness/api/"}
     * @throws IOException when a root cannot be read
     */
    static String digest(Collection<Path> roots, List<String> packages) throws IOException {
        Map<String, long[]> classes = new TreeMap<>();
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(root)) {
                    files = walk.filter(Files::isRegularFile).toList();
                }
                for (Path file : files) {
                    String name = root.relativize(file)
                            .toString()
                            .replace(root.getFileSystem().getSeparator(), "/");
                    if (counts(name, packages) && !classes.containsKey(name)) {
                        classes.put(name, sizeAndCrc(Files.readAllBytes(file)));
                    }
                }
            } else {
                try (ZipFile zip = new ZipFile(root.toFile())) {
                    Enumeration<? extends ZipEntry> entries = zip.entries();
                    while (entries.hasMoreElements()) {
                        ZipEntry e = entries.nextElement();
                        if (e.isDirectory() || !counts(e.getName(), packages) || classes.containsKey(e.getName())) {
                            continue;
                        }
                        if (e.getSize() >= 0 && e.getCrc() >= 0) {
                            classes.put(e.getName(), new long[] {e.getSize(), e.getCrc()});
                        } else {
                            try (InputStream in = zip.getInputStream(e)) {
                                classes.put(e.getName(), sizeAndCrc(in.readAllBytes()));
                            }
                        }
                    }
                }
            }
        }
        MessageDigest all = sha256();
        classes.forEach((name, sizeAndCrc) -> {
            all.update(name.getBytes(StandardCharsets.UTF_8));
            all.update((byte) 0);
            all.update((sizeAndCrc[0] + ":" + sizeAndCrc[1] + "\n").getBytes(StandardCharsets.UTF_8));
        });
        return HexFormat.of().formatHex(all.digest()).substring(0, DIGITS);
    }

    /** A class file's size and the CRC-32 of its bytes, as a jar's directory records them. */
    private static long[] sizeAndCrc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return new long[] {bytes.length, crc.getValue()};
    }

    private static boolean counts(String name, List<String> packages) {
        return name.endsWith(".class") && packages.stream().anyMatch(name::startsWith);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform has SHA-256 (java.security.MessageDigest's required algorithms).
            throw new IllegalStateException(e);
        }
    }
}
