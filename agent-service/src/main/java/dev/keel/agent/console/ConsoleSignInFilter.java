package dev.keel.agent.console;

import dev.keel.common.security.ApiKeyAuthenticator;
import dev.keel.common.security.Authentication;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Lets a console page through only with a session cookie whose API key still verifies: a key revoked
 * since sign-in ends the session within the key cache's time. Anything else is sent to the sign-in
 * page, remembering where it was going.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class ConsoleSignInFilter implements ContainerRequestFilter {

    public static final String COOKIE = "keel_console";

    // created at static init like every provider: only normal-scoped (proxied) beans here
    private final SessionCodec codec;
    private final ApiKeyAuthenticator authenticator;
    private final ConsoleUser user;

    public ConsoleSignInFilter(SessionCodec codec, ApiKeyAuthenticator authenticator, ConsoleUser user) {
        this.codec = codec;
        this.authenticator = authenticator;
        this.user = user;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/console") || path.equals("/console/login")) {
            return;
        }
        Cookie cookie = request.getCookies().get(COOKIE);
        Optional<ConsoleSession> session = codec.open(cookie == null ? null : cookie.getValue());
        if (session.isPresent()
                && authenticator.authenticate(session.get().apiKey()) instanceof Authentication.Authenticated ok
                && !ok.caller().global()) {
            user.set(session.get(), ok.caller());
            return;
        }
        request.abortWith(toSignIn(request, cookie == null ? null : "Your session has ended; sign in again."));
    }

    private static Response toSignIn(ContainerRequestContext request, String notice) {
        String target = request.getUriInfo().getRequestUri().getRawPath();
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        String next = "GET".equals(request.getMethod()) ? target + (query == null ? "" : "?" + query) : "/console";
        StringBuilder location = new StringBuilder("/console/login?next=").append(URLEncoder.encode(next, StandardCharsets.UTF_8));
        if (notice != null) {
            location.append("&notice=").append(URLEncoder.encode(notice, StandardCharsets.UTF_8));
        }
        return Response.seeOther(URI.create(location.toString())).build();
    }
}
