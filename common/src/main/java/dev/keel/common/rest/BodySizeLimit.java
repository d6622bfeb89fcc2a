package dev.keel.common.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.problem.Problem;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A request whose {@code Content-Length} is over {@code quarkus.http.limits.max-body-size} is a 413
 * problem saying how large the body was and how large it may be. Quarkus' own check answers it with
 * an empty body, before any filter or exception mapper could; this route runs just ahead of it and
 * closes the connection as it does (the body is not read). Under the path prefixes of
 * {@link HttpConfig#protocolErrorPaths()} (inference: {@code /v2}) the body is the Open Inference
 * Protocol's {@code {"error": "..."}} instead. A chunked body with no length that grows past the
 * limit is still cut off by Quarkus as it arrives.
 */
@ApplicationScoped
public class BodySizeLimit {

    private final ObjectMapper json;
    private final long maxBytes;
    private final List<String> protocolErrorPaths;

    public BodySizeLimit(ObjectMapper json,
                         @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize max,
                         HttpConfig config) {
        this.json = json;
        this.maxBytes = max.asLongValue();
        this.protocolErrorPaths = config.protocolErrorPaths().orElse(List.of());
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long declared = length == null ? -1 : parse(length);
        if (declared <= maxBytes) {
            ctx.next();
            return;
        }
        String detail = String.format(Locale.ROOT, "The request body is %s bytes (Content-Length); this service accepts "
                + "at most %d (quarkus.http.limits.max-body-size)", length.trim(), maxBytes);
        String path = ctx.normalizedPath();
        boolean protocol = protocolErrorPaths.stream().anyMatch(prefix -> under(path, prefix));
        String body;
        try {
            body = json.writeValueAsString(protocol ? Map.of("error", detail)
                    : new Problem(null, "Request Entity Too Large", 413, detail, null, null, null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ctx.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, protocol ? "application/json" : Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                .endHandler(ended -> ctx.request().connection().close())
                .end(body);
    }

    /** Whether the path is the prefix or below it ({@code /v2}: {@code /v2} and {@code /v2/models/m/infer}, not {@code /v2x}). */
    static boolean under(String path, String prefix) {
        String dir = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return path.equals(dir) || path.startsWith(dir + "/");
    }

    /** The declared length (digits too many for a long: the most there is); one that is not a number is left to the server. */
    private static long parse(String length) {
        String digits = length.trim();
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return !digits.isEmpty() && digits.chars().allMatch(c -> c >= '0' && c <= '9') ? Long.MAX_VALUE : -1;
        }
    }
}
