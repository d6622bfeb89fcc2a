package dev.keel.agent.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.keel.common.security.AuthConfig;
import dev.keel.common.security.BootstrapKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.function.Supplier;

/**
 * What the three clients share: the bootstrap admin key as the caller, the project named in a
 * header, and the translation of a response into a JSON body or a {@link DownstreamException}.
 */
@ApplicationScoped
class Downstream {

    static final String PROJECT_HEADER = "X-Keel-Project";

    private final String authorization;

    Downstream(AuthConfig auth) {
        this.authorization = BootstrapKey.authorization(auth).orElse(null);
    }

    String authorization() {
        return authorization;
    }

    boolean hasKey() {
        return authorization != null;
    }

    /** Calls, and answers the body of a 2xx; anything else is a {@link DownstreamException} naming what was tried. */
    JsonNode call(String doing, Supplier<Response> request) {
        Response response;
        try {
            response = request.get();
        } catch (WebApplicationException e) {
            response = e.getResponse();
        } catch (ProcessingException e) {
            throw new NotReachedException("could not " + doing + ": " + e.getMessage(), e);
        }
        try (Response r = response) {
            int status = r.getStatus();
            JsonNode body = body(r);
            if (status >= 200 && status < 300) {
                return body;
            }
            String detail = body.hasNonNull("detail") ? body.get("detail").asText() : r.getStatusInfo().getReasonPhrase();
            String message = "could not " + doing + ": HTTP " + status + " " + detail;
            throw status == 503 ? new UnavailableException(message) : new DownstreamException(message, status, null);
        }
    }

    private static JsonNode body(Response r) {
        if (!r.hasEntity()) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            JsonNode node = r.readEntity(JsonNode.class);
            return node == null ? JsonNodeFactory.instance.objectNode() : node;
        } catch (RuntimeException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }
}
