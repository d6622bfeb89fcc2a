package dev.keel.common.rest;

import dev.keel.common.problem.ProblemResponses;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Locale;
import java.util.function.Function;

/**
 * Numeric and boolean query parameters, read strictly and refused by name. JAX-RS answers a query
 * parameter it cannot convert with 404 (so {@code ?page=abc} said "No resource at this path"), and
 * reads a boolean with {@code Boolean.valueOf} (so {@code ?explain=abc} was quietly false). Here
 * {@code ?page=abc} is a 400 naming {@code page}, and a boolean is {@code true} or {@code false}
 * (or {@code 1} or {@code 0}).
 */
@Provider
public class StrictQueryParameters implements ParamConverterProvider {

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        String name = queryParameter(annotations);
        if (name == null) {
            return null;
        }
        if (rawType == Integer.class || rawType == int.class) {
            return (ParamConverter<T>) new Strict<>(name, "an integer", Integer::valueOf);
        }
        if (rawType == Long.class || rawType == long.class) {
            return (ParamConverter<T>) new Strict<>(name, "an integer", Long::valueOf);
        }
        if (rawType == Boolean.class || rawType == boolean.class) {
            return (ParamConverter<T>) new Strict<>(name, "true or false (or 1 or 0)", StrictQueryParameters::bool);
        }
        return null;
    }

    private static String queryParameter(Annotation[] annotations) {
        if (annotations == null) {
            return null;
        }
        for (Annotation a : annotations) {
            if (a instanceof QueryParam query) {
                return query.value();
            }
        }
        return null;
    }

    /** true or false, or 1 or 0 (Quarkus REST passes "0" for a primitive boolean the request left out). */
    private static Boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> Boolean.TRUE;
            case "false", "0" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException(text);
        };
    }

    /** Converts with {@code parse}; a value it refuses is a 400 problem naming the parameter. */
    private record Strict<T>(String name, String expected, Function<String, T> parse) implements ParamConverter<T> {

        @Override
        public T fromString(String value) {
            // ?explain or ?page= with no value: as if left out
            if (value == null || value.isBlank()) {
                return null;
            }
            try {
                return parse.apply(value.strip());
            } catch (IllegalArgumentException e) {
                String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
                // a WebApplicationException passes through the parameter handler as it is (anything else becomes a 404)
                throw new BadRequestException(ProblemResponses.of(400, "Bad request",
                        name + ": must be " + expected + ", not '" + shown + "'", name, null));
            }
        }

        @Override
        public String toString(T value) {
            return String.valueOf(value);
        }
    }
}
