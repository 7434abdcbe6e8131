package dev.llmharness.runtime.gate;

import dev.llmharness.runtime.cli.Llmh;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The previous gate's files ({@code latest*.json}, a produced base side, {@code comparison.md}),
 * set aside while the next gate's first run starts. The runs must not find a stale {@code
 * latest.json}, but a first run refused on bad input (a damaged dataset, a bad option: exit code 2,
 * before any load, nothing written) must not cost the results measured before either. So the files
 * are moved to hidden names beside them ({@code .latest.json.previous}), put back when the first run
 * is refused, and deleted once a run has gone further. The only place that knows this, for {@code
 * llmh gate} and the bench profile's one-run gate ({@link BenchGate}) alike.
 */
final class PreviousResults {
    private List<Path[]> moved;

    private PreviousResults(List<Path[]> moved) {
        this.moved = moved;
    }

    /**
     * Moves each existing file of {@code files} to its hidden name; a path that does not exist is
     * skipped.
     *
     * @throws IOException when a file cannot be moved; those moved before it keep their hidden
     *     names (nothing is deleted), and the caller stops before any run
     */
    static PreviousResults setAside(List<Path> files) throws IOException {
        List<Path[]> moved = new ArrayList<>();
        for (Path p : files) {
            if (!Files.isRegularFile(p)) {
                continue;
            }
            Path aside = p.resolveSibling("." + p.getFileName() + ".previous");
            Files.move(p, aside, StandardCopyOption.REPLACE_EXISTING);
            moved.add(new Path[] {p, aside});
        }
        return new PreviousResults(moved);
    }

    /**
     * After a run: puts the files back when it was refused on bad input ({@link Llmh#USAGE}, nothing
     * measured) and wrote nothing in their place, else deletes them. Only the first run settles:
     * later calls find nothing set aside.
     *
     * @param runCode the run's exit code
     * @param err where a file that cannot be settled is named, after {@code prefix} (e.g. {@code
     *     "llmh gate: "})
     */
    void settle(int runCode, PrintStream err, String prefix) {
        for (Path[] p : moved) {
            try {
                if (runCode == Llmh.USAGE && !Files.exists(p[0])) {
                    Files.move(p[1], p[0]);
                } else {
                    Files.deleteIfExists(p[1]);
                }
            } catch (IOException e) {
                err.println(prefix + "warning: cannot settle " + p[1] + ": " + e.getMessage());
            }
        }
        moved = List.of();
    }
}
