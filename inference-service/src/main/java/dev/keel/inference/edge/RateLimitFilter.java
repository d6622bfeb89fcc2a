package dev.keel.inference.edge;

import dev.keel.common.problem.ProblemResponses;
import dev.keel.common.security.Caller;
import dev.keel.common.security.CurrentCaller;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.concurrent.TimeUnit;

/**
 * Per-key rate limiting after authentication: a request that finds its key's bucket empty gets 429
 * with {@code Retry-After} in whole seconds, rounded up.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class RateLimitFilter implements ContainerRequestFilter {

    private final CurrentCaller caller;
    private final RateLimiter limiter;

    public RateLimitFilter(CurrentCaller caller, RateLimiter limiter) {
        this.caller = caller;
        this.limiter = limiter;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!caller.isAuthenticated()) {
            return;
        }
        Caller c = caller.get();
        long waitNanos = limiter.acquire(c.projectName() + '\u0000' + c.keyName());
        if (waitNanos > 0) {
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999L));
            request.abortWith(Response.fromResponse(ProblemResponses.of(429, "Too Many Requests",
                            "API key '" + c.keyName() + "' is limited to " + limiter.describe(), null, null))
                    .header("Retry-After", Long.toString(seconds))
                    .build());
        }
    }
}
