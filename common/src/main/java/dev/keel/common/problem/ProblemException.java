package dev.keel.common.problem;

import java.util.Comparator;
import java.util.List;

/**
 * Thrown by resources and services to answer with a problem-details body. The factory methods
 * carry the HTTP semantics, so callers say what went wrong, not which status code it maps to.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final String field;
    private final transient List<Problem.FieldError> errors;
    private final int retryAfterSeconds;

    public ProblemException(int status, String title, String detail, String field, List<Problem.FieldError> errors) {
        this(status, title, detail, field, errors, 0);
    }

    private ProblemException(int status, String title, String detail, String field, List<Problem.FieldError> errors,
                             int retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
        this.errors = errors == null ? null : List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ProblemException badRequest(String field, String detail) {
        return new ProblemException(400, "Bad request", detail, field, null);
    }

    /**
     * 400 naming every invalid field, sorted by name: how Bean Validation failures are answered
     * ({@link ConstraintViolationMapper}), for checks made by hand that must answer the same.
     */
    public static ProblemException invalidFields(List<Problem.FieldError> errors) {
        List<Problem.FieldError> sorted = errors.stream().sorted(Comparator.comparing(Problem.FieldError::field)).toList();
        Problem.FieldError only = sorted.size() == 1 ? sorted.get(0) : null;
        return only != null
                ? new ProblemException(400, "Bad request", only.field() + ": " + only.message(), only.field(), sorted)
                : new ProblemException(400, "Bad request", sorted.size() + " fields are invalid", null, sorted);
    }

    public static ProblemException unprocessable(String field, String detail) {
        return new ProblemException(422, "Unprocessable content", detail, field, null);
    }

    public static ProblemException unprocessable(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(422, "Unprocessable content", detail, null, errors);
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(404, "Not found", what + " '" + id + "' does not exist", null, null);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail, null, null);
    }

    public static ProblemException conflict(String field, String detail) {
        return new ProblemException(409, "Conflict", detail, field, null);
    }

    public static ProblemException conflict(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(409, "Conflict", detail, null, errors);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "Unauthorized", detail, null, null);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail, null, null);
    }

    /** 503 with {@code Retry-After}: the client may try again after that many seconds. */
    public static ProblemException serviceUnavailable(String detail, int retryAfterSeconds) {
        return new ProblemException(503, "Service unavailable", detail, null, null, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String field() {
        return field;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    /** Seconds a client should wait before it tries again ({@code Retry-After}); 0 when it says nothing. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
