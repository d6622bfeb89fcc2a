package dev.keel.inference.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How inference serves: where production versions come from, request limits and rate limits. */
@ConfigMapping(prefix = "keel.inference")
public interface InferenceConfig {

    /**
     * The key inference presents to the registry (env KEEL_INFERENCE_REGISTRY_API_KEY); unset, the
     * bootstrap admin key (KEEL_ADMIN_KEY, or the file KEEL_ADMIN_KEY_FILE names). The registry's URL
     * is KEEL_REGISTRY_URL.
     */
    Optional<String> registryApiKey();

    /** How often the registry is asked for changed production versions (env KEEL_INFERENCE_POLL_INTERVAL); default 2s. */
    @WithDefault("2s")
    Duration pollInterval();

    /** Most rows in one batch request (env KEEL_INFERENCE_MAX_BATCH_ROWS); default 10000. */
    @WithDefault("10000")
    int maxBatchRows();

    /**
     * Whether a request may leave features out, sending them to the model as missing
     * (env KEEL_INFERENCE_ALLOW_MISSING); default false: a missing feature is a 422.
     */
    @WithDefault("false")
    boolean allowMissing();

    /**
     * Whether every request gets an access-log line (env KEEL_INFERENCE_ACCESS_LOG): client, the
     * answer's {@code X-Request-Id}, request line, status, bytes, milliseconds, on the category
     * {@code io.quarkus.http.access-log}; default false. Read by {@code quarkus.http.access-log.enabled}.
     */
    @WithDefault("false")
    boolean accessLog();

    /**
     * Whether each prediction is logged with its feature values, one INFO line per row on the category
     * {@code dev.keel.inference.predictions} (env KEEL_INFERENCE_LOG_FEATURES); default false: no log
     * line carries feature values.
     */
    @WithDefault("false")
    boolean logFeatures();

    /** Whether {@code POST /api/v1/noop}, the benchmark's floor, answers (env KEEL_INFERENCE_NOOP_ENABLED); default false. */
    @WithDefault("false")
    boolean noopEnabled();

    RateLimit rateLimit();

    /** A token bucket per API key. */
    interface RateLimit {

        /** Whether requests are rate-limited (env KEEL_INFERENCE_RATE_LIMIT_ENABLED); default true. */
        @WithDefault("true")
        boolean enabled();

        /** Sustained requests per second per key (env KEEL_INFERENCE_RATE_LIMIT_REQUESTS_PER_SECOND); default 1000. */
        @WithDefault("1000")
        double requestsPerSecond();

        /** Burst size per key (env KEEL_INFERENCE_RATE_LIMIT_BURST); default 2000. */
        @WithDefault("2000")
        int burst();
    }
}
