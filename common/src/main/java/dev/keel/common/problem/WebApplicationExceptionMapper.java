package dev.keel.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** JAX-RS' own errors (unknown path, wrong method, wrong media type) as problem details. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    private static final JsonProcessingExceptionMapper JSON_ERRORS = new JsonProcessingExceptionMapper();

    @Override
    public Response toResponse(WebApplicationException e) {
        // Quarkus REST wraps a body Jackson could not read; the cause knows which field was bad
        if (e.getCause() instanceof JsonProcessingException json) {
            return JSON_ERRORS.toResponse(json);
        }
        int status = e.getResponse().getStatus();
        String detail;
        if (e instanceof NotFoundException) {
            detail = "No resource at this path";
        } else if (e instanceof NotAllowedException) {
            detail = "Method not allowed here; allowed: " + e.getResponse().getAllowedMethods();
        } else if (e instanceof NotSupportedException) {
            detail = "Unsupported content type";
        } else {
            detail = e.getMessage();
        }
        Response problem = ProblemResponses.of(status, detail);
        if (e instanceof NotAllowedException) {
            return Response.fromResponse(problem).allow(e.getResponse().getAllowedMethods()).build();
        }
        return problem;
    }
}
