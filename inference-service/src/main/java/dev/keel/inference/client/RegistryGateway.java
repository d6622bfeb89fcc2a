package dev.keel.inference.client;

import dev.keel.common.security.AuthConfig;
import dev.keel.common.security.BootstrapKey;
import dev.keel.inference.config.InferenceConfig;
import dev.keel.inference.config.RegistryLocation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Inference's view of the registry: the production versions (cheaply, by ETag) and artifact bytes,
 * called with the service credential.
 */
@ApplicationScoped
public class RegistryGateway {

    private final RegistryApi api;
    private final String authorization;
    private final String url;

    public RegistryGateway(@RestClient RegistryApi api, InferenceConfig config, AuthConfig auth, RegistryLocation location) {
        this.api = api;
        this.authorization = config.registryApiKey().map(String::strip).filter(key -> !key.isEmpty())
                .or(() -> BootstrapKey.of(auth)).map(key -> "Bearer " + key).orElse(null);
        this.url = location.url();
    }

    /** Where the registry is expected, for log lines and health data. */
    public String url() {
        return url;
    }

    /** The current production versions, or empty when they have not changed since {@code etag}. */
    public Optional<Snapshot> productionVersions(String etag) {
        RestResponse<ProductionVersions> response = api.productionVersions(authorization, etag);
        if (response.getStatus() == 304) {
            return Optional.empty();
        }
        return Optional.of(new Snapshot(response.getEntity(), response.getHeaderString("ETag")));
    }

    public byte[] artifact(String project, String model, int version) {
        return api.artifact(authorization, model, version, project);
    }

    public record Snapshot(ProductionVersions versions, String etag) {
    }
}
