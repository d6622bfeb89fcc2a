package dev.keel.drift.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.stats.baseline.BaselineStatistics;
import dev.keel.drift.config.DriftConfig;
import dev.keel.drift.mapping.BaselineMapping;
import dev.keel.drift.repository.ModelVersionRef;
import dev.keel.drift.stats.Baseline;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Parsed baselines, cached per model version for a while: parsing 20 features' samples costs
 * milliseconds, which /monitor should not pay on every call. A version's baseline never changes
 * once recorded, so the TTL only bounds memory for versions nobody asks about any more.
 */
@ApplicationScoped
public class BaselineService {

    private static final Logger LOG = Logger.getLogger(BaselineService.class);

    private final ObjectMapper json;
    private final DriftConfig config;
    private final Map<Long, Cached> cache = new ConcurrentHashMap<>();

    public BaselineService(ObjectMapper json, DriftConfig config) {
        // A stored document, not a request: a baseline made elsewhere may write its counts as 300.0,
        // which the services' strict request reading (common's StrictJson) refuses for an integer.
        this.json = json.copy().enable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        this.config = config;
    }

    private record Cached(Baseline baseline, Instant loadedAt) {
    }

    /** The version's baseline; 422 naming {@code field} when it has none or it cannot be read. */
    public Baseline baselineOf(ModelVersionRef version, String field) {
        Cached cached = cache.get(version.versionId());
        if (cached != null && cached.loadedAt.plus(config.monitor().baselineTtl()).isAfter(Instant.now())) {
            return cached.baseline;
        }
        if (version.baselineJson() == null) {
            throw ProblemException.unprocessable(field, "Model version " + version.label()
                    + " has no baseline statistics to compare with; they are recorded when the version is trained by "
                    + "training-service, and for an uploaded model by the registry's evaluate?record=true on a labelled CSV");
        }
        Baseline baseline;
        try {
            baseline = BaselineMapping.toBaseline(json.readValue(version.baselineJson(), BaselineStatistics.class));
        } catch (IllegalArgumentException e) {
            throw ProblemException.unprocessable(field, "The baseline statistics of " + version.label()
                    + " cannot be read: " + e.getMessage());
        } catch (IOException e) {
            // Jackson's message names Java types; the operator gets it in the log, the client the gist
            LOG.warnf("Baseline statistics of %s cannot be read: %s", version.label(), e.getMessage());
            throw ProblemException.unprocessable(field, "The baseline statistics of " + version.label()
                    + " cannot be read as Keel's baseline format (format_version " + BaselineStatistics.FORMAT_VERSION
                    + "); the service's log says where");
        }
        cache.put(version.versionId(), new Cached(baseline, Instant.now()));
        return baseline;
    }

    public boolean anyLoaded() {
        return !cache.isEmpty();
    }
}
