package dev.keel.inference.health;

import dev.keel.inference.log.PredictionLogWriter;
import dev.keel.inference.serving.ModelCatalog;
import dev.keel.inference.serving.ProductionModelWatcher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while there is something to serve, or nothing is expected: a registry outage alone does not
 * take a replica with loaded models out of the load balancer, and neither does a database outage,
 * which the prediction log rides out on its spill file (the generic database check Quarkus adds is
 * off for this service, see application.properties). What the prediction log is doing is in the
 * check's data: writing to the database, or spilling while it is away, and how many records wait;
 * or, when the spill file cannot be written either (a full or read-only disk), that records are
 * being dropped.
 */
@Readiness
@ApplicationScoped
public class ServingReadiness implements HealthCheck {

    private final ModelCatalog catalog;
    private final ProductionModelWatcher watcher;
    private final PredictionLogWriter log;

    public ServingReadiness(ModelCatalog catalog, ProductionModelWatcher watcher, PredictionLogWriter log) {
        this.catalog = catalog;
        this.watcher = watcher;
        this.log = log;
    }

    @Override
    public HealthCheckResponse call() {
        boolean up = !catalog.isEmpty() || watcher.registryReachable();
        return HealthCheckResponse.named("Model serving")
                .status(up)
                .withData("models", catalog.all().size())
                .withData("registry", watcher.registryReachable() ? "reachable" : "unreachable")
                .withData("prediction_log", predictionLog())
                .withData("prediction_log_spilled_waiting", log.spilledPending())
                .build();
    }

    private String predictionLog() {
        if (log.spillFailing()) {
            // still ready: predictions go on, the lost records are counted (keel_prediction_log_rows_dropped_total)
            return (log.databaseAway() ? "database unreachable and " : "")
                    + "the spill file cannot be written: records are being dropped";
        }
        return log.databaseAway() ? "database unreachable, spilling to disk" : "writing to the database";
    }
}
