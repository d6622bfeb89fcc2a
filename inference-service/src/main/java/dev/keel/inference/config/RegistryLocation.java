package dev.keel.inference.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where registry-service answers. */
@ConfigMapping(prefix = "keel.registry")
public interface RegistryLocation {

    /** Base URL of registry-service (env KEEL_REGISTRY_URL); default http://localhost:8081. */
    @WithDefault("http://localhost:8081")
    String url();
}
