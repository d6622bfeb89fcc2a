package dev.keel.common.problem;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.util.List;

/** Builds problem+json responses; every mapper goes through here so bodies look the same everywhere. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static Response of(int status, String title, String detail, String field, List<Problem.FieldError> errors) {
        Problem body = new Problem(null, title != null ? title : reasonPhrase(status), status, detail, null, field,
                errors == null || errors.isEmpty() ? null : errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    /** The response a {@link ProblemException} stands for. */
    public static Response of(ProblemException e) {
        Response response = of(e.status(), e.title(), e.getMessage(), e.field(), e.errors());
        return e.retryAfterSeconds() > 0
                ? Response.fromResponse(response).header("Retry-After", Integer.toString(e.retryAfterSeconds())).build()
                : response;
    }

    public static Response of(int status, String detail) {
        return of(status, null, detail, null, null);
    }

    static String reasonPhrase(int status) {
        Status known = Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "HTTP " + status;
    }
}
