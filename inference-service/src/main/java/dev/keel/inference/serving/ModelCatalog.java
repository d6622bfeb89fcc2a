package dev.keel.inference.serving;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The models being served, by project and name. Reads are a volatile read and two map lookups;
 * a change publishes a whole new map, so readers never see a half-made update.
 */
@ApplicationScoped
public class ModelCatalog {

    private volatile Map<String, Map<String, ServedModel>> byProject = Map.of();

    public Optional<ServedModel> find(String project, String model) {
        Map<String, ServedModel> models = byProject.get(project);
        return models == null ? Optional.empty() : Optional.ofNullable(models.get(model));
    }

    public List<ServedModel> all() {
        return byProject.values().stream().map(Map::values).flatMap(Collection::stream).toList();
    }

    public boolean isEmpty() {
        return byProject.isEmpty();
    }

    /** Replaces the whole catalog at once. */
    synchronized void publish(Collection<ServedModel> models) {
        Map<String, Map<String, ServedModel>> next = new HashMap<>();
        for (ServedModel m : models) {
            next.computeIfAbsent(m.project(), p -> new HashMap<>()).put(m.name(), m);
        }
        next.replaceAll((project, byName) -> Map.copyOf(byName));
        byProject = Map.copyOf(next);
    }
}
