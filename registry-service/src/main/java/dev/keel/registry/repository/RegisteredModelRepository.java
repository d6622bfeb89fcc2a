package dev.keel.registry.repository;

import dev.keel.registry.entity.RegisteredModelEntity;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Optional;

@ApplicationScoped
public class RegisteredModelRepository implements PanacheRepository<RegisteredModelEntity> {

    public Optional<RegisteredModelEntity> findByName(long projectId, String name) {
        return find("projectId = ?1 and name = ?2", projectId, name).firstResultOptional();
    }

    /**
     * The model with its row locked until the transaction ends: every change of a model's versions
     * (numbering, promotion, rollback, deletion) takes this lock first, so they happen one at a time.
     */
    public Optional<RegisteredModelEntity> lockByName(long projectId, String name) {
        return find("projectId = ?1 and name = ?2", projectId, name)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    /** Creates the model row if it is missing, without failing when a concurrent request creates it first. */
    public void insertIfAbsent(long projectId, String name) {
        getEntityManager().createNativeQuery(
                        "INSERT INTO registered_models (project_id, name) VALUES (?1, ?2) ON CONFLICT (project_id, name) DO NOTHING")
                .setParameter(1, projectId)
                .setParameter(2, name)
                .executeUpdate();
    }

    /** The project's models, optionally only those whose name contains {@code nameFilter} (case-insensitive). */
    public PanacheQuery<RegisteredModelEntity> search(long projectId, String nameFilter) {
        if (nameFilter == null || nameFilter.isBlank()) {
            return find("projectId", Sort.by("name"), projectId);
        }
        String pattern = "%" + nameFilter.strip().toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return find("projectId = :project and lower(name) like :pattern escape '\\'", Sort.by("name"),
                Parameters.with("project", projectId).and("pattern", pattern));
    }
}
