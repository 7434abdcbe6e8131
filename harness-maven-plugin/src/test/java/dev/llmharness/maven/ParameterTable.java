package dev.llmharness.maven;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The Markdown table of the plugin's user-settable parameters, read from the plugin descriptor
 * ({@code META-INF/maven/plugin.xml}) that {@code maven-plugin-plugin} writes from the mojos'
 * annotations and field comments: one row per {@code llmh.*} property, with the goals that read
 * it.
 */
final class ParameterTable {
    static final String BEGIN = "<!-- parameters:begin (generated from the plugin descriptor: run the plugin's"
            + " tests with LLMH_WRITE_DOCS=1 to rewrite) -->";
    static final String END = "<!-- parameters:end -->";

    private ParameterTable() {}

    /**
     * One parameter.
     *
     * @param property the user property, e.g. {@code llmh.include}
     * @param name the parameter name in {@code <configuration>}
     * @param defaultValue the default, empty when none
     * @param goals the goals that read it, sorted
     * @param description the field comment as the descriptor holds it (plain text)
     */
    record Row(String property, String name, String defaultValue, List<String> goals, String description) {}

    static List<Row> read(Path descriptor) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(descriptor.toFile());
        Map<String, Row> rows = new LinkedHashMap<>();
        Map<String, TreeSet<String>> goals = new LinkedHashMap<>();
        NodeList mojos = doc.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            String goal = text(mojo, "goal");
            Map<String, String> descriptions = new LinkedHashMap<>();
            NodeList parameters = child(mojo, "parameters").getElementsByTagName("parameter");
            for (int j = 0; j < parameters.getLength(); j++) {
                Element p = (Element) parameters.item(j);
                if ("true".equals(text(p, "editable"))) {
                    descriptions.put(text(p, "name"), text(p, "description"));
                }
            }
            NodeList config = child(mojo, "configuration").getChildNodes();
            for (int j = 0; j < config.getLength(); j++) {
                if (!(config.item(j) instanceof Element c)) {
                    continue;
                }
                String expression = c.getTextContent().strip();
                if (!expression.startsWith("${llmh.") || !descriptions.containsKey(c.getTagName())) {
                    continue;
                }
                String property = expression.substring(2, expression.length() - 1);
                rows.putIfAbsent(
                        property,
                        new Row(
                                property,
                                c.getTagName(),
                                c.getAttribute("default-value"),
                                List.of(),
                                descriptions.get(c.getTagName())));
                goals.computeIfAbsent(property, k -> new TreeSet<>()).add(goal);
            }
        }
        List<Row> result = new ArrayList<>();
        for (Row r : rows.values()) {
            result.add(new Row(
                    r.property(), r.name(), r.defaultValue(), List.copyOf(goals.get(r.property())), r.description()));
        }
        result.sort(Comparator.comparing(Row::property));
        return result;
    }

    /** The table, ending with a newline; goals read by every goal of the plugin show as "all". */
    static String render(List<Row> rows) {
        TreeSet<String> allGoals = new TreeSet<>();
        rows.forEach(r -> allGoals.addAll(r.goals()));
        StringBuilder b = new StringBuilder();
        b.append("| property | parameter | goals | default | description |\n");
        b.append("| --- | --- | --- | --- | --- |\n");
        for (Row r : rows) {
            b.append("| `")
                    .append(r.property())
                    .append("` | `")
                    .append(r.name())
                    .append("` | ")
                    .append(r.goals().equals(List.copyOf(allGoals)) ? "all" : String.join(", ", r.goals()))
                    .append(" | ")
                    .append(r.defaultValue().isEmpty() ? "" : "`" + r.defaultValue() + "`")
                    .append(" | ")
                    .append(cell(r.description()))
                    .append(" |\n");
        }
        return b.toString();
    }

    /** {@code doc} with the text between {@link #BEGIN} and {@link #END} replaced by {@code table}. */
    static String replaceTable(String doc, String table) {
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the doc has no " + BEGIN + " ... " + END + " section");
        }
        return doc.substring(0, begin + BEGIN.length()) + "\n" + table + doc.substring(end);
    }

    private static String cell(String description) {
        return description.replaceAll("\\s+", " ").strip().replace("|", "\\|");
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        throw new IllegalStateException("plugin.xml: <" + parent.getTagName() + "> has no <" + name + ">");
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent().strip();
    }
}
