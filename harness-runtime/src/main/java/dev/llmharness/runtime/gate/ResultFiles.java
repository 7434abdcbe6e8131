package dev.llmharness.runtime.gate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Names of the result files of a set of runs: {@code <name>.json} for one run, {@code
 * <name>.run-<i>.json} (i from 1) for each of several. {@code llmh compare} takes them as the
 * replicate runs of one side. Public for the Maven plugin's goals, which read and replace the same
 * sets ({@code latest}, {@code baseline}).
 */
public final class ResultFiles {
    private static final Pattern RUN = Pattern.compile("\\.run-(\\d+)\\.json$");

    private ResultFiles() {}

    /** The file of run {@code i} (from 1) of {@code runs}, named after {@code name} ("latest"). */
    public static Path of(Path dir, String name, int i, int runs) {
        return runs == 1 ? dir.resolve(name + ".json") : dir.resolve(name + ".run-" + i + ".json");
    }

    /** The existing files of the set {@code name} in {@code dir}, in run order. */
    public static List<Path> existing(Path dir, String name) throws IOException {
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

    /**
     * The files of the set {@code name} when they make one set: either the single {@code
     * <name>.json} or {@code <name>.run-1.json} to {@code <name>.run-<n>.json} without a gap.
     *
     * @throws IllegalArgumentException one line naming what is wrong: a run file missing from the
     *     sequence (a lost or uncommitted file would silently shrink the side), or a single file
     *     beside run files (two baselines from different recordings)
     */
    public static List<Path> completeSet(Path dir, String name) throws IOException {
        List<Path> found = existing(dir, name);
        Path single = dir.resolve(name + ".json");
        List<Path> runs = found.stream().filter(p -> !p.equals(single)).toList();
        if (runs.isEmpty()) {
            return found;
        }
        if (found.contains(single)) {
            throw new IllegalArgumentException(dir.resolve(name + ".json") + " and " + runs.size() + " run file(s) "
                    + name + ".run-<i>.json are both there: keep one baseline (llmh promote replaces the whole"
                    + " set; delete the stale one)");
        }
        for (int i = 0; i < runs.size(); i++) {
            if (index(runs.get(i)) != i + 1) {
                throw new IllegalArgumentException(dir.resolve(name + ".run-" + (i + 1) + ".json") + " is missing"
                        + " but " + runs.get(runs.size() - 1).getFileName() + " exists: the set of runs is"
                        + " incomplete (restore the file, or promote a full set again)");
            }
        }
        return found;
    }

    /**
     * Makes {@code runs} the set {@code name} in {@code dir}: every file is copied beside its target
     * first, then the old set is deleted and the copies renamed into place, so that no stale run
     * file of a larger old set stays behind.
     *
     * @return the files written, in run order
     */
    public static List<Path> replaceSet(List<Path> runs, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        List<Path> copies = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Path tmp = dir.resolve("." + name + ".promote-" + (i + 1) + ".tmp");
            Files.copy(runs.get(i), tmp, StandardCopyOption.REPLACE_EXISTING);
            copies.add(tmp);
        }
        deleteAll(dir, name);
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < copies.size(); i++) {
            Path target = of(dir, name, i + 1, copies.size());
            Files.move(copies.get(i), target, StandardCopyOption.REPLACE_EXISTING);
            written.add(target);
        }
        return written;
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
