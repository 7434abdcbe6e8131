package dev.llmharness.processor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.Filer;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The {@code META-INF/services} registration of every generated suite. Under incremental
 * compilation only some classes are processed, so the existing file is read first and its entries
 * are kept (as google/auto's AutoService does), but only those that still name a suite: an entry
 * whose suite class file is gone from the output (its benchmark class was deleted or renamed, or
 * the compilation that generated it failed), or whose benchmark class is gone, is dropped. Entries
 * are sorted so the file is stable.
 *
 * <p>A compilation that fails writes no class file, so its new suites would not exist: when errors
 * were reported, only entries whose class files already exist are written.
 */
final class ServiceFile {
    private ServiceFile() {}

    /**
     * Writes the file, unless there is nothing to register and nothing was registered before.
     *
     * @param generated suites generated in this compilation, by binary name
     * @param failing whether this compilation reported errors (it will write no class file)
     */
    static void write(Filer filer, Elements elements, Collection<String> generated, boolean failing)
            throws IOException {
        Set<String> existing = readExisting(filer);
        if (generated.isEmpty() && existing.isEmpty()) {
            return;
        }
        Set<String> all = new TreeSet<>();
        if (!failing) {
            all.addAll(generated);
        }
        for (String entry : existing) {
            if (stillExists(filer, elements, entry)) {
                all.add(entry);
            }
        }
        if (all.equals(existing) && (failing || existing.containsAll(generated))) {
            return; // unchanged: leave the file (and its time stamp) alone
        }
        FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", Names.SERVICE_FILE);
        try (Writer out = new OutputStreamWriter(file.openOutputStream(), StandardCharsets.UTF_8)) {
            for (String suite : all) {
                out.write(suite);
                out.write('\n');
            }
        }
    }

    /**
     * Whether the suite of an earlier compilation is still there: its class file is in the output,
     * and the benchmark class it was generated for still resolves.
     */
    private static boolean stillExists(Filer filer, Elements elements, String suite) {
        int dot = suite.lastIndexOf('.');
        String pkg = dot < 0 ? "" : suite.substring(0, dot);
        String classFile = suite.substring(dot + 1) + ".class";
        try (InputStream in =
                filer.getResource(StandardLocation.CLASS_OUTPUT, pkg, classFile).openInputStream()) {
            // it exists
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
        TypeElement type = elements.getTypeElement(suite);
        String benchmark = type == null ? null : SuiteNames.generatedFor(type);
        return benchmark == null || elements.getTypeElement(benchmark) != null;
    }

    /** Entries from an earlier compilation, or none when there is no such file. */
    private static Set<String> readExisting(Filer filer) {
        Set<String> entries = new TreeSet<>();
        try {
            FileObject existing = filer.getResource(StandardLocation.CLASS_OUTPUT, "", Names.SERVICE_FILE);
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(existing.openInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    int comment = line.indexOf('#');
                    String entry = (comment >= 0 ? line.substring(0, comment) : line).strip();
                    if (!entry.isEmpty()) {
                        entries.add(entry);
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // No earlier file (javac throws FileNotFoundException or NoSuchFileException; some
            // filers refuse to open an absent resource): a full build, nothing to keep.
        }
        return entries;
    }
}
