package dev.keel.drift.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/** Where agent-service answers, to which drift reports the alerts it raises. */
@ConfigMapping(prefix = "keel.agent")
public interface AgentLocation {

    /** agent-service's base URL (env KEEL_AGENT_URL); default http://localhost:8084. */
    @WithDefault("http://localhost:8084")
    URI url();

    /** Whether raised alerts are sent to the agent as signals (env KEEL_AGENT_SEND_SIGNALS); default true. */
    @WithDefault("true")
    boolean sendSignals();

    /** How long one signal may take, connect and answer together (env KEEL_AGENT_TIMEOUT); default 5s. */
    @WithDefault("5s")
    Duration timeout();
}
