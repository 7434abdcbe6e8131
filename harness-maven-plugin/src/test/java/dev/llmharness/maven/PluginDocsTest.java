package dev.llmharness.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the parameter table of {@code docs/maven-plugin.md} what the plugin descriptor says: the
 * descriptor is built from the mojos' field comments and annotations, so a new parameter, a changed
 * default or a reworded comment fails this test until the doc follows. {@code LLMH_WRITE_DOCS=1}
 * rewrites the table in place.
 */
class PluginDocsTest {
    private static final Path DESCRIPTOR =
            Path.of(System.getProperty("llmh.descriptor.file", "target/classes/META-INF/maven/plugin.xml"));
    private static final Path DOC = Path.of(System.getProperty("llmh.docs.file", "../docs/maven-plugin.md"));

    @Test
    void theParameterTableOfTheDocIsTheOneTheDescriptorGives() throws Exception {
        String table = ParameterTable.render(ParameterTable.read(DESCRIPTOR));
        String doc = Files.readString(DOC);
        String updated = ParameterTable.replaceTable(doc, table);
        if ("1".equals(System.getenv("LLMH_WRITE_DOCS")) && !updated.equals(doc)) {
            Files.writeString(DOC, updated);
            doc = updated;
        }
        assertThat(doc)
                .as(DOC + " is out of date with the plugin's parameters: run the plugin's tests with"
                        + " LLMH_WRITE_DOCS=1 to rewrite its table, and commit it")
                .isEqualTo(updated);
    }

    @Test
    void everyParameterUsersSetIsALlmhPropertyWithADescription() throws Exception {
        List<ParameterTable.Row> rows = ParameterTable.read(DESCRIPTOR);

        assertThat(rows).extracting(ParameterTable.Row::property).allMatch(p -> p.startsWith("llmh."));
        assertThat(rows).extracting(ParameterTable.Row::description).allMatch(d -> !d.isBlank());
        assertThat(rows)
                .extracting(ParameterTable.Row::property)
                .contains("llmh.include", "llmh.url", "llmh.updateBaseline", "llmh.compareOptions", "llmh.jvmArgs")
                .doesNotHaveDuplicates();
    }

    @Test
    void theRecommendedJvmOptionsAreTheDefaultOfTheFork() throws Exception {
        assertThat(ParameterTable.read(DESCRIPTOR))
                .filteredOn(r -> r.property().equals("llmh.jvmArgs"))
                .singleElement()
                .extracting(ParameterTable.Row::defaultValue)
                .isEqualTo(String.join(" ", dev.llmharness.runtime.run.LoadJvm.OPTIONS));
    }

    @Test
    void replacingTheTableKeepsTheProseAroundIt() {
        String doc = "intro\n" + ParameterTable.BEGIN + "\nold\n" + ParameterTable.END + "\noutro\n";

        assertThat(ParameterTable.replaceTable(doc, "| new |\n"))
                .isEqualTo("intro\n" + ParameterTable.BEGIN + "\n| new |\n" + ParameterTable.END + "\noutro\n");
    }
}
