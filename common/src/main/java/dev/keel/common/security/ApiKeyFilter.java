package dev.keel.common.security;

import dev.keel.common.problem.ProblemResponses;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;

/**
 * Authenticates every request under {@code keel.auth.protected-paths} by its API key
 * ({@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}) and enforces
 * {@link RequiresRole}. A missing, unknown, revoked or expired key gets 401 with
 * {@code WWW-Authenticate: Bearer}; a valid key with too low a role gets 403.
 *
 * <p>Runs after resource matching, so an unknown path is still a plain 404 and the endpoint's
 * {@link RequiresRole} is known. On a cache miss it does one JDBC lookup on the request's thread:
 * a non-blocking endpoint under a protected path should be marked {@code @Blocking}.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class ApiKeyFilter implements ContainerRequestFilter {

    static final String API_KEY_HEADER = "X-API-Key";
    private static final String BEARER = "Bearer ";

    private final ApiKeyAuthenticator authenticator;
    private final CurrentCaller currentCaller;
    private final ProtectedPaths protectedPaths;

    @Context
    ResourceInfo resourceInfo;

    // Providers are created at static init, before runtime configuration exists: every dependency
    // here must be a normal-scoped bean (a proxy), created on first use.
    public ApiKeyFilter(ApiKeyAuthenticator authenticator, CurrentCaller currentCaller, ProtectedPaths protectedPaths) {
        this.authenticator = authenticator;
        this.currentCaller = currentCaller;
        this.protectedPaths = protectedPaths;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!protectedPaths.covers(request.getUriInfo().getPath())) {
            return;
        }
        Authentication result = authenticator.authenticate(presentedKey(request));
        if (result instanceof Authentication.Rejected rejected) {
            request.abortWith(unauthorized(rejected.reason()));
            return;
        }
        Caller caller = ((Authentication.Authenticated) result).caller();
        String project = request.getUriInfo().getQueryParameters().getFirst(CurrentCaller.PROJECT_PARAMETER);
        if (project == null) {
            project = request.getHeaderString(CurrentCaller.PROJECT_HEADER);
        }
        currentCaller.set(caller, project);
        Role required = requiredRole();
        if (required != null && !caller.has(required)) {
            request.abortWith(ProblemResponses.of(403, "Forbidden", "This needs the " + required.wireName()
                    + " role; the API key '" + caller.keyName() + "' has " + caller.role().wireName(), null, null));
        }
    }

    private Role requiredRole() {
        if (resourceInfo == null) {
            return null;
        }
        Method method = resourceInfo.getResourceMethod();
        if (method != null && method.isAnnotationPresent(RequiresRole.class)) {
            return method.getAnnotation(RequiresRole.class).value();
        }
        Class<?> type = resourceInfo.getResourceClass();
        if (type != null && type.isAnnotationPresent(RequiresRole.class)) {
            return type.getAnnotation(RequiresRole.class).value();
        }
        return null;
    }

    static String presentedKey(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).strip();
        }
        return request.getHeaderString(API_KEY_HEADER);
    }

    private static Response unauthorized(String reason) {
        return Response.fromResponse(ProblemResponses.of(401, "Unauthorized", reason, null, null))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }
}
