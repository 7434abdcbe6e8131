package dev.llmharness.processor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.Filer;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The {@code META-INF/services} registration of every generated suite. Under incremental
 * compilation only some classes are processed, so the existing file is read first and every entry
 * it holds is kept (as google/auto's AutoService does); entries are sorted so the file is stable.
 */
final class ServiceFile {
    private ServiceFile() {}

    static void write(Filer filer, Collection<String> suites) throws IOException {
        Set<String> all = new TreeSet<>(suites);
        all.addAll(readExisting(filer));
        FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", Names.SERVICE_FILE);
        try (Writer out = new OutputStreamWriter(file.openOutputStream(), StandardCharsets.UTF_8)) {
            for (String suite : all) {
                out.write(suite);
                out.write('\n');
            }
        }
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
