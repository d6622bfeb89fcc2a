package dev.keel.common.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** The path prefixes whose requests need an API key, from {@code keel.auth.protected-paths}. */
@ApplicationScoped
public class ProtectedPaths {

    private final List<String> prefixes;

    @Inject
    public ProtectedPaths(AuthConfig config) {
        this(config.auth().protectedPaths());
    }

    public ProtectedPaths(List<String> prefixes) {
        this.prefixes = prefixes.stream().map(String::strip).filter(p -> !p.isEmpty())
                .map(p -> p.startsWith("/") ? p : "/" + p)
                .toList();
    }

    public boolean covers(String path) {
        String normalized = path.startsWith("/") ? path : "/" + path;
        for (String prefix : prefixes) {
            if (normalized.startsWith(prefix) || (normalized + "/").equals(prefix)) {
                return true;
            }
        }
        return false;
    }
}
