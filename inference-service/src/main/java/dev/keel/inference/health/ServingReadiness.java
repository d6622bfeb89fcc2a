package dev.keel.inference.health;

import dev.keel.inference.serving.ModelCatalog;
import dev.keel.inference.serving.ProductionModelWatcher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while there is something to serve, or nothing is expected: a registry outage alone does not
 * take a replica with loaded models out of the load balancer.
 */
@Readiness
@ApplicationScoped
public class ServingReadiness implements HealthCheck {

    private final ModelCatalog catalog;
    private final ProductionModelWatcher watcher;

    public ServingReadiness(ModelCatalog catalog, ProductionModelWatcher watcher) {
        this.catalog = catalog;
        this.watcher = watcher;
    }

    @Override
    public HealthCheckResponse call() {
        boolean up = !catalog.isEmpty() || watcher.registryReachable();
        return HealthCheckResponse.named("Model serving")
                .status(up)
                .withData("models", catalog.all().size())
                .withData("registry", watcher.registryReachable() ? "reachable" : "unreachable")
                .build();
    }
}
