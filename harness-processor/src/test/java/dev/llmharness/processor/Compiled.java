package dev.llmharness.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;

/** Runs javac in-process with the processor, and loads what it produced. */
final class Compiled {
    private Compiled() {}

    /** A source file named after its class, e.g. {@code source("com.example.Chat", "package ...")}. */
    static JavaFileObject source(String qualifiedName, String... lines) {
        return JavaFileObjects.forSourceLines(qualifiedName, lines);
    }

    /**
     * Compiles with the processor, under {@code -Xlint:all -Werror} so that a warning in generated
     * code fails the compilation.
     */
    static Compilation compile(JavaFileObject... sources) {
        return compile(new BenchmarkProcessor(), sources);
    }

    static Compilation compile(BenchmarkProcessor processor, JavaFileObject... sources) {
        return javac().withProcessors(processor)
                .withOptions("-Xlint:all", "-Werror")
                .compile(sources);
    }

    /**
     * Writes the compilation's class files and resources to {@code dir} and returns a class loader
     * over them, whose parent (the test class path) provides harness-api.
     */
    static URLClassLoader load(Compilation compilation, Path dir) {
        try {
            for (JavaFileObject file : compilation.generatedFiles()) {
                String path = file.toUri().getPath();
                String marker = "/CLASS_OUTPUT/";
                int at = path.indexOf(marker);
                if (at < 0) {
                    continue;
                }
                Path target = dir.resolve(path.substring(at + marker.length()));
                Files.createDirectories(target.getParent());
                try (InputStream in = file.openInputStream()) {
                    Files.write(target, in.readAllBytes());
                }
            }
            return new URLClassLoader(new URL[] {dir.toUri().toURL()}, Compiled.class.getClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
