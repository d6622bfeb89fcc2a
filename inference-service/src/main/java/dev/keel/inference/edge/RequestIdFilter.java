package dev.keel.inference.edge;

import dev.keel.inference.service.PredictionIds;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Every response carries {@code X-Request-Id}: the caller's own, if it sent one (so its traces join
 * ours), else a new time-ordered one. Prediction ids for feedback are in the response bodies.
 */
@Provider
public class RequestIdFilter implements ContainerResponseFilter {

    static final String HEADER = "X-Request-Id";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String id = request.getHeaderString(HEADER);
        if (id == null || id.isBlank() || id.length() > 128) {
            id = PredictionIds.next().toString();   // no SecureRandom (and its lock) per response
        }
        response.getHeaders().putSingle(HEADER, id);
    }
}
