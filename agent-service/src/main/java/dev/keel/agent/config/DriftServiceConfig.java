package dev.keel.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where drift-service answers; the agent calls it with the bootstrap admin key. */
@ConfigMapping(prefix = "keel.drift")
public interface DriftServiceConfig {

    /** Base URL (env KEEL_DRIFT_URL); default http://localhost:8082. */
    @WithDefault("http://localhost:8082")
    String url();
}
