package dev.llmharness.runtime.result;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which way a metric improves; comparisons use it so that throughput is never read upside down. */
public enum Direction {
    LOWER_IS_BETTER("lower_is_better"),
    HIGHER_IS_BETTER("higher_is_better");

    private final String json;

    Direction(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }
}
