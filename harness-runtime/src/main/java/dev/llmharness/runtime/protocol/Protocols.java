package dev.llmharness.runtime.protocol;

import dev.llmharness.api.Api;
import dev.llmharness.api.ChatRequest;
import dev.llmharness.api.LlmRequest;
import java.util.EnumMap;
import java.util.Map;

/** The registry of wire protocols: the one place that maps an {@link Api} to its implementation. */
public final class Protocols {
    private static final Map<Api, Protocol> BY_API = new EnumMap<>(Api.class);

    static {
        register(OpenAiProtocol.CHAT);
        register(OpenAiProtocol.COMPLETIONS);
        register(NativeProtocol.LLAMACPP);
        register(NativeProtocol.TGI);
        register(NativeProtocol.OLLAMA_GENERATE);
        register(NativeProtocol.OLLAMA_CHAT);
    }

    private Protocols() {}

    private static void register(Protocol p) {
        BY_API.put(p.api(), p);
    }

    /**
     * The protocol of {@code api}.
     *
     * @throws IllegalArgumentException for an API without an implementation (a new {@link Api}
     *     constant not yet registered here)
     */
    public static Protocol of(Api api) {
        Protocol p = BY_API.get(api);
        if (p == null) {
            throw new IllegalArgumentException("no protocol implements " + api + "; implemented: " + BY_API.keySet());
        }
        return p;
    }

    /** The message for a request whose shape the API does not take. */
    static String shapeMismatch(Api api, LlmRequest request) {
        boolean chat = request instanceof ChatRequest;
        return api + " takes " + (api.takesMessages() ? "messages (a ChatRequest)" : "a prompt (a CompletionRequest)")
                + ", not a " + (chat ? "ChatRequest" : "CompletionRequest");
    }
}
