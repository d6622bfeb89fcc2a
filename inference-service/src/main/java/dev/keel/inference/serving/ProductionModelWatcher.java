package dev.keel.inference.serving;

import dev.keel.common.features.CategoryCodes;
import dev.keel.common.features.FeatureSpec;
import dev.keel.common.model.MissingValues;
import dev.keel.common.model.ModelFormatException;
import dev.keel.common.model.XgbModel;
import dev.keel.common.text.Sha256;
import dev.keel.inference.client.Deployment;
import dev.keel.inference.client.RegistryGateway;
import dev.keel.inference.config.InferenceConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Keeps the catalog on the registry's production versions. Every few seconds it asks the registry
 * (a 304 when nothing changed); a new version is downloaded, checked against its SHA-256, parsed and
 * made to predict before it replaces the old one, which serves until then. A version that fails any
 * of this is not served, and the previous one stays. It is tried again after a pause that doubles
 * with each failure, from the poll interval up to {@link #MAX_RETRY_PAUSE}: a corrupt artifact or a
 * schema that does not fit stays so, and downloading it again at every poll would cost the registry
 * the artifact's size every few seconds per replica, and the log an error each time.
 */
@ApplicationScoped
public class ProductionModelWatcher {

    private static final Logger LOG = Logger.getLogger(ProductionModelWatcher.class);
    static final Duration MAX_RETRY_PAUSE = Duration.ofMinutes(5);

    /** A version that failed to load: how often in a row, and not to be tried again before {@code retryAt}. */
    private record Failure(int failures, Instant retryAt) {
    }

    private final RegistryGateway registry;
    private final ModelCatalog catalog;
    private final MeterRegistry meters;
    private final Duration pollInterval;
    /** Versions that failed to load, by project, model, version and checksum; guarded by sync's lock. */
    private final Map<String, Failure> failed = new HashMap<>();

    private volatile String etag;
    private volatile boolean registryReachable;
    private volatile Instant lastSync;

    public ProductionModelWatcher(RegistryGateway registry, ModelCatalog catalog, MeterRegistry meters, InferenceConfig config) {
        this.registry = registry;
        this.catalog = catalog;
        this.meters = meters;
        this.pollInterval = config.pollInterval();
    }

    void onStart(@Observes StartupEvent event) {
        sync();
    }

    @Scheduled(identity = "production-model-watch", every = "${keel.inference.poll-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, delayed = "1s")
    void poll() {
        sync();
    }

    /** One round: ask, load what changed, publish. Never throws: serving goes on with what it has. */
    public synchronized void sync() {
        Optional<RegistryGateway.Snapshot> snapshot;
        try {
            snapshot = registry.productionVersions(etag);
        } catch (RuntimeException e) {
            if (registryReachable || lastSync == null) {
                LOG.warnf("Registry at %s unreachable (%s); serving the %d loaded models", registry.url(), e.getMessage(),
                        catalog.all().size());
            }
            registryReachable = false;
            return;
        }
        registryReachable = true;
        lastSync = Instant.now();
        if (snapshot.isEmpty()) {
            return;
        }
        boolean complete = apply(snapshot.get().versions().versions());
        // keep asking with the old ETag until every version loaded, so a failed load is retried
        if (complete) {
            etag = snapshot.get().etag();
        }
    }

    public boolean registryReachable() {
        return registryReachable;
    }

    private boolean apply(List<Deployment> deployments) {
        Map<String, ServedModel> current = new HashMap<>();
        for (ServedModel m : catalog.all()) {
            current.put(key(m.project(), m.name()), m);
        }
        List<ServedModel> next = new ArrayList<>();
        boolean complete = true;
        Instant now = Instant.now();
        Map<String, Failure> stillFailing = new HashMap<>();
        for (Deployment d : deployments) {
            ServedModel served = current.get(key(d.project(), d.model()));
            if (served != null && served.version() == d.version() && served.sha256().equals(d.artifact().sha256())) {
                next.add(served.decisionThreshold() == d.decisionThreshold() ? served : served.withThreshold(d.decisionThreshold()));
                continue;
            }
            String attempt = key(d.project(), d.model()) + '\u0000' + d.version() + '\u0000' + d.artifact().sha256();
            Failure before = failed.get(attempt);
            if (before != null && now.isBefore(before.retryAt())) {
                complete = false;
                stillFailing.put(attempt, before);
                if (served != null) {
                    next.add(served);
                }
                continue;
            }
            try {
                ServedModel loaded = load(d);
                next.add(loaded);
                LOG.infof("Serving %s/%s version %d (was %s)", d.project(), d.model(), d.version(),
                        served == null ? "none" : "version " + served.version());
                loads(d, "loaded").increment();
            } catch (RuntimeException e) {
                complete = false;
                loads(d, "failed").increment();
                Failure failure = failedAgain(before, now);
                stillFailing.put(attempt, failure);
                LOG.errorf("Cannot serve %s/%s version %d: %s; %s; trying again in %d s", d.project(), d.model(), d.version(),
                        e.getMessage(),
                        served == null ? "the model stays unavailable" : "version " + served.version() + " keeps serving",
                        Duration.between(now, failure.retryAt()).toSeconds());
                if (served != null) {
                    next.add(served);
                }
            }
        }
        // a version no longer announced (or announced with another artifact) is forgotten with its failures
        failed.clear();
        failed.putAll(stillFailing);
        for (ServedModel gone : current.values()) {
            if (next.stream().noneMatch(m -> m.project().equals(gone.project()) && m.name().equals(gone.name()))) {
                LOG.infof("No longer serving %s/%s: it has no production version", gone.project(), gone.name());
            }
        }
        catalog.publish(next);
        return complete;
    }

    /** The pause after one more failure in a row: the poll interval, doubled for each failure before, at most {@link #MAX_RETRY_PAUSE}. */
    private Failure failedAgain(Failure before, Instant now) {
        int failures = before == null ? 1 : before.failures() + 1;
        Duration pause = pollInterval;
        for (int i = 1; i < failures && pause.compareTo(MAX_RETRY_PAUSE) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        if (pause.compareTo(MAX_RETRY_PAUSE) > 0) {
            pause = MAX_RETRY_PAUSE;
        }
        return new Failure(failures, now.plus(pause));
    }

    private ServedModel load(Deployment d) {
        byte[] bytes = registry.artifact(d.project(), d.model(), d.version());
        String sha256 = Sha256.hex(bytes);
        if (!sha256.equals(d.artifact().sha256())) {
            throw new IllegalStateException("artifact checksum " + sha256 + " does not match the registry's " + d.artifact().sha256());
        }
        XgbModel model;
        try {
            model = XgbModel.load(bytes);
        } catch (ModelFormatException e) {
            throw new IllegalStateException("artifact is not a usable XGBoost model: " + e.getMessage(), e);
        }
        List<FeatureSpec> schema = d.featureSchema() == null ? List.of() : d.featureSchema();
        verifySchema(model, schema);
        // a smoke prediction with every feature missing exercises every tree's default path
        float[] smoke = model.toRow(Map.of(), MissingValues.ALLOW);
        float[] out = model.predict(smoke);
        for (float v : out) {
            if (Float.isNaN(v)) {
                throw new IllegalStateException("smoke prediction is NaN");
            }
        }
        return new ServedModel(d.project(), d.model(), d.version(), model, schema, CategoryCodes.of(schema),
                d.decisionThreshold(), sha256, Instant.now());
    }

    private static void verifySchema(XgbModel model, List<FeatureSpec> schema) {
        if (schema.isEmpty()) {
            return;
        }
        List<String> names = schema.stream().map(FeatureSpec::name).toList();
        if (!names.equals(model.featureNames())) {
            throw new IllegalStateException("registry feature schema " + names + " does not match the model's features "
                    + model.featureNames());
        }
    }

    private static String key(String project, String model) {
        return project + '\u0000' + model;
    }

    private Counter loads(Deployment d, String outcome) {
        return Counter.builder("keel_inference_model_loads").description("Production versions loaded (or failed to load) for serving")
                .tags("project", d.project(), "model", d.model(), "outcome", outcome).register(meters);
    }
}
