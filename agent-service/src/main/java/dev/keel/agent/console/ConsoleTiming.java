package dev.keel.agent.console;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.util.Locale;

/**
 * Tells how long the server spent on each console page in a {@code Server-Timing} header (the
 * browser's developer tools show it; the page benchmark reads it), and keeps pages out of caches.
 */
@Provider
@PreMatching
public class ConsoleTiming implements ContainerRequestFilter, ContainerResponseFilter {

    private static final String STARTED = ConsoleTiming.class.getName() + ".started";

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getUriInfo().getPath().startsWith("/console")) {
            request.setProperty(STARTED, System.nanoTime());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(STARTED) instanceof Long started) {
            double ms = (System.nanoTime() - started) / 1e6;
            response.getHeaders().putSingle("Server-Timing", String.format(Locale.ROOT, "app;dur=%.1f", ms));
            response.getHeaders().putSingle("Cache-Control", "no-store");
            response.getHeaders().putSingle("X-Frame-Options", "DENY");
            response.getHeaders().putSingle("Referrer-Policy", "same-origin");
        }
    }
}
