package dev.llmharness.runtime.result;

/**
 * The server measured.
 *
 * @param url base URL, never with credentials
 * @param api API spoken, e.g. {@code "OPENAI_CHAT"}
 * @param model model name sent in requests
 * @param serverVersion version the server reported, or {@code null}
 * @param simulated whether the target was the embedded simulator
 */
public record TargetInfo(String url, String api, String model, String serverVersion, boolean simulated) {
    /**
     * The URL as comparisons see it: the embedded simulator listens on a new ephemeral port every
     * run, so two simulator runs are the same target whatever their ports.
     */
    public String comparableUrl() {
        return simulated ? "embedded simulator" : url;
    }
}
