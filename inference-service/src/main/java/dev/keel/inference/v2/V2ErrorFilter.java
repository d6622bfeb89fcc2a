package dev.keel.inference.v2;

import dev.keel.common.problem.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * Under {@code /v2} every error has the protocol's body, {@code {"error": "..."}}, including those
 * answered before the resource runs: a missing or refused key (401/403), a rate limit (429), an
 * unsupported method, a body Jackson could not read, an unexpected failure. Clients of the protocol
 * read {@code error} (tritonclient raises a KeyError without it). Status and headers
 * ({@code WWW-Authenticate}, {@code Retry-After}, {@code Allow}) stay as they are.
 */
@Provider
public class V2ErrorFilter implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof Problem problem && request.getUriInfo().getPath().startsWith("/v2")) {
            response.setEntity(new V2Error(problem.detail() != null ? problem.detail() : problem.title()), null,
                    MediaType.APPLICATION_JSON_TYPE);
        }
    }
}
