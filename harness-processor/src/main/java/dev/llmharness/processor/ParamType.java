package dev.llmharness.processor;

/**
 * The field types a {@code @Param} may have, each with its conversion from the value string. The
 * generated code converts with the same methods the processor validated with, so a value that
 * compiles always converts.
 */
enum ParamType {
    STRING,
    INT,
    LONG,
    SHORT,
    BYTE,
    DOUBLE,
    FLOAT,
    CHAR,
    BOOLEAN,
    BOXED_INT,
    BOXED_LONG,
    BOXED_SHORT,
    BOXED_BYTE,
    BOXED_DOUBLE,
    BOXED_FLOAT,
    BOXED_CHAR,
    BOXED_BOOLEAN,
    ENUM;

    /**
     * Why {@code value} does not convert to this type, or {@code null} when it does. Enum
     * constants are checked by the reader, which knows the enum's constants.
     */
    String conversionProblem(String value) {
        try {
            switch (this) {
                case INT, BOXED_INT -> Integer.parseInt(value);
                case LONG, BOXED_LONG -> Long.parseLong(value);
                case SHORT, BOXED_SHORT -> Short.parseShort(value);
                case BYTE, BOXED_BYTE -> Byte.parseByte(value);
                case DOUBLE, BOXED_DOUBLE -> Double.parseDouble(value);
                case FLOAT, BOXED_FLOAT -> Float.parseFloat(value);
                case CHAR, BOXED_CHAR -> {
                    if (value.length() != 1) {
                        return "is not a single character";
                    }
                }
                case BOOLEAN, BOXED_BOOLEAN -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        return "is neither \"true\" nor \"false\"";
                    }
                }
                case STRING, ENUM -> {}
            }
            return null;
        } catch (NumberFormatException e) {
            return "is not a valid " + javaName();
        }
    }

    /**
     * The value the field would receive from {@code value}, for finding values that are written
     * differently but set the same field value ({@code "1"} and {@code "01"}, {@code "0.5"} and
     * {@code ".5"}): two such values make two trials that measure the same thing. Zero and negative
     * zero count as the same number. Call only for a value that converts.
     */
    Object parsed(String value) {
        return switch (this) {
            case INT, BOXED_INT -> Integer.parseInt(value);
            case LONG, BOXED_LONG -> Long.parseLong(value);
            case SHORT, BOXED_SHORT -> Short.parseShort(value);
            case BYTE, BOXED_BYTE -> Byte.parseByte(value);
            case DOUBLE, BOXED_DOUBLE -> {
                double d = Double.parseDouble(value);
                yield d == 0 ? 0.0 : d;
            }
            case FLOAT, BOXED_FLOAT -> {
                float f = Float.parseFloat(value);
                yield f == 0 ? 0.0f : f;
            }
            case CHAR, BOXED_CHAR, BOOLEAN, BOXED_BOOLEAN, STRING, ENUM -> value;
        };
    }

    /** A list of two example values of this type for messages, e.g. {@code {"1", "2"}}. */
    String example() {
        return switch (this) {
            case DOUBLE, BOXED_DOUBLE, FLOAT, BOXED_FLOAT -> "{\"0.0\", \"0.7\"}";
            case CHAR, BOXED_CHAR -> "{\"a\", \"b\"}";
            case BOOLEAN, BOXED_BOOLEAN -> "{\"true\", \"false\"}";
            case STRING -> "{\"short\", \"long\"}";
            default -> "{\"1\", \"2\"}";
        };
    }

    /** The Java type name used in messages. */
    String javaName() {
        return switch (this) {
            case STRING -> "String";
            case INT -> "int";
            case LONG -> "long";
            case SHORT -> "short";
            case BYTE -> "byte";
            case DOUBLE -> "double";
            case FLOAT -> "float";
            case CHAR -> "char";
            case BOOLEAN -> "boolean";
            case BOXED_INT -> "Integer";
            case BOXED_LONG -> "Long";
            case BOXED_SHORT -> "Short";
            case BOXED_BYTE -> "Byte";
            case BOXED_DOUBLE -> "Double";
            case BOXED_FLOAT -> "Float";
            case BOXED_CHAR -> "Character";
            case BOXED_BOOLEAN -> "Boolean";
            case ENUM -> "enum";
        };
    }
}
