package dev.keel.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** JAX-RS' own errors (unknown path, wrong method, wrong media type) as problem details. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    private static final JsonProcessingExceptionMapper JSON_ERRORS = new JsonProcessingExceptionMapper();

    @Context
    UriInfo uriInfo;

    @Context
    Request request;

    @Override
    public Response toResponse(WebApplicationException e) {
        // Quarkus REST wraps a body Jackson could not read; the cause knows which field was bad
        if (e.getCause() instanceof JsonProcessingException json) {
            return JSON_ERRORS.toResponse(json);
        }
        // raised with its problem already made (a query parameter refused by name): as it is
        if (e.getResponse().getEntity() instanceof Problem) {
            return e.getResponse();
        }
        int status = e.getResponse().getStatus();
        String detail;
        if (e instanceof NotFoundException) {
            detail = "No resource at this path";
        } else if (e instanceof NotAllowedException) {
            detail = request.getMethod() + " is not allowed at /" + uriInfo.getPath().replaceFirst("^/", "");
        } else if (e instanceof NotSupportedException) {
            detail = "Unsupported content type";
        } else {
            detail = e.getMessage();
        }
        Response problem = ProblemResponses.of(status, detail);
        // Quarkus REST's router does not say which methods the path has; an empty Allow would say none
        if (e instanceof NotAllowedException && !e.getResponse().getAllowedMethods().isEmpty()) {
            return Response.fromResponse(problem).allow(e.getResponse().getAllowedMethods()).build();
        }
        return problem;
    }
}
