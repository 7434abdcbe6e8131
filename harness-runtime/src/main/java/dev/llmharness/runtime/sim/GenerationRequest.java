package dev.llmharness.runtime.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * A validated generation request and the simulated outcome decided on receipt: how many tokens
 * the model will write and why it stops.
 *
 * @param api the endpoint asked
 * @param chat whether the request carries messages (else a prompt)
 * @param stream SSE response
 * @param includeUsage {@code stream_options.include_usage}
 * @param promptTokens prompt tokens counted, at least 1
 * @param outputTokens content tokens the model writes, at least 1
 * @param finishReason {@code stop} (simulated end of sequence) or {@code length} (the limit)
 * @param textSeed seed of the generated text
 */
record GenerationRequest(
        SimApi api,
        boolean chat,
        boolean stream,
        boolean includeUsage,
        int promptTokens,
        int outputTokens,
        String finishReason,
        long textSeed) {

    /**
     * Validates a request body.
     *
     * @throws ApiError 400 or 404 naming the problem and the fix
     */
    static GenerationRequest parse(SimApi api, InputStream body, SimConfig config, ObjectMapper json) {
        boolean chat = api.chat();
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest(
                    null,
                    "invalid_json",
                    "The request body is not valid JSON (" + e.getOriginalMessage()
                            + "). Send a JSON object such as {\"model\":\"" + config.model()
                            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}.");
        } catch (IOException e) {
            throw ApiError.badRequest(null, "invalid_json", "The request body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiError.badRequest(
                    null, "invalid_json", "The request body must be a JSON object, not " + kind(root) + ".");
        }
        if (!api.openAi()) {
            root = NativeRequests.asOpenAi(api, (com.fasterxml.jackson.databind.node.ObjectNode) root, config);
        }
        JsonNode model = root.get("model");
        if (model == null || model.isNull()) {
            throw ApiError.badRequest(
                    "model",
                    "missing_required_parameter",
                    "Missing required parameter: 'model'. Set \"model\": \"" + config.model() + "\".");
        }
        if (!model.isTextual()) {
            throw ApiError.badRequest(
                    "model", "invalid_type", "'model' must be a string, e.g. \"" + config.model() + "\".");
        }
        if (!model.textValue().equals(config.model())) {
            throw new ApiError(
                    404,
                    "invalid_request_error",
                    "model",
                    "model_not_found",
                    "The model `" + model.textValue() + "` does not exist. This server serves `" + config.model()
                            + "`; set \"model\": \"" + config.model() + "\" (see GET /v1/models).");
        }

        long contentHash;
        int promptTokens;
        if (chat) {
            JsonNode messages = root.get("messages");
            if (messages == null || messages.isNull()) {
                throw ApiError.badRequest(
                        "messages",
                        "missing_required_parameter",
                        "Missing required parameter: 'messages'. Send an array such as "
                                + "[{\"role\":\"user\",\"content\":\"Hi\"}].");
            }
            if (!messages.isArray() || messages.isEmpty()) {
                throw ApiError.badRequest(
                        "messages",
                        "invalid_value",
                        "'messages' must be a non-empty array of {\"role\":...,\"content\":...} objects.");
            }
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < messages.size(); i++) {
                appendMessage(messages.get(i), i, text);
            }
            contentHash = text.toString().hashCode();
            promptTokens = PromptTokens.count(config, text.toString()) + config.chatTemplateTokens() * messages.size();
        } else {
            JsonNode prompt = root.get("prompt");
            if (prompt == null || prompt.isNull()) {
                throw ApiError.badRequest(
                        "prompt",
                        "missing_required_parameter",
                        "Missing required parameter: 'prompt'. Send a string such as \"Once upon a time\".");
            }
            if (prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
                prompt = prompt.get(0);
            }
            if (prompt.isTextual()) {
                contentHash = prompt.textValue().hashCode();
                promptTokens = PromptTokens.count(config, prompt.textValue());
            } else if (prompt.isArray() && !prompt.isEmpty() && allInts(prompt)) {
                contentHash = prompt.hashCode();
                promptTokens = prompt.size();
            } else {
                throw ApiError.badRequest(
                        "prompt",
                        "invalid_value",
                        "'prompt' must be a string, an array with one string, or an array of token ids; "
                                + "the simulator serves one prompt per request.");
            }
        }
        // A real engine always feeds at least one token (BOS or the chat template).
        promptTokens = Math.max(1, promptTokens);
        if (promptTokens >= config.maxModelLen()) {
            throw ApiError.badRequest(
                    chat ? "messages" : "prompt",
                    "context_length_exceeded",
                    "This model's maximum context length is " + config.maxModelLen() + " tokens. However, your "
                            + "prompt has " + promptTokens + " tokens, which leaves no room for output. Please "
                            + "shorten the prompt.");
        }

        Integer n = optionalInt(root, "n");
        if (n != null && n != 1) {
            throw ApiError.badRequest(
                    "n", "invalid_value", "'n' must be 1: the simulator generates one choice; leave 'n' out.");
        }
        String limitName = root.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        Integer maxTokens = optionalInt(root, limitName);
        if (maxTokens != null && maxTokens < 1) {
            throw ApiError.badRequest(
                    limitName, "invalid_value", "'" + limitName + "' must be at least 1, was " + maxTokens + ".");
        }
        int room = config.maxModelLen() - promptTokens;
        if (maxTokens != null && maxTokens > room) {
            throw ApiError.badRequest(
                    limitName,
                    "context_length_exceeded",
                    "This model's maximum context length is " + config.maxModelLen() + " tokens. However, you "
                            + "requested " + ((long) promptTokens + maxTokens) + " tokens (" + promptTokens
                            + " in the prompt, " + maxTokens + " in the completion). Please reduce the "
                            + "prompt or set '" + limitName + "' to at most " + room + ".");
        }
        boolean ignoreEos = optionalBoolean(root, "ignore_eos", false);
        Integer minTokens = optionalInt(root, "min_tokens");
        int limit = maxTokens != null ? maxTokens : room;
        if (minTokens != null && (minTokens < 0 || minTokens > limit)) {
            throw ApiError.badRequest(
                    "min_tokens",
                    "invalid_value",
                    "'min_tokens' must be 0 to " + limit + " (the output limit), was " + minTokens + ".");
        }
        boolean stream = optionalBoolean(root, "stream", false);
        boolean includeUsage = false;
        JsonNode streamOptions = root.get("stream_options");
        if (streamOptions != null && !streamOptions.isNull()) {
            if (!stream) {
                throw ApiError.badRequest(
                        "stream_options",
                        "invalid_value",
                        "'stream_options' is only allowed with \"stream\": true; remove it or stream.");
            }
            if (!streamOptions.isObject()) {
                throw ApiError.badRequest(
                        "stream_options",
                        "invalid_type",
                        "'stream_options' must be an object such as " + "{\"include_usage\": true}.");
            }
            includeUsage = optionalBoolean(streamOptions, "include_usage", false);
        }
        long requestSeed = 0;
        JsonNode seed = root.get("seed");
        if (seed != null && !seed.isNull()) {
            if (!seed.isIntegralNumber() || !seed.canConvertToLong()) {
                throw ApiError.badRequest("seed", "invalid_type", "'seed' must be a whole number, was " + seed + ".");
            }
            requestSeed = seed.longValue();
        }

        long textSeed = TextModel.mix(config.seed(), TextModel.mix(contentHash, requestSeed));
        int outputTokens;
        String finishReason;
        if (ignoreEos) {
            outputTokens = limit;
            finishReason = "length";
        } else {
            int eosRange = Math.min(limit, maxTokens != null ? maxTokens : config.defaultMaxTokens());
            int natural = 1 + new SplittableRandom(textSeed ^ 0x5DEECE66DL).nextInt(eosRange);
            if (minTokens != null) {
                natural = Math.max(natural, minTokens);
            }
            outputTokens = Math.min(natural, limit);
            finishReason = outputTokens < limit ? "stop" : "length";
        }
        return new GenerationRequest(
                api, chat, stream, includeUsage, promptTokens, outputTokens, finishReason, textSeed);
    }

    static void appendMessage(JsonNode message, int index, StringBuilder text) {
        String where = "messages[" + index + "]";
        if (!message.isObject()) {
            throw ApiError.badRequest(
                    where, "invalid_type", "'" + where + "' must be an object with 'role' and 'content'.");
        }
        JsonNode role = message.get("role");
        if (role == null || !role.isTextual()) {
            throw ApiError.badRequest(
                    where + ".role",
                    "missing_required_parameter",
                    "'" + where + ".role' is required: \"system\", \"user\" or \"assistant\".");
        }
        JsonNode content = message.get("content");
        if (content == null || content.isNull()) {
            if (!"assistant".equals(role.textValue())) {
                throw ApiError.badRequest(
                        where + ".content",
                        "missing_required_parameter",
                        "'" + where + ".content' is required for role '" + role.textValue() + "'.");
            }
        } else if (content.isTextual()) {
            text.append(content.textValue());
        } else if (content.isArray()) {
            for (JsonNode part : content) {
                JsonNode partText = part.get("text");
                if (partText != null && partText.isTextual()) {
                    text.append(partText.textValue());
                }
            }
        } else {
            throw ApiError.badRequest(
                    where + ".content",
                    "invalid_type",
                    "'" + where + ".content' must be a string or an array of {\"type\":\"text\",\"text\":...} parts.");
        }
    }

    private static boolean allInts(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.canConvertToInt() || !element.isIntegralNumber()) {
                return false;
            }
        }
        return true;
    }

    private static Integer optionalInt(JsonNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw ApiError.badRequest(name, "invalid_type", "'" + name + "' must be a whole number, was " + node + ".");
        }
        return node.intValue();
    }

    private static boolean optionalBoolean(JsonNode root, String name, boolean absent) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isBoolean()) {
            throw ApiError.badRequest(name, "invalid_type", "'" + name + "' must be true or false, was " + node + ".");
        }
        return node.booleanValue();
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "an empty body";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
