package dev.keel.common.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Optional;

/**
 * The bootstrap admin key: {@code KEEL_ADMIN_KEY}, else the content of the file named by
 * {@code KEEL_ADMIN_KEY_FILE} (a mounted Kubernetes Secret). Services check callers against it and
 * present it when they call each other.
 */
public final class BootstrapKey {

    private BootstrapKey() {
    }

    public static Optional<String> of(AuthConfig config) {
        Optional<String> key = config.adminKey().map(String::strip).filter(k -> !k.isEmpty());
        if (key.isPresent() || config.adminKeyFile().isEmpty()) {
            return key;
        }
        try {
            return Optional.of(Files.readString(config.adminKeyFile().get()).strip()).filter(k -> !k.isEmpty());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the bootstrap admin key file " + config.adminKeyFile().get(), e);
        }
    }

    /** {@code Bearer <key>}, for calls to other Keel services; empty without a bootstrap key. */
    public static Optional<String> authorization(AuthConfig config) {
        return of(config).map(k -> "Bearer " + k);
    }
}
