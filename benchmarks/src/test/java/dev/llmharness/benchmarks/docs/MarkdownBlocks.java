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
