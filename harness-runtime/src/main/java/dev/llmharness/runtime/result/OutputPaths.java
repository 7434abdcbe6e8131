package dev.llmharness.runtime.result;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Checks, before any work, that a file a command will write can be written: every output option
 * ({@code --output}, {@code --csv}, {@code -o}, ...) goes through {@link #requireWritable}, so that
 * a bad path costs one line and exit code 2 instead of a measured run.
 *
 * <p>The check is a real write: a probe file is created and deleted in the folder that will hold
 * the output (or its nearest existing ancestor, when folders are still to be made). Permission
 * bits alone cannot tell, e.g. {@code /proc} looks writable to root and is not.
 */
public final class OutputPaths {
    private OutputPaths() {}

    /**
     * @param file the file to be written (created or replaced)
     * @param given how the user gave it, e.g. {@code "--output /proc/x.json"}; starts the message
     * @throws IllegalArgumentException with one line that names the option, the path and the
     *     problem, when the file cannot be written
     */
    public static void requireWritable(Path file, String given) {
        String problem = problem(file);
        if (problem != null) {
            throw new IllegalArgumentException(given + ": " + problem + "; choose a path in a folder you can write to");
        }
    }

    /**
     * The output is none of the command's inputs: writing a merge or a report over a result file it
     * read would replace a measured run with something derived from it, and the run would be lost.
     *
     * @param given how the user gave the output, e.g. {@code "-o a.json"}; starts the message
     * @throws IllegalArgumentException naming the output and the input it would replace
     */
    public static void requireNotAnInput(Path file, String given, java.util.Collection<Path> inputs) {
        for (Path input : inputs) {
            if (sameFile(file, input)) {
                throw new IllegalArgumentException(given + ": is the input " + input + "; writing it would replace"
                        + " a measured run; choose another path");
            }
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        } catch (IOException | InvalidPathException | java.io.IOError e) {
            return false;
        }
    }

    /** What stops {@code file} from being written, or {@code null} when nothing does. */
    static String problem(Path file) {
        Path absolute;
        try {
            absolute = file.toAbsolutePath().normalize();
        } catch (InvalidPathException | java.io.IOError e) {
            return "not a valid path";
        }
        if (Files.isDirectory(absolute)) {
            return "is a folder, not a file";
        }
        if (Files.exists(absolute) && !Files.isWritable(absolute)) {
            return "the file exists and is not writable";
        }
        Path folder = absolute.getParent();
        while (folder != null && !Files.exists(folder)) {
            folder = folder.getParent();
        }
        if (folder == null) {
            return "no part of the path exists";
        }
        if (!Files.isDirectory(folder)) {
            return folder + " is a file, not a folder";
        }
        try {
            Path probe = Files.createTempFile(folder, ".llmh-write-check", ".tmp");
            Files.delete(probe);
            return null;
        } catch (AccessDeniedException e) {
            return "no permission to write in " + folder;
        } catch (NoSuchFileException e) {
            return "files cannot be created in " + folder;
        } catch (FileSystemException e) {
            return "cannot write in " + folder + (e.getReason() == null ? "" : " (" + e.getReason() + ")");
        } catch (IOException | UnsupportedOperationException e) {
            return "cannot write in " + folder + " (" + e.getMessage() + ")";
        }
    }
}
