package dev.llmharness.runtime.metrics;

/**
 * Adds up the {@link TokenTotals} of completed requests. Thread-safe; one short lock per
 * completed request, which costs nothing beside reading its stream.
 */
final class TokenTally {
    private long intendedInput;
    private long intendedInputRequests;
    private long serverInput;
    private long clientInput;
    private long clientInputRequests;
    private long pairedClientRequests;
    private long pairedClientIntended;
    private long pairedClientInput;
    private long serverInputRequests;
    private long countedOutput;
    private long countedOutputRequests;
    private long serverOutput;
    private long serverOutputRequests;
    private long pairedInputRequests;
    private long pairedIntendedInput;
    private long pairedServerInput;
    private long exactOutputRequests;
    private long exactRequestedOutput;
    private long exactServerOutput;

    /** Adds one completed request's counts; a count the request does not have is left out. */
    synchronized void add(RequestTiming t) {
        long intendedIn = t.intendedInputTokens();
        long serverIn = t.serverInputTokens();
        long clientIn = t.clientInputTokens();
        if (clientIn >= 0) {
            clientInput += clientIn;
            clientInputRequests++;
            if (intendedIn >= 0 && serverIn >= 0) {
                pairedClientRequests++;
                pairedClientIntended += intendedIn;
                pairedClientInput += clientIn;
            }
        }
        long counted = t.countedOutputTokens();
        long serverOut = t.serverOutputTokens();
        if (intendedIn >= 0) {
            intendedInput += intendedIn;
            intendedInputRequests++;
        }
        if (serverIn >= 0) {
            serverInput += serverIn;
            serverInputRequests++;
        }
        if (counted >= 0) {
            countedOutput += counted;
            countedOutputRequests++;
        }
        if (serverOut >= 0) {
            serverOutput += serverOut;
            serverOutputRequests++;
        }
        if (intendedIn >= 0 && serverIn >= 0) {
            pairedInputRequests++;
            pairedIntendedInput += intendedIn;
            pairedServerInput += serverIn;
        }
        if (t.exactOutput() && t.requestedOutputTokens() > 0 && serverOut >= 0) {
            exactOutputRequests++;
            exactRequestedOutput += t.requestedOutputTokens();
            exactServerOutput += serverOut;
        }
    }

    synchronized TokenTotals totals() {
        return new TokenTotals(
                intendedInput,
                intendedInputRequests,
                serverInput,
                serverInputRequests,
                countedOutput,
                countedOutputRequests,
                serverOutput,
                serverOutputRequests,
                pairedInputRequests,
                pairedIntendedInput,
                pairedServerInput,
                exactOutputRequests,
                exactRequestedOutput,
                exactServerOutput,
                clientInput,
                clientInputRequests,
                pairedClientRequests,
                pairedClientIntended,
                pairedClientInput);
    }
}
