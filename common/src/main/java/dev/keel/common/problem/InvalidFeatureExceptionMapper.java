package dev.keel.common.problem;

import dev.keel.common.model.InvalidFeatureException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A feature the model cannot take: 422 naming it, whichever service found it. */
@Provider
public class InvalidFeatureExceptionMapper implements ExceptionMapper<InvalidFeatureException> {

    @Override
    public Response toResponse(InvalidFeatureException e) {
        return ProblemResponses.of(422, "Invalid feature", e.getMessage(), e.field(), null);
    }
}
