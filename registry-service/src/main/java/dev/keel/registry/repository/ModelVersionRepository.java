package dev.keel.registry.repository;

import dev.keel.registry.domain.Stage;
import dev.keel.registry.entity.ModelVersionEntity;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ModelVersionRepository implements PanacheRepository<ModelVersionEntity> {

    public Optional<ModelVersionEntity> findVersion(long modelId, int version) {
        return find("modelId = ?1 and version = ?2", modelId, version).firstResultOptional();
    }

    /** The version a training run registered, if it registered one of this model. */
    public Optional<ModelVersionEntity> fromTrainingRun(long modelId, long trainingRunId) {
        return find("modelId = ?1 and trainingRunId = ?2", Sort.ascending("version"), modelId, trainingRunId)
                .firstResultOptional();
    }

    public PanacheQuery<ModelVersionEntity> byModel(long modelId) {
        return find("modelId", Sort.descending("version"), modelId);
    }

    public int nextVersionNumber(long modelId) {
        Integer max = getEntityManager()
                .createQuery("select max(v.version) from ModelVersionEntity v where v.modelId = :model", Integer.class)
                .setParameter("model", modelId)
                .getSingleResult();
        return max == null ? 1 : max + 1;
    }

    public Optional<ModelVersionEntity> latest(long modelId) {
        return byModel(modelId).firstResultOptional();
    }

    /** The newest version (by when it entered the stage) in {@code stage}; production has at most one. */
    public Optional<ModelVersionEntity> inStage(long modelId, Stage stage) {
        return find("modelId = ?1 and stage = ?2", Sort.descending("stageChangedAt").and("version", Sort.Direction.Descending),
                modelId, stage).firstResultOptional();
    }

    /**
     * Every production version of the given projects' models (all projects when {@code projectId} is
     * null) with the project and model names, ordered by project and model.
     */
    public List<Object[]> productionVersions(Long projectId) {
        String where = projectId == null ? "" : " and p.id = :project";
        var query = getEntityManager().createQuery("""
                select p.name, m.name, v from ModelVersionEntity v, RegisteredModelEntity m, ProjectEntity p
                where v.modelId = m.id and m.projectId = p.id and v.stage = :stage""" + where
                + " order by p.name, m.name", Object[].class)
                .setParameter("stage", Stage.PRODUCTION);
        if (projectId != null) {
            query.setParameter("project", projectId);
        }
        return query.getResultList();
    }
}
