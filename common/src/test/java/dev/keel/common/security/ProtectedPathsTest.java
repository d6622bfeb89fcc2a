package dev.keel.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProtectedPathsTest {

    @Test
    void theApiIsProtectedAndQuarkusEndpointsAreNot() {
        ProtectedPaths paths = new ProtectedPaths(List.of("/api/"));
        assertThat(paths.covers("/api/v1/models")).isTrue();
        assertThat(paths.covers("api/v1/models")).isTrue();
        assertThat(paths.covers("/api")).isTrue();
        assertThat(paths.covers("/q/health")).isFalse();
        assertThat(paths.covers("/apix")).isFalse();
    }

    @Test
    void inferenceAddsTheOpenInferenceProtocolPaths() {
        ProtectedPaths paths = new ProtectedPaths(List.of("/api/", "v2/", " "));
        assertThat(paths.covers("/v2/models/churn/infer")).isTrue();
        assertThat(paths.covers("/v1/other")).isFalse();
    }
}
