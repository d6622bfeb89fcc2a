package dev.keel.common.problem;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Quarkus REST ships its own mapper for this exact type (a body naming Java classes); one for the
 * same type here replaces it, so a value of the wrong JSON type is a problem document too.
 */
@Provider
public class MismatchedInputExceptionMapper implements ExceptionMapper<MismatchedInputException> {

    private final JsonProcessingExceptionMapper json = new JsonProcessingExceptionMapper();

    @Override
    public Response toResponse(MismatchedInputException e) {
        return json.toResponse(e);
    }
}
