package dev.keel.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where training-service answers; the agent calls it with the bootstrap admin key. */
@ConfigMapping(prefix = "keel.training")
public interface TrainingServiceConfig {

    /** Base URL (env KEEL_TRAINING_URL); default http://localhost:8083. */
    @WithDefault("http://localhost:8083")
    String url();
}
