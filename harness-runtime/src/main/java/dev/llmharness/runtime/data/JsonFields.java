package dev.llmharness.runtime.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads text fields of one JSON record, with errors that say where and which field. */
final class JsonFields {
    private JsonFields() {}

    /**
     * The text of a required field.
     *
     * @param where e.g. {@code "data/x.jsonl line 3"}
     * @param hint what the format expects, appended to the error
     */
    static String required(JsonNode record, String field, String where, String hint) {
        String value = optional(record, field, where);
        if (value == null) {
            throw new WorkloadException(where + ": record has no \"" + field + "\" field" + hint + "; fields present: "
                    + fieldNames(record));
        }
        return value;
    }

    /** The text of an optional field; {@code null} when absent or JSON null. Numbers and booleans become text. */
    static String optional(JsonNode record, String field, String where) {
        JsonNode value = record.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new WorkloadException(where + ": field \"" + field + "\" must be a string, found "
                    + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return value.asText();
    }

    /**
     * Jackson's description of a parse error without its source-location suffix, which says
     * nothing useful here: the caller names the file and line itself.
     */
    static String describe(com.fasterxml.jackson.core.JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int marker = message.indexOf(" (start marker at [Source");
        if (marker >= 0) {
            message = message.substring(0, marker);
        }
        int source = message.indexOf("\n at [Source");
        return DatasetFile.printable((source >= 0 ? message.substring(0, source) : message)
                // Jackson's advice to enable one of its features is for programmers, not users.
                .replaceAll(": enable `[A-Za-z.]*NON_NUMERIC[A-Za-z_]*` to allow", ": JSON has no such number")
                .replaceAll("[:;,]? *\\(?enable `[A-Za-z._]+` to allow\\)?", "")
                .strip());
    }

    static List<String> fieldNames(JsonNode record) {
        List<String> names = new ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
