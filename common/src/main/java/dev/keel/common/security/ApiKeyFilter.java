package dev.keel.common.security;

import dev.keel.common.problem.ProblemResponses;
import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.BlockingOperationControl;
import io.vertx.core.Vertx;
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
import java.util.Optional;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * Authenticates every request under {@code keel.auth.protected-paths} by its API key
 * ({@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}) and enforces
 * {@link RequiresRole}. A missing, unknown, revoked or expired key gets 401 with
 * {@code WWW-Authenticate: Bearer}; a valid key with too low a role gets 403.
 *
 * <p>Runs after resource matching, so an unknown path is still a plain 404 and the endpoint's
 * {@link RequiresRole} is known. On a cache miss it does one JDBC lookup. For a blocking endpoint
 * that runs on the request's worker thread. For a {@code @NonBlocking} endpoint, whose filters run
 * on the event loop, the request is suspended and the lookup (and, for the bootstrap key, the
 * lookup of the project it names) runs on a worker thread; the request resumes on its event loop.
 * A key the cache vouches for is decided on the spot, which is what makes non-blocking endpoints
 * worth having.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class ApiKeyFilter implements ContainerRequestFilter {

    static final String API_KEY_HEADER = "X-API-Key";
    private static final String BEARER = "Bearer ";

    private final ApiKeyAuthenticator authenticator;
    private final CurrentCaller currentCaller;
    private final ProtectedPaths protectedPaths;
    private final ProjectDirectory projects;

    @Context
    ResourceInfo resourceInfo;

    // Providers are created at static init, before runtime configuration exists: every dependency
    // here must be a normal-scoped bean (a proxy), created on first use.
    public ApiKeyFilter(ApiKeyAuthenticator authenticator, CurrentCaller currentCaller, ProtectedPaths protectedPaths,
                        ProjectDirectory projects) {
        this.authenticator = authenticator;
        this.currentCaller = currentCaller;
        this.protectedPaths = protectedPaths;
        this.projects = projects;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!protectedPaths.covers(request.getUriInfo().getPath())) {
            return;
        }
        String presented = presentedKey(request);
        String project = request.getUriInfo().getQueryParameters().getFirst(CurrentCaller.PROJECT_PARAMETER);
        if (project == null) {
            project = request.getHeaderString(CurrentCaller.PROJECT_HEADER);
        }
        Role required = requiredRole();
        if (BlockingOperationControl.isBlockingAllowed()) {
            admit(request, currentCaller, authenticator.authenticate(presented), project, null, required);
            return;
        }
        Optional<Authentication> known = authenticator.withoutDatabase(presented);
        if (known.isPresent() && !namesAProjectToLookUp(known.get(), project)) {
            admit(request, currentCaller, known.get(), project, null, required);
            return;
        }
        lookUpOffTheEventLoop(request, presented, known, project, required);
    }

    /** What the worker thread found: the key's outcome and, for the bootstrap key, the project it named. */
    private record LookedUp(Authentication authentication, ProjectRef project) {
    }

    private void lookUpOffTheEventLoop(ContainerRequestContext request, String presented, Optional<Authentication> known,
                                       String project, Role required) {
        // the request scope is not active while the request is suspended: hold this request's own instance
        CurrentCaller callerOfThisRequest = ClientProxy.unwrap(currentCaller);
        ResteasyReactiveContainerRequestContext suspendable = (ResteasyReactiveContainerRequestContext) request;
        suspendable.suspend();
        Vertx.currentContext().executeBlocking(() -> {
            Authentication authentication = known.orElseGet(() -> authenticator.authenticate(presented));
            ProjectRef resolved = namesAProjectToLookUp(authentication, project)
                    ? projects.require(CurrentCaller.normalizedProject(project))
                    : null;
            return new LookedUp(authentication, resolved);
        }, false).onComplete(result -> {
            if (result.failed()) {
                suspendable.resume(result.cause());   // 503 when the database is away, 404 for an unknown project
            } else if (admit(request, callerOfThisRequest, result.result().authentication(), project,
                    result.result().project(), required)) {
                suspendable.resume();
            }
            // an aborted request was resumed by abortWith
        });
    }

    private static boolean namesAProjectToLookUp(Authentication authentication, String project) {
        return authentication instanceof Authentication.Authenticated a && a.caller().global()
                && CurrentCaller.normalizedProject(project) != null;
    }

    /** Sets the caller, or aborts with 401 or 403; answers whether the request goes on. */
    private static boolean admit(ContainerRequestContext request, CurrentCaller target, Authentication result,
                                 String project, ProjectRef resolvedProject, Role required) {
        if (result instanceof Authentication.Rejected rejected) {
            request.abortWith(unauthorized(rejected.reason()));
            return false;
        }
        Caller caller = ((Authentication.Authenticated) result).caller();
        target.set(caller, project, resolvedProject);
        if (required != null && !caller.has(required)) {
            request.abortWith(ProblemResponses.of(403, "Forbidden", "This needs the " + required.wireName()
                    + " role; the API key '" + caller.keyName() + "' has " + caller.role().wireName(), null, null));
            return false;
        }
        return true;
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
