package dev.llmharness.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.compare.ComparisonReport;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The exit codes the command line can return are listed in one place ({@link Llmh#exitCodes()}),
 * and every exit-code table or list of the documentation names exactly those.
 */
class ExitCodesTest {
    private static final Path ROOT = Path.of("..");

    /** Every {@code int} constant of exit codes in the code is one of the listed codes. */
    @Test
    void everyExitCodeConstantIsListed() throws Exception {
        Set<Integer> constants = new TreeSet<>();
        for (Class<?> c : new Class<?>[] {Llmh.class, ComparisonReport.class}) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())
                        && f.getType() == int.class
                        && (c == Llmh.class || f.getName().startsWith("EXIT_"))) {
                    f.setAccessible(true);
                    constants.add(f.getInt(null));
                }
            }
        }
        assertThat(constants).isNotEmpty();
        assertThat(Llmh.exitCodes().keySet()).containsAll(constants);
        assertThat(constants).containsAll(Llmh.exitCodes().keySet());
    }

    /** The codes in the first column of the table that follows {@code heading} in {@code file}. */
    private static Set<Integer> tableCodes(String file, String heading) throws Exception {
        String text = Files.readString(ROOT.resolve(file));
        int at = text.indexOf(heading);
        assertThat(at).as(file + " has " + heading).isNotNegative();
        Set<Integer> codes = new TreeSet<>();
        boolean inTable = false;
        for (String line : text.substring(at).split("\n", -1)) {
            if (line.startsWith("|")) {
                inTable = true;
                Matcher m = Pattern.compile("\\d+").matcher(line.split("\\|")[1]);
                while (m.find()) {
                    codes.add(Integer.parseInt(m.group()));
                }
            } else if (inTable) {
                break;
            }
        }
        return codes;
    }

    /** The codes a sentence lists, from {@code start} to the first full stop. */
    private static Set<Integer> sentenceCodes(String file, String start) throws Exception {
        String text = Files.readString(ROOT.resolve(file));
        int at = text.indexOf(start);
        assertThat(at).as(file + " has " + start).isNotNegative();
        String sentence = text.substring(at + start.length(), text.indexOf('.', at));
        Set<Integer> codes = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![\\w-])(\\d+) ").matcher(sentence);
        while (m.find()) {
            codes.add(Integer.parseInt(m.group(1)));
        }
        return codes;
    }

    @Test
    void theDocumentedTablesListEveryCode() throws Exception {
        Set<Integer> all = Llmh.exitCodes().keySet();
        assertThat(tableCodes("docs/metrics.md", "Exit codes, of `llmh run` and of every other subcommand"))
                .containsExactlyInAnyOrderElementsOf(all);
        assertThat(tableCodes("docs/ci.md", "| exit code of the profile's JVM |"))
                .containsExactlyInAnyOrderElementsOf(all);
        assertThat(sentenceCodes("docs/launcher.md", "Its exit code is `llmh`'s:"))
                .containsExactlyInAnyOrderElementsOf(all);
        assertThat(sentenceCodes("bin/llmh", "# Exit codes: those of llmh (")).containsExactlyInAnyOrderElementsOf(all);
    }

    /** compare's own table lists its codes, all of them among the command line's. */
    @Test
    void compareDocumentsItsCodes() throws Exception {
        assertThat(tableCodes("docs/compare.md", "## Exit codes"))
                .containsExactlyInAnyOrder(
                        ComparisonReport.EXIT_OK,
                        ComparisonReport.EXIT_REGRESSION,
                        ComparisonReport.EXIT_INPUT_ERROR,
                        ComparisonReport.EXIT_INCOMPARABLE);
    }
}
