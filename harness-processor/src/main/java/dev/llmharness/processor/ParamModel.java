package dev.llmharness.processor;

import com.palantir.javapoet.ClassName;
import java.util.List;

/**
 * One {@code @Param} field.
 *
 * @param name the field name, also the trial parameter's name
 * @param type how a value string converts to the field's type
 * @param enumType the enum class when {@code type} is {@link ParamType#ENUM}, else {@code null}
 * @param values the values as written, each already checked to convert
 */
record ParamModel(String name, ParamType type, ClassName enumType, List<String> values) {
    ParamModel {
        values = List.copyOf(values);
    }
}
