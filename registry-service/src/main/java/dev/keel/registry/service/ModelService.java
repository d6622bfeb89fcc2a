package dev.keel.registry.service;

import dev.keel.common.problem.ProblemException;
import dev.keel.common.retrain.RetrainCron;
import dev.keel.common.retrain.RetrainSource;
import dev.keel.common.security.ProjectRef;
import dev.keel.registry.api.CreateModelRequest;
import dev.keel.registry.api.ModelView;
import dev.keel.registry.api.PageView;
import dev.keel.registry.api.UpdateModelRequest;
import dev.keel.registry.domain.Stage;
import dev.keel.registry.entity.ModelVersionEntity;
import dev.keel.registry.entity.ProjectEntity;
import dev.keel.registry.entity.RegisteredModelEntity;
import dev.keel.registry.mapping.RegistryMapper;
import dev.keel.registry.repository.ModelVersionRepository;
import dev.keel.registry.repository.ProjectRepository;
import dev.keel.registry.repository.RegisteredModelRepository;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Registered models: a project's named models, each with numbered versions. */
@ApplicationScoped
@Transactional
public class ModelService {

    private static final Logger LOG = Logger.getLogger(ModelService.class);

    private final RegisteredModelRepository models;
    private final ModelVersionRepository versions;
    private final ProjectRepository projects;
    private final RegistryMapper mapper;

    public ModelService(RegisteredModelRepository models, ModelVersionRepository versions, ProjectRepository projects,
                        RegistryMapper mapper) {
        this.models = models;
        this.versions = versions;
        this.projects = projects;
        this.mapper = mapper;
    }

    public ModelView create(ProjectRef project, CreateModelRequest request, String actor) {
        if (models.findByName(project.id(), request.name()).isPresent()) {
            throw ProblemException.conflict("Model '" + request.name() + "' already exists in project '" + project.name() + "'");
        }
        RegisteredModelEntity model = new RegisteredModelEntity();
        model.setProjectId(project.id());
        model.setName(request.name());
        model.setDescription(request.description() == null ? "" : request.description());
        model.setTags(request.tags() == null ? Map.of() : request.tags());
        if (request.gateThresholds() != null) {
            model.setGateThresholds(GateThresholds.validated("gate_thresholds", request.gateThresholds()));
        }
        setRetraining(project, model, request.retrainCron(), request.retrainSource());
        Instant now = DatabaseTime.now();
        model.setCreatedAt(now);
        model.setUpdatedAt(now);
        models.persistAndFlush(model);
        LOG.infof("Model %s/%s created by %s", project.name(), model.getName(), actor);
        return view(project, model);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ModelView get(ProjectRef project, String name) {
        return view(project, require(project, name));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PageView<ModelView> list(ProjectRef project, String nameFilter, int page, int size) {
        PanacheQuery<RegisteredModelEntity> query = models.search(project.id(), nameFilter).page(page, size);
        return new PageView<>(query.list().stream().map(m -> view(project, m)).toList(), page, size, query.count());
    }

    public ModelView update(ProjectRef project, String name, UpdateModelRequest request) {
        // locked: two PATCHes of different fields would otherwise each write back the other's old values
        RegisteredModelEntity model = models.lockByName(project.id(), name)
                .orElseThrow(() -> ProblemException.notFound("Model", name));
        if (request.description() != null) {
            model.setDescription(request.description());
        }
        if (request.tags() != null) {
            model.setTags(new HashMap<>(request.tags()));
        }
        if (request.gateThresholds() != null) {
            model.setGateThresholds(request.gateThresholds().isEmpty() ? null
                    : GateThresholds.validated("gate_thresholds", request.gateThresholds()));
        }
        setRetraining(project, model, request.retrainCron(), request.retrainSource());
        model.setUpdatedAt(DatabaseTime.now());
        return view(project, model);
    }

    /** Deletes the model with all its versions, artifacts and history; refused while a version is in production. */
    public void delete(ProjectRef project, String name, String actor) {
        RegisteredModelEntity model = models.lockByName(project.id(), name)
                .orElseThrow(() -> ProblemException.notFound("Model", name));
        versions.inStage(model.getId(), Stage.PRODUCTION).ifPresent(v -> {
            throw ProblemException.conflict("Model '" + name + "' has version " + v.getVersion()
                    + " in production; archive it or roll back before deleting the model");
        });
        models.delete(model);
        LOG.infof("Model %s/%s deleted by %s", project.name(), name, actor);
    }

    /** Null leaves a setting as it is; an empty string clears it (training's default). */
    private void setRetraining(ProjectRef project, RegisteredModelEntity model, String cron, String source) {
        if (cron != null) {
            if (!cron.isBlank() && RetrainCron.parse(cron).isEmpty()) {
                throw ProblemException.unprocessable("retrain_cron", "retrain_cron '" + cron + "' is not a valid cron "
                        + "(Quartz, e.g. '0 0 2 ? * SUN', or five fields, e.g. '0 2 * * 0'; UTC)");
            }
            model.setRetrainCron(cron.isBlank() ? null : cron.strip());
        }
        if (source != null) {
            RetrainSource parsed;
            try {
                parsed = source.isBlank() ? null : RetrainSource.parse(source);
            } catch (IllegalArgumentException e) {
                throw ProblemException.unprocessable("retrain_source", "retrain_source " + e.getMessage());
            }
            if (parsed != null && parsed.kind() == RetrainSource.Kind.DATASET) {
                checkDataset(project, parsed.datasetId());
            }
            model.setRetrainSource(parsed == null ? null : parsed.toString());
        }
    }

    // datasets are training-service's table; a dataset of another project would only make each retraining report no data
    private void checkDataset(ProjectRef project, long datasetId) {
        List<?> found = models.getEntityManager()
                .createNativeQuery("SELECT 1 FROM datasets WHERE id = ?1 AND project_id = ?2")
                .setParameter(1, datasetId).setParameter(2, project.id()).getResultList();
        if (found.isEmpty()) {
            throw ProblemException.unprocessable("retrain_source", "retrain_source: project '" + project.name()
                    + "' has no dataset " + datasetId);
        }
    }

    RegisteredModelEntity require(ProjectRef project, String name) {
        return models.findByName(project.id(), name).orElseThrow(() -> ProblemException.notFound("Model", name));
    }

    /** The thresholds the gate applies to this model. */
    Map<String, Double> effectiveThresholds(RegisteredModelEntity model) {
        ProjectEntity project = projects.findById(model.getProjectId());
        return GateThresholds.effective(project.getGateThresholds(), model.getGateThresholds());
    }

    private ModelView view(ProjectRef project, RegisteredModelEntity model) {
        Integer latest = versions.latest(model.getId()).map(ModelVersionEntity::getVersion).orElse(null);
        Integer production = versions.inStage(model.getId(), Stage.PRODUCTION).map(ModelVersionEntity::getVersion).orElse(null);
        return mapper.model(model, project.name(), effectiveThresholds(model), latest, production);
    }
}
