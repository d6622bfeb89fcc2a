package dev.keel.common.problem;

import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Map;

/** JSON names for Java types, for error messages a client can act on. */
final class JsonTypes {

    private JsonTypes() {
    }

    static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == java.util.UUID.class) {
            return "a UUID";
        }
        if (type == String.class || type.isEnum()) {
            return type.isEnum() ? "one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase() : "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "a boolean";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return type == int.class || type == long.class || type == Integer.class || type == Long.class
                    ? "an integer" : "a number";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 timestamp";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "an object";
    }
}
