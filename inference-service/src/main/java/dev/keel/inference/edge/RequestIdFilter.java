package dev.keel.inference.edge;

import dev.keel.inference.rest.PredictResponse;
import dev.keel.inference.service.PredictionIds;
import dev.keel.inference.v2.InferenceResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Every response carries {@code X-Request-Id}: the caller's own, if it sent one (so its traces join
 * ours), else the id the response body names (a single prediction's request id, a V2 response's
 * id), else a new time-ordered one. Prediction ids for feedback are in the response bodies.
 */
@Provider
public class RequestIdFilter implements ContainerResponseFilter {

    public static final String HEADER = "X-Request-Id";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String id = request.getHeaderString(HEADER);
        if (!usable(id)) {
            id = bodyId(response.getEntity());
        }
        response.getHeaders().putSingle(HEADER, id);
    }

    /** Whether a caller's request id is echoed: not blank, at most 128 characters. */
    public static boolean usable(String callerId) {
        return callerId != null && !callerId.isBlank() && callerId.length() <= 128;
    }

    private static String bodyId(Object entity) {
        if (entity instanceof PredictResponse single) {
            return single.requestId().toString();
        }
        if (entity instanceof InferenceResponse v2 && v2.id() != null) {
            return v2.id();
        }
        return PredictionIds.next().toString();   // no SecureRandom (and its lock) per response
    }
}
