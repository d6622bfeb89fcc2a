package dev.keel.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where registry-service answers; the agent calls it with the bootstrap admin key. */
@ConfigMapping(prefix = "keel.registry")
public interface RegistryServiceConfig {

    /** Base URL (env KEEL_REGISTRY_URL); default http://localhost:8081. */
    @WithDefault("http://localhost:8081")
    String url();
}
