package dev.llmharness.runtime.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * ShareGPT JSON: one array of {@code {"conversations": [{"from": ..., "value": ...}, ...]}}. The
 * array is streamed with Jackson's parser, one record tree at a time, so a 650 MB file never sits
 * in memory whole. The prompt is the first human turn; the reference, the first model turn after
 * it. Conversations without a human turn (the public dump has many empty ones) are skipped and
 * counted, not rejected.
 */
final class ShareGptReader implements DatasetReader {
    static final Set<String> HUMAN = Set.of("human", "user");
    static final Set<String> MODEL = Set.of("gpt", "assistant", "chatgpt", "bard", "model");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPECTED =
            "a SHAREGPT file is one JSON array of {\"conversations\": [{\"from\": ..., \"value\": ...}]} records";

    @Override
    public void read(DatasetFile file, RecordVisitor visitor) {
        try (InputStream in = file.open();
                JsonParser parser = new JsonFactory(JSON).createParser(in)) {
            JsonToken first = next(parser, file);
            if (first == null) {
                throw new WorkloadException(file.location() + " is empty: " + EXPECTED);
            }
            if (first != JsonToken.START_ARRAY) {
                String found = first == JsonToken.START_OBJECT ? "an object" : "no array";
                throw new WorkloadException(file.location() + ": " + EXPECTED + ", but line "
                        + parser.currentTokenLocation().getLineNr() + " starts with " + found
                        + "; for one JSON object per line use format = JSONL (or DOLLY)");
            }
            long number = 0;
            while (true) {
                JsonToken token = next(parser, file);
                if (token == JsonToken.END_ARRAY || token == null) {
                    return;
                }
                number++;
                JsonLocation start = parser.currentTokenLocation();
                String where = file.location() + " record " + number + " (line " + start.getLineNr() + ")";
                if (token != JsonToken.START_OBJECT) {
                    throw new WorkloadException(where + ": not a JSON object; " + EXPECTED);
                }
                JsonNode record;
                try {
                    record = JSON.readTree(parser);
                } catch (JsonProcessingException e) {
                    throw invalid(file, e);
                }
                if (!visitor.visit(toRecord(record, where))) {
                    return;
                }
            }
        } catch (JsonProcessingException e) {
            throw invalid(file, e);
        } catch (IOException e) {
            throw file.readFailure(e);
        }
    }

    private static JsonToken next(JsonParser parser, DatasetFile file) throws IOException {
        try {
            return parser.nextToken();
        } catch (JsonProcessingException e) {
            throw invalid(file, e);
        }
    }

    private static WorkloadException invalid(DatasetFile file, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String line = at == null ? "" : " line " + at.getLineNr() + " column " + at.getColumnNr();
        return new WorkloadException(
                file.location() + line + ": invalid JSON (" + JsonFields.describe(e) + "); " + EXPECTED);
    }

    private static RawRecord toRecord(JsonNode record, String where) {
        JsonNode turns = record.get("conversations");
        if (turns == null || !turns.isArray()) {
            throw new WorkloadException(where + ": record has no \"conversations\" array; " + EXPECTED
                    + "; fields present: " + JsonFields.fieldNames(record));
        }
        String prompt = null;
        String reference = null;
        int turnNumber = 0;
        for (JsonNode turn : turns) {
            turnNumber++;
            String turnWhere = where + " turn " + turnNumber;
            if (!turn.isObject()) {
                throw new WorkloadException(turnWhere + ": a turn must be an object {\"from\": ..., \"value\": ...}");
            }
            String from = JsonFields.required(turn, "from", turnWhere, " (who speaks: human, gpt, ...)");
            String value = JsonFields.required(turn, "value", turnWhere, " (the turn's text)");
            String speaker = from.toLowerCase(java.util.Locale.ROOT);
            if (prompt == null && HUMAN.contains(speaker)) {
                prompt = value;
            } else if (prompt != null && MODEL.contains(speaker)) {
                reference = value;
                break;
            }
        }
        return new RawRecord(prompt, reference);
    }
}
