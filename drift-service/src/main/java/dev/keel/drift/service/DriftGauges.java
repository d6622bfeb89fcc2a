package dev.keel.drift.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Latest drift and performance figures as Prometheus gauges (the registry behind /q/metrics and
 * /monitor/metrics): {@code keel_drift_score{project,model,version}},
 * {@code keel_drift_feature_score{project,model,version,feature}} and
 * {@code keel_model_performance{project,model,version,kind,metric}}.
 */
@ApplicationScoped
public class DriftGauges {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

    public DriftGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    public void driftScore(String project, String model, int version, double score) {
        set("keel.drift.score", "Latest drift score of a model version (largest feature score, 0..1)",
                Tags.of("project", project, "model", model, "version", Integer.toString(version)), score);
    }

    public void featureScore(String project, String model, int version, String feature, double score) {
        set("keel.drift.feature.score", "Latest drift score of one feature (0..1)",
                Tags.of("project", project, "model", model, "version", Integer.toString(version), "feature", feature), score);
    }

    public void performance(String project, String model, int version, String kind, String metric, double value) {
        set("keel.model.performance", "Latest bucket's model quality metric (realized from labels or estimated)",
                Tags.of("project", project, "model", model, "version", Integer.toString(version), "kind", kind,
                        "metric", metric), value);
    }

    private void set(String name, String help, Tags tags, double value) {
        String key = name + tags;
        AtomicLong holder = values.computeIfAbsent(key, k -> {
            AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
            Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get())).description(help).tags(tags).register(registry);
            return bits;
        });
        holder.set(Double.doubleToLongBits(value));
    }
}
