package dev.keel.registry.repository;

import dev.keel.registry.entity.ApiKeyEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepository<ApiKeyEntity> {

    public List<ApiKeyEntity> listByProject(long projectId) {
        return list("projectId", Sort.by("createdAt").and("id"), projectId);
    }

    /**
     * Marks the key revoked at {@code at} unless it is revoked already; whether this call revoked it.
     * One conditional UPDATE: of two revocations at once, the second waits for the first's row lock,
     * then finds the key revoked and changes nothing.
     */
    public boolean revoke(long id, Instant at) {
        return update("revokedAt = ?1 where id = ?2 and revokedAt is null", at, id) == 1;
    }

    public Optional<ApiKeyEntity> findByName(long projectId, String name) {
        return find("projectId = ?1 and name = ?2", projectId, name).firstResultOptional();
    }
}
