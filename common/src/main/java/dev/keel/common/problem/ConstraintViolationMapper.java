package dev.keel.common.problem;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Bean Validation failures at the edge: 400 naming every bad field. */
@Provider
public class ConstraintViolationMapper implements ExceptionMapper<ConstraintViolationException> {

    @Override
    public Response toResponse(ConstraintViolationException e) {
        return ProblemResponses.of(ProblemException.invalidFields(e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .toList()));
    }

    /** Bodies are snake_case on the wire ({@code quarkus.jackson.property-naming-strategy}); so are the fields named. */
    private static final PropertyNamingStrategies.NamingBase WIRE_NAMES = new PropertyNamingStrategies.SnakeCaseStrategy();

    /**
     * "create.request.toVersion" → "to_version": the method and parameter nodes of a resource call
     * mean nothing to a client, the property path inside the body does, in the body's own names. A
     * query or path parameter with no path inside it keeps its own name.
     */
    static String fieldName(ConstraintViolation<?> violation) {
        String parameter = null;
        StringBuilder inside = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            switch (node.getKind()) {
                case PARAMETER -> {
                    parameter = node.getName();
                    inside.setLength(0);
                }
                case PROPERTY, CONTAINER_ELEMENT, BEAN -> {
                    if (node.getIndex() != null && inside.length() > 0) {
                        inside.append('[').append(node.getIndex()).append(']');
                    } else if (node.getKey() != null && inside.length() > 0) {
                        inside.append('[').append(node.getKey()).append(']');
                    }
                    if (node.getName() != null) {
                        if (inside.length() > 0) {
                            inside.append('.');
                        }
                        inside.append(WIRE_NAMES.translate(node.getName()));
                    }
                }
                default -> {
                    // method, constructor, return value: not part of what the client sent
                }
            }
        }
        if (inside.length() > 0) {
            return inside.toString();
        }
        return parameter != null ? parameter : "request";
    }
}
