package dev.keel.training.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the model registry is. The client authenticates with the global bootstrap key
 * ({@code keel.admin-key}, env KEEL_ADMIN_KEY) and names the project of each call.
 * Timeouts and retries are MicroProfile Fault Tolerance settings of {@code RegistryClient}.
 */
@ConfigMapping(prefix = "keel.registry")
public interface RegistryConfig {

    /** Base URL of the registry service (env KEEL_REGISTRY_URL); default http://localhost:8081. */
    @WithDefault("http://localhost:8081")
    String url();
}
