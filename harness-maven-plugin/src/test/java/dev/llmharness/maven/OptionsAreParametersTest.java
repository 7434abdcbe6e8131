package dev.llmharness.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.cli.Llmh;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every option of the {@code llmh} commands the plugin's goals stand for ({@code run}, {@code
 * gate}, {@code compare}, {@code report}, {@code promote}) that has an {@code llmh.*} property is
 * a plugin parameter with that same property, unless listed below with the reason it is not: a new
 * option of the harness fails this test until the plugin (and its generated table) has it.
 */
class OptionsAreParametersTest {
    private static final Path DESCRIPTOR =
            Path.of(System.getProperty("llmh.descriptor.file", "target/classes/META-INF/maven/plugin.xml"));
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{sys:(llmh\\.[A-Za-z.]+)");

    /** The commands behind the goals. */
    private static final Set<String> COMMANDS = Set.of("run", "gate", "compare", "report", "promote");

    /** Options the plugin sets itself, and why. */
    private static final Map<String, String> NOT_PARAMETERS = Map.of(
            "llmh.output", "the goals write latest.json in llmh.resultsDirectory",
            "llmh.results", "llmh.resultsDirectory, which every goal shares");

    /** Each command's options with an {@code llmh.*} property: property to the options naming it. */
    private static Map<String, Set<String>> harnessProperties() {
        Map<String, Set<String>> properties = new TreeMap<>();
        CommandLine root = Llmh.commandLine(CommandLine.defaultFactory());
        for (String command : COMMANDS) {
            CommandLine c = root.getSubcommands().get(command);
            assertThat(c).as("llmh " + command).isNotNull();
            for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
                String raw = o.defaultValueString(false);
                Matcher m = PROPERTY.matcher(raw == null ? "" : raw);
                if (m.find()) {
                    properties.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(command + " " + o.longestName());
                }
            }
        }
        return properties;
    }

    @Test
    void everyHarnessOptionWithAPropertyIsAParameter() throws Exception {
        Set<String> parameters = new TreeSet<>();
        ParameterTable.read(DESCRIPTOR).forEach(r -> parameters.add(r.property()));
        Map<String, Set<String>> harness = harnessProperties();
        assertThat(harness).as("options with llmh.* properties were found").containsKeys("llmh.url", "llmh.forks");

        Map<String, Set<String>> missing = new TreeMap<>();
        harness.forEach((property, options) -> {
            if (!parameters.contains(property) && !NOT_PARAMETERS.containsKey(property)) {
                missing.put(property, options);
            }
        });
        assertThat(missing)
                .as("llmh options that are no plugin parameter: add a @Parameter(property = ...) to the mojo of"
                        + " the goal, pass it on, and regenerate docs/maven-plugin.md (LLMH_WRITE_DOCS=1)")
                .isEmpty();
        assertThat(harness.keySet()).containsAll(NOT_PARAMETERS.keySet());
    }

    /** A parameter the harness also reads goes to the forked JVM under the same name. */
    @Test
    void everyRunParameterThatIsSetReachesTheForkedJvm() throws Exception {
        GateMojo mojo = new GateMojo();
        Set<String> harness = harnessProperties().keySet();
        // The descriptor maps parameters to properties (the annotations are not kept at run time).
        for (ParameterTable.Row r : ParameterTable.read(DESCRIPTOR)) {
            if (!harness.contains(r.property()) || !r.goals().contains("gate")) {
                continue;
            }
            java.lang.reflect.Field f = fields(GateMojo.class).stream()
                    .filter(x -> x.getName().equals(r.name()))
                    .findFirst()
                    .orElseThrow();
            if (f.getType() == String.class) {
                f.setAccessible(true);
                f.set(mojo, "x-" + f.getName());
            }
        }
        Map<String, String> passed = new TreeMap<>(mojo.runProperties());
        mojo.gateProperties(passed);
        for (String property : harnessProperties().keySet()) {
            if (NOT_PARAMETERS.containsKey(property) || property.equals("llmh.updateBaseline")) {
                continue;
            }
            if (isGateOrRunProperty(property)) {
                assertThat(passed).as(property).containsKey(property);
            }
        }
    }

    private static boolean isGateOrRunProperty(String property) {
        return harnessProperties().get(property).stream().anyMatch(o -> o.startsWith("run ") || o.startsWith("gate "));
    }

    private static java.util.List<java.lang.reflect.Field> fields(Class<?> c) {
        java.util.List<java.lang.reflect.Field> all = new java.util.ArrayList<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            all.addAll(java.util.List.of(k.getDeclaredFields()));
        }
        return all;
    }
}
