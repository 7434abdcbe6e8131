package dev.llmharness.runtime.result;

/**
 * The server measured.
 *
 * @param url base URL, never with credentials
 * @param api API spoken, e.g. {@code "OPENAI_CHAT"}
 * @param model model name sent in requests
 * @param serverVersion version the server reported, or {@code null}
 * @param simulated whether the target was the embedded simulator
 * @param description what the server said about itself, by key ({@code server}, {@code
 *     models.<field>} from its {@code /v1/models} entry, {@code props.<field>} from llama.cpp's
 *     {@code /props}...; the simulator lists its options as {@code models.llmh_sim_options}); empty
 *     or {@code null} when it said nothing or the file predates it
 */
public record TargetInfo(
        String url,
        String api,
        String model,
        String serverVersion,
        boolean simulated,
        java.util.Map<String, String> description) {
    @com.fasterxml.jackson.annotation.JsonCreator
    public TargetInfo {
        description = description == null
                ? null
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(description));
    }

    /** A target without a recorded self-description. */
    public TargetInfo(String url, String api, String model, String serverVersion, boolean simulated) {
        this(url, api, model, serverVersion, simulated, null);
    }

    /**
     * The URL as comparisons see it: the embedded simulator listens on a new ephemeral port every
     * run, so two simulator runs are the same target whatever their ports.
     */
    public String comparableUrl() {
        return simulated ? "embedded simulator" : url;
    }
}
