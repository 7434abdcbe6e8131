package dev.llmharness.benchmarks.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fenced code blocks of a Markdown file. A block may be preceded by an HTML comment {@code
 * <!-- java-context: DECLARATIONS -->}, invisible on the rendered page, that gives a Java fragment
 * what the prose around it names (e.g. the {@code workload} a snippet uses).
 */
final class MarkdownBlocks {
    private static final Pattern FENCE = Pattern.compile("^```\\s*([\\w-]*)\\s*$");
    private static final Pattern CONTEXT = Pattern.compile("^<!--\\s*java-context:(.*)-->\\s*$");

    private MarkdownBlocks() {}

    /**
     * One fenced block.
     *
     * @param file the Markdown file
     * @param line 1-based line of the opening fence
     * @param language the fence's info string ({@code java}, {@code sh}), empty when none
     * @param text the lines between the fences
     * @param context Java declarations from a {@code java-context} comment, empty when none
     */
    record Block(Path file, int line, String language, String text, String context) {
        String where() {
            return file.getFileName() + ":" + line;
        }
    }

    /**
     * The blocks of the section of {@code file} whose {@code ###} heading starts with {@code
     * heading}, up to the next heading of any level outside a code block.
     *
     * @throws AssertionError when the file has no such section
     */
    static List<Block> section(Path file, String heading) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int from = -1;
        int to = lines.size() + 1;
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (fenced) {
                continue; // a shell comment is no heading
            } else if (from < 0 && line.startsWith("### ") && line.substring(4).startsWith(heading)) {
                from = i + 1;
            } else if (from >= 0 && line.startsWith("#")) {
                to = i + 1;
                break;
            }
        }
        if (from < 0) {
            throw new AssertionError(file.getFileName() + " has no section \"### " + heading + "\"");
        }
        int start = from;
        int end = to;
        return read(file).stream()
                .filter(b -> b.line() > start && b.line() < end)
                .toList();
    }

    static List<Block> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int start = i;
            StringBuilder text = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                text.append(lines.get(i)).append('\n');
            }
            String context = "";
            if (start > 0) {
                Matcher c = CONTEXT.matcher(lines.get(start - 1));
                if (c.matches()) {
                    context = c.group(1).strip();
                }
            }
            blocks.add(new Block(file, start + 1, open.group(1), text.toString(), context));
        }
        return blocks;
    }
}
