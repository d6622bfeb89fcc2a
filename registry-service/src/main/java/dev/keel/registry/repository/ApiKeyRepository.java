package dev.keel.registry.repository;

import dev.keel.registry.entity.ApiKeyEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepository<ApiKeyEntity> {

    public List<ApiKeyEntity> listByProject(long projectId) {
        return list("projectId", Sort.by("createdAt").and("id"), projectId);
    }

    public Optional<ApiKeyEntity> findByName(long projectId, String name) {
        return find("projectId = ?1 and name = ?2", projectId, name).firstResultOptional();
    }
}
