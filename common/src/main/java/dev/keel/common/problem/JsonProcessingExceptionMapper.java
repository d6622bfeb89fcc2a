package dev.keel.common.problem;

import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.keel.common.json.StrictJson;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request body that is not the JSON we expect: 400 naming the JSON path of the bad value, and
 * never Jackson's own message (it quotes Java class names).
 */
@Provider
public class JsonProcessingExceptionMapper implements ExceptionMapper<JsonProcessingException> {

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']{1,200})'");
    private static final Pattern COERCION = Pattern.compile("Cannot coerce (?:String|Integer|Floating-point|Boolean) value \\((.{1,200}?)\\) to ");

    @Override
    public Response toResponse(JsonProcessingException e) {
        if (e instanceof StreamReadException || e.getCause() instanceof StreamReadException) {
            return unreadable(e instanceof StreamReadException read ? read : (StreamReadException) e.getCause());
        }
        if (e instanceof MismatchedInputException && String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")) {
            return ProblemResponses.of(400, "Bad request", "Request body holds more after its JSON value" + location(e), null, null);
        }
        String field = e instanceof JsonMappingException mapping ? path(mapping) : null;
        String detail;
        if (e instanceof UnrecognizedPropertyException unknown) {
            detail = "Unknown field '" + unknown.getPropertyName() + "'";
        } else if (e instanceof InvalidFormatException format && format.getValue() instanceof String text
                && StrictJson.unstorable(text) != null) {
            detail = "holds " + StrictJson.unstorable(text) + "; remove it";
        } else if (e instanceof InvalidFormatException format) {
            detail = "Value " + quoted(format.getValue()) + " has the wrong type; expected "
                    + JsonTypes.describe(format.getTargetType());
        } else if (e instanceof ValueInstantiationException creation && creation.getCause() instanceof IllegalArgumentException why
                && why.getMessage() != null) {
            // our own creators (enums by wire name) refuse with a message meant for the client: which values are valid
            detail = why.getMessage();
        } else if (e instanceof MismatchedInputException mismatch
                && COERCION.matcher(String.valueOf(e.getOriginalMessage())).lookingAt()) {
            // a scalar StrictJson does not coerce ("high" for a number, 12 for a string): the value as sent
            Matcher refused = COERCION.matcher(String.valueOf(e.getOriginalMessage()));
            String value = refused.lookingAt() ? refused.group(1) : "";
            detail = "Value " + (value.startsWith("\"") && value.endsWith("\"") && value.length() > 1
                    ? "'" + value.substring(1, value.length() - 1) + "'" : value)
                    + " has the wrong type; expected " + JsonTypes.describe(mismatch.getTargetType());
        } else if (e instanceof MismatchedInputException mismatch) {
            detail = "Wrong JSON type; expected " + JsonTypes.describe(mismatch.getTargetType());
        } else {
            detail = "Request body cannot be read" + location(e);
        }
        if (field != null && !field.isEmpty()) {
            detail = field + ": " + detail;
        }
        return ProblemResponses.of(400, "Bad request", detail, field == null || field.isEmpty() ? null : field, null);
    }

    /**
     * Not JSON, or JSON read strictly ({@code StrictJson}): a key given twice is named, a number out
     * of its type's range is quoted; otherwise the place where reading stopped.
     */
    private static Response unreadable(StreamReadException e) {
        String message = String.valueOf(e.getOriginalMessage());
        Matcher duplicate = DUPLICATE.matcher(message);
        if (duplicate.lookingAt()) {
            String field = parsingPath(e, duplicate.group(1));
            return ProblemResponses.of(400, "Bad request", field + ": given twice in the request body" + location(e), field, null);
        }
        if (e instanceof InputCoercionException) {
            // "Numeric value (9223372036854775808) out of range of long (...)": the value and its range, no class names
            String field = parsingPath(e, null);
            String detail = "a number out of range" + location(e) + ": "
                    + message.replaceFirst("^Numeric value \\((.{0,400})\\) out of range of", "$1 is out of range of");
            return field == null ? ProblemResponses.of(400, "Bad request", "Request body holds " + detail, null, null)
                    : ProblemResponses.of(400, "Bad request", field + ": " + detail, field, null);
        }
        return ProblemResponses.of(400, "Bad request", "Request body is not valid JSON" + location(e), null, null);
    }

    /**
     * Where the parser stood when it stopped, as a JSON path ({@code metrics.f1}, {@code items[2].label}),
     * ending in {@code name} when given (a key given twice is not yet the context's own); null when unknown.
     */
    private static String parsingPath(StreamReadException e, String name) {
        JsonParser parser = e.getProcessor();
        if (parser == null) {
            return name;
        }
        Deque<String> parts = new ArrayDeque<>();
        JsonStreamContext context = parser.getParsingContext();
        if (name != null && context != null) {
            parts.push(name);
            context = context.getParent();
        }
        for (; context != null && !context.inRoot(); context = context.getParent()) {
            if (context.inArray()) {
                parts.push("[" + Math.max(context.getCurrentIndex(), 0) + "]");
            } else if (context.getCurrentName() != null) {
                parts.push(context.getCurrentName());
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        StringBuilder path = new StringBuilder();
        for (String part : parts) {
            if (path.length() > 0 && !part.startsWith("[")) {
                path.append('.');
            }
            path.append(part);
        }
        return path.toString();
    }

    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static String quoted(Object value) {
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }
}
