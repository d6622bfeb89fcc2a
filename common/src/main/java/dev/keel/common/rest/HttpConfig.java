package dev.keel.common.rest;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/** How a Keel service answers at the HTTP edge, before its resources run. */
@ConfigMapping(prefix = "keel.http")
public interface HttpConfig {

    /**
     * Path prefixes whose errors have the Open Inference Protocol's {@code {"error": "..."}} body instead
     * of a problem document ({@code KEEL_HTTP_PROTOCOL_ERROR_PATHS}; inference sets {@code /v2}).
     */
    Optional<List<String>> protocolErrorPaths();
}
