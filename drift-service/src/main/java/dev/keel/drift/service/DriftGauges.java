package dev.keel.drift.service;

import dev.keel.drift.repository.ModelVersionRef;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Latest drift and performance figures as Prometheus gauges (the registry behind /q/metrics and
 * /monitor/metrics): {@code keel_drift_score{project,model,version}},
 * {@code keel_drift_feature_score{project,model,version,feature}} and
 * {@code keel_model_performance{project,model,version,kind,metric}}.
 *
 * <p>A gauge holds its last value until it is removed, and alerts fire on it; so the scheduled
 * jobs {@link #retainDrift retain} and {@link #retainPerformance retain} only the series of
 * versions still in production, or a rolled-back version would keep alerting on what it last saw.
 */
@ApplicationScoped
public class DriftGauges {

    private final MeterRegistry registry;
    private final Map<Key, Series> series = new ConcurrentHashMap<>();

    public DriftGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Which model version a series belongs to. */
    private record Owner(String project, String model, int version) {

        static Owner of(ModelVersionRef v) {
            return new Owner(v.projectName(), v.modelName(), v.version());
        }
    }

    /** Which job keeps a series current, and so which retains it. */
    private enum Family { DRIFT, PERFORMANCE }

    /** One series: the meter's name, its family, its version and its tags. */
    private record Key(String name, Family family, Owner owner, Tags tags) {
    }

    private record Series(Gauge gauge, AtomicLong bits) {
    }

    public void driftScore(String project, String model, int version, double score) {
        set("keel.drift.score", "Latest drift score of a model version (largest feature score, 0..1)", Family.DRIFT,
                new Owner(project, model, version), Tags.empty(), score);
    }

    public void featureScore(String project, String model, int version, String feature, double score) {
        set("keel.drift.feature.score", "Latest drift score of one feature (0..1)", Family.DRIFT,
                new Owner(project, model, version), Tags.of("feature", feature), score);
    }

    public void performance(String project, String model, int version, String kind, String metric, double value) {
        set("keel.model.performance", "Latest bucket's model quality metric (realized from labels or estimated)",
                Family.PERFORMANCE, new Owner(project, model, version), Tags.of("kind", kind, "metric", metric), value);
    }

    /**
     * Removes the drift gauges ({@code keel_drift_score}, {@code keel_drift_feature_score}) of every
     * version not in {@code current}; answers how many series went.
     */
    public int retainDrift(Collection<ModelVersionRef> current) {
        return retain(Family.DRIFT, current);
    }

    /** Removes the {@code keel_model_performance} gauges of every version not in {@code current}; answers how many went. */
    public int retainPerformance(Collection<ModelVersionRef> current) {
        return retain(Family.PERFORMANCE, current);
    }

    private int retain(Family family, Collection<ModelVersionRef> current) {
        Set<Owner> keep = current.stream().map(Owner::of).collect(Collectors.toSet());
        int removed = 0;
        for (Key key : series.keySet()) {
            if (key.family() == family && !keep.contains(key.owner()) && remove(key)) {
                removed++;
            }
        }
        return removed;
    }

    private boolean remove(Key key) {
        boolean[] removed = {false};
        // atomic with set() on the same key, so a value written meanwhile is never left on a removed meter
        series.computeIfPresent(key, (k, s) -> {
            registry.remove(s.gauge());
            removed[0] = true;
            return null;
        });
        return removed[0];
    }

    private void set(String name, String help, Family family, Owner owner, Tags extra, double value) {
        Tags tags = Tags.of("project", owner.project(), "model", owner.model(), "version",
                Integer.toString(owner.version())).and(extra);
        series.compute(new Key(name, family, owner, tags), (k, s) -> {
            Series held = s;
            if (held == null) {
                AtomicLong bits = new AtomicLong();
                Gauge gauge = Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get())).description(help)
                        .tags(tags).register(registry);
                held = new Series(gauge, bits);
            }
            held.bits().set(Double.doubleToLongBits(value));
            return held;
        });
    }
}
