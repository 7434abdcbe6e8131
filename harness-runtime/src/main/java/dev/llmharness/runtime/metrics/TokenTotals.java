package dev.llmharness.runtime.metrics;

/**
 * Token counts of one trial's completed requests, each kept by where it came from, so that what
 * the workload intended, what the harness counted and what the server reported never replace one
 * another. All values are tokens, {@code >= 0}; a total covers the completed requests that had that
 * figure, and its {@code ...Requests} companion says how many did.
 *
 * @param intendedInput prompt lengths by the trial's encoding, as the workload built them
 * @param intendedInputRequests completed requests with a known prompt length
 * @param serverInput the server's {@code usage.prompt_tokens}
 * @param serverInputRequests completed requests whose server reported {@code prompt_tokens}
 * @param countedOutput output tokens counted by the harness (tokenizer, or one per content event)
 * @param countedOutputRequests completed requests the harness counted in full
 * @param serverOutput the server's {@code usage.completion_tokens}
 * @param serverOutputRequests completed requests whose server reported {@code completion_tokens}
 * @param pairedInputRequests completed requests with both an intended and a server input count
 * @param pairedIntendedInput intended input over those requests
 * @param pairedServerInput server input over those requests
 * @param exactOutputRequests completed requests with an enforced output length and a server count
 * @param exactRequestedOutput {@code max_tokens} over those requests (the intended output)
 * @param exactServerOutput server output over those requests
 * @param clientInput the harness's own count of the prompts as sent, in the trial's encoding
 * @param clientInputRequests completed requests the harness counted
 * @param pairedClientRequests completed requests with an intended, a client and a server count
 *     (a subset of the {@code pairedInputRequests}, all of them when the counts are equal)
 * @param pairedClientIntended intended input over those requests
 * @param pairedClientInput client-counted input over those requests
 */
public record TokenTotals(
        long intendedInput,
        long intendedInputRequests,
        long serverInput,
        long serverInputRequests,
        long countedOutput,
        long countedOutputRequests,
        long serverOutput,
        long serverOutputRequests,
        long pairedInputRequests,
        long pairedIntendedInput,
        long pairedServerInput,
        long exactOutputRequests,
        long exactRequestedOutput,
        long exactServerOutput,
        long clientInput,
        long clientInputRequests,
        long pairedClientRequests,
        long pairedClientIntended,
        long pairedClientInput) {

    /**
     * Of the server-reported input beyond the intended ({@code pairedServerInput -
     * pairedIntendedInput}), the tokens the requests carried beyond what the workload built, by the
     * harness's count (a system message the benchmark method adds); 0 when not every paired
     * request was counted.
     */
    public long addedInput() {
        return pairedClientRequests > 0 && pairedClientRequests == pairedInputRequests
                ? pairedClientInput - pairedClientIntended
                : 0;
    }

    /** Totals of a trial with no completed request. */
    public static final TokenTotals NONE = new TokenTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
