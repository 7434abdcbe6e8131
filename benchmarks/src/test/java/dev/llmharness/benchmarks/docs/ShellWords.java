package dev.llmharness.benchmarks.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits shell text as {@code sh} would for the plain cases documentation uses: backslash line
 * continuations, {@code #} comments, single and double quotes, and {@code &&}, {@code ;}, {@code |}
 * between commands. Substitutions ({@code $(...)}, {@code $VAR}) stay as written.
 */
final class ShellWords {
    private ShellWords() {}

    /** Every command of the text, each a list of words. */
    static List<List<String>> commands(String text) {
        String joined = text.replace("\\\n", " ");
        List<List<String>> commands = new ArrayList<>();
        for (String line : joined.split("\n")) {
            List<String> words = new ArrayList<>();
            StringBuilder word = null;
            char quote = 0;
            int parens = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else {
                        word.append(c);
                    }
                    continue;
                }
                if (c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '(') {
                    parens++;
                }
                if (parens > 0) {
                    word = word == null ? new StringBuilder() : word;
                    word.append(c);
                    if (c == ')') {
                        parens--;
                    }
                    continue;
                }
                if (c == '\'' || c == '"') {
                    quote = c;
                    word = word == null ? new StringBuilder() : word;
                } else if (c == '#' && word == null) {
                    break;
                } else if (Character.isWhitespace(c)) {
                    if (word != null) {
                        words.add(word.toString());
                        word = null;
                    }
                } else if (c == ';' || c == '|' || c == '&') {
                    if (word != null) {
                        words.add(word.toString());
                        word = null;
                    }
                    if (!words.isEmpty()) {
                        commands.add(words);
                        words = new ArrayList<>();
                    }
                } else {
                    word = word == null ? new StringBuilder() : word;
                    word.append(c);
                }
            }
            if (word != null) {
                words.add(word.toString());
            }
            if (!words.isEmpty()) {
                commands.add(words);
            }
        }
        return commands;
    }
}
