package dev.llmharness.runtime.compare;

/** The outcome of comparing one metric of one trial. */
public enum Verdict {
    /** The contender is worse by more than the threshold, with confidence. */
    REGRESSION("REGRESSION"),
    /** The contender is better by more than the threshold, with confidence. */
    IMPROVEMENT("IMPROVEMENT"),
    /** The whole confidence interval lies within the threshold: any change is noise-sized. */
    NO_CHANGE("NO CHANGE"),
    /** Too few samples, missing data, or an interval that straddles the threshold. */
    INCONCLUSIVE("INCONCLUSIVE");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    /** The word shown in tables and JSON, e.g. {@code "NO CHANGE"}. */
    public String label() {
        return label;
    }
}
