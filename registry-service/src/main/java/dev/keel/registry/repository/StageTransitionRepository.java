package dev.keel.registry.repository;

import dev.keel.registry.domain.Stage;
import dev.keel.registry.entity.StageTransitionEntity;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class StageTransitionRepository implements PanacheRepository<StageTransitionEntity> {

    /** A model's history, newest first. */
    public PanacheQuery<StageTransitionEntity> history(long modelId) {
        return find("modelId", Sort.descending("createdAt").and("id", Sort.Direction.Descending), modelId);
    }

    /** The most recent entry into production of a version other than {@code excludingVersionId}. */
    public Optional<StageTransitionEntity> lastPromotionExcept(long modelId, long excludingVersionId) {
        return find("modelId = ?1 and toStage = ?2 and versionId <> ?3",
                Sort.descending("createdAt").and("id", Sort.Direction.Descending),
                modelId, Stage.PRODUCTION, excludingVersionId).firstResultOptional();
    }

    /** Whether the model's history has the version entering production (promoted, forced or rolled back to). */
    public boolean wasInProduction(long modelId, long versionId) {
        return count("modelId = ?1 and versionId = ?2 and toStage = ?3", modelId, versionId, Stage.PRODUCTION) > 0;
    }
}
