package dev.llmharness.runtime.gate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Names of the result files of a set of runs: {@code <name>.json} for one run, {@code
 * <name>.run-<i>.json} (i from 1) for each of several. {@code llmh compare} takes them as the
 * replicate runs of one side.
 */
final class ResultFiles {
    private static final Pattern RUN = Pattern.compile("\\.run-(\\d+)\\.json$");

    private ResultFiles() {}

    /** The file of run {@code i} (from 1) of {@code runs}, named after {@code name} ("latest"). */
    static Path of(Path dir, String name, int i, int runs) {
        return runs == 1 ? dir.resolve(name + ".json") : dir.resolve(name + ".run-" + i + ".json");
    }

    /** The existing files of the set {@code name} in {@code dir}, in run order. */
    static List<Path> existing(Path dir, String name) throws IOException {
        List<Path> found = new ArrayList<>();
        Path single = dir.resolve(name + ".json");
        if (Files.isRegularFile(single)) {
            found.add(single);
        }
        if (Files.isDirectory(dir)) {
            List<Path> runs = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().startsWith(name + ".run-"))
                        .filter(p -> RUN.matcher(p.getFileName().toString()).find())
                        .forEach(runs::add);
            }
            runs.sort((a, b) -> Integer.compare(index(a), index(b)));
            found.addAll(runs);
        }
        return found;
    }

    /** Deletes every file of the set {@code name}. */
    static void deleteAll(Path dir, String name) throws IOException {
        for (Path p : existing(dir, name)) {
            Files.deleteIfExists(p);
        }
    }

    private static int index(Path p) {
        Matcher m = RUN.matcher(p.getFileName().toString());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
