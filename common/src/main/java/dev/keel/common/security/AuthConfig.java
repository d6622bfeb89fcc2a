package dev.keel.common.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How every Keel service authenticates API keys. */
@ConfigMapping(prefix = "keel")
public interface AuthConfig {

    /**
     * The global bootstrap admin key ({@code KEEL_ADMIN_KEY}), admin over every project; services use
     * it to call each other. No default: without it (and without {@link #adminKeyFile()}) only
     * project keys work, and projects cannot be created.
     */
    Optional<String> adminKey();

    /**
     * A file holding the bootstrap admin key ({@code KEEL_ADMIN_KEY_FILE}), for a Kubernetes Secret
     * mounted as a volume; surrounding whitespace is ignored. Used when {@link #adminKey()} is unset.
     */
    Optional<Path> adminKeyFile();

    Auth auth();

    interface Auth {

        /**
         * Path prefixes that need an API key ({@code KEEL_AUTH_PROTECTED_PATHS}). Default {@code /api/};
         * inference adds {@code /v2/}. Health, metrics and OpenAPI under {@code /q/} stay open.
         */
        @WithDefault("/api/")
        List<String> protectedPaths();

        /**
         * How long a verified key is trusted without asking the database again
         * ({@code KEEL_AUTH_CACHE_TTL}). Default 30 seconds: a key revoked on another replica stops
         * working within this time (the replica that revokes it forgets it at once).
         */
        @WithDefault("30S")
        Duration cacheTtl();

        /** Most verified keys held in memory ({@code KEEL_AUTH_CACHE_MAX_ENTRIES}). Default 10000. */
        @WithDefault("10000")
        int cacheMaxEntries();

        /**
         * While PostgreSQL cannot be reached, how long after the database last confirmed it a key in
         * use keeps passing from the cache ({@code KEEL_AUTH_OUTAGE_GRACE}). Default 1 hour: predictions
         * go on through an outage; a key revoked meanwhile stops passing once the database answers.
         */
        @WithDefault("1H")
        Duration outageGrace();

        /**
         * How often the time keys were last used is written back ({@code KEEL_AUTH_LAST_USED_FLUSH_INTERVAL}),
         * in one batched update, never on the request path. Default 30 seconds.
         */
        @WithDefault("30S")
        Duration lastUsedFlushInterval();
    }
}
