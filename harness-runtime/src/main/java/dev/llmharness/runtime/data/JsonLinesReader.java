package dev.llmharness.runtime.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;

/**
 * One JSON object per line (JSONL). Blank lines are skipped; line numbers in errors count from 1
 * and include blank lines, as an editor shows them.
 */
final class JsonLinesReader implements DatasetReader {
    /** Turns one parsed line into a record. */
    interface Mapper {
        RawRecord map(JsonNode record, String where);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String formatName;
    private final Mapper mapper;

    JsonLinesReader(String formatName, Mapper mapper) {
        this.formatName = formatName;
        this.mapper = mapper;
    }

    /** Generic JSONL: the named prompt field, and the reference field when one is named. */
    static JsonLinesReader fields(String formatName, String promptField, String referenceField) {
        String hint = " (promptField = \"" + promptField + "\")";
        return new JsonLinesReader(
                formatName,
                (record, where) -> new RawRecord(
                        JsonFields.required(record, promptField, where, hint),
                        referenceField.isEmpty() ? null : JsonFields.optional(record, referenceField, where)));
    }

    /** Databricks Dolly: instruction, then the optional context after a blank line; response is the reference. */
    static JsonLinesReader dolly() {
        return new JsonLinesReader("DOLLY", (record, where) -> {
            String instruction =
                    JsonFields.required(record, "instruction", where, " (DOLLY records need \"instruction\")");
            String context = JsonFields.optional(record, "context", where);
            String prompt = context == null || context.isBlank() ? instruction : instruction + "\n\n" + context;
            return new RawRecord(prompt, JsonFields.optional(record, "response", where));
        });
    }

    @Override
    public void read(DatasetFile file, RecordVisitor visitor) {
        try (BufferedReader reader = file.openReader()) {
            String line;
            long lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                String where = file.location() + " line " + lineNumber;
                if (line.strip().startsWith("[")) {
                    throw new WorkloadException(where + ": a JSON array; a " + formatName
                            + " file holds one JSON object per line (for a ShareGPT JSON array use format = SHAREGPT)");
                }
                JsonNode record;
                try {
                    record = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new WorkloadException(where + ": invalid JSON (" + JsonFields.describe(e) + "); a "
                            + formatName + " file holds one JSON object per line");
                }
                if (!record.isObject()) {
                    throw new WorkloadException(
                            where + ": not a JSON object; a " + formatName + " file holds one JSON object per line");
                }
                if (!visitor.visit(mapper.map(record, where))) {
                    return;
                }
            }
        } catch (IOException e) {
            throw file.readFailure(e);
        }
    }
}
