package dev.llmharness.processor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * javac on real files, as a build tool runs it: sources on disk, classes and generated sources
 * written to directories, so that a test can see what a failed compilation still generated and
 * what a second (incremental) compilation keeps.
 */
final class Javac {
    /** The outcome: whether javac succeeded and its error messages as "line: message". */
    record Result(boolean success, List<Diagnostic<? extends JavaFileObject>> diagnostics) {
        /** Its notes' messages. */
        List<String> notes() {
            List<String> notes = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics) {
                if (d.getKind() == Diagnostic.Kind.NOTE) {
                    notes.add(d.getMessage(Locale.ROOT));
                }
            }
            return notes;
        }

        List<String> errors() {
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors.add(d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
                }
            }
            return errors;
        }
    }

    private Javac() {}

    /** Writes {@code lines} to {@code root/<qualified name as path>.java}. */
    static Path write(Path root, String qualifiedName, String... lines) {
        Path file = root.resolve(qualifiedName.replace('.', '/') + ".java");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * Compiles {@code sources} with the processor into {@code classes} (generated sources into
     * {@code generated}); {@code classes} is also on the class path, as in an incremental build.
     */
    static Result compile(List<Path> sources, Path classes, Path generated) {
        return compile(sources, classes, generated, List.of());
    }

    /** As {@link #compile(List, Path, Path)}, with more javac options ({@code -Akey=value}). */
    static Result compile(List<Path> sources, Path classes, Path generated, List<String> more) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            Files.createDirectories(classes);
            Files.createDirectories(generated);
            List<String> options = new ArrayList<>(List.of(
                    "-d",
                    classes.toString(),
                    "-s",
                    generated.toString(),
                    "-classpath",
                    System.getProperty("java.class.path") + java.io.File.pathSeparator + classes,
                    "-Xlint:all",
                    "-Werror"));
            options.addAll(more);
            JavaCompiler.CompilationTask task = compiler.getTask(
                    null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources));
            task.setProcessors(List.of(new BenchmarkProcessor()));
            boolean success = task.call();
            return new Result(success, diagnostics.getDiagnostics());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
