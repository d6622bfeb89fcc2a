package dev.keel.registry.service;

import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.security.ProjectRef;
import dev.keel.registry.api.PageView;
import dev.keel.registry.api.UpdateVersionRequest;
import dev.keel.registry.api.VersionMetadata;
import dev.keel.registry.api.VersionView;
import dev.keel.common.features.FeatureSpec;
import dev.keel.common.features.FeatureType;
import dev.keel.registry.domain.ModelMetrics;
import dev.keel.registry.domain.Stage;
import dev.keel.registry.domain.TransitionKind;
import dev.keel.registry.entity.ModelVersionEntity;
import dev.keel.registry.entity.RegisteredModelEntity;
import dev.keel.registry.entity.StageTransitionEntity;
import dev.keel.registry.mapping.JsonDocuments;
import dev.keel.registry.mapping.RegistryMapper;
import dev.keel.registry.repository.ArtifactStore;
import dev.keel.registry.repository.ModelVersionRepository;
import dev.keel.registry.repository.RegisteredModelRepository;
import dev.keel.registry.repository.StageTransitionRepository;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/** Model versions: registration with their artifact, reads, and the few fields that may change later. */
@ApplicationScoped
@Transactional
public class VersionService {

    private static final Logger LOG = Logger.getLogger(VersionService.class);
    private static final double DEFAULT_DECISION_THRESHOLD = 0.5;

    private final RegisteredModelRepository models;
    private final ModelVersionRepository versions;
    private final StageTransitionRepository transitions;
    private final ArtifactStore artifacts;
    private final ModelService modelService;
    private final JsonDocuments json;
    private final RegistryMapper mapper;

    public VersionService(RegisteredModelRepository models, ModelVersionRepository versions,
                          StageTransitionRepository transitions, ArtifactStore artifacts, ModelService modelService,
                          JsonDocuments json, RegistryMapper mapper) {
        this.models = models;
        this.versions = versions;
        this.transitions = transitions;
        this.artifacts = artifacts;
        this.modelService = modelService;
        this.json = json;
        this.mapper = mapper;
    }

    /** What a registration did: made a version, or found the one an earlier copy of the same upload made. */
    public record Registration(VersionView version, boolean created) {
    }

    /**
     * Registers the next version of a model, creating the model on its first version. The number
     * is taken under the model's row lock, so concurrent uploads get 1, 2, 3... without gaps or clashes.
     *
     * <p>A version from a training run is registered once: a second upload naming the same
     * {@code training_run_id} (a client trying again after a lost answer) gets the version the first
     * made when it carries the same artifact, and a 409 when it does not.
     */
    public Registration register(ProjectRef project, String modelName, ModelArtifact artifact, VersionMetadata metadata,
                                String actor) {
        VersionMetadata meta = metadata == null ? VersionMetadata.empty() : metadata;
        List<FeatureSpec> schema = featureSchema(meta, artifact);
        ModelMetrics metrics = meta.metrics() == null ? ModelMetrics.none() : meta.metrics();
        metrics.confusionMatrixProblem().ifPresent(problem -> {
            throw ProblemException.unprocessable("metadata.metrics.confusion_matrix",
                    "metadata.metrics.confusion_matrix: " + problem);
        });
        if (metrics.measuredByEvaluation() != null) {
            throw ProblemException.unprocessable("metadata.metrics.measured_by_evaluation",
                    "metadata.metrics.measured_by_evaluation: the registry sets it when it measures the metrics itself "
                            + "(POST .../evaluate?record=true); an upload cannot claim it");
        }
        if (meta.trainingRunId() != null) {
            checkTrainingRun(project, meta.trainingRunId());
        }

        RegisteredModelEntity model = lockCreatingIfMissing(project, modelName);
        if (meta.trainingRunId() != null) {
            Optional<ModelVersionEntity> earlier = versions.fromTrainingRun(model.getId(), meta.trainingRunId());
            if (earlier.isPresent()) {
                return new Registration(sameUploadAgain(project, modelName, earlier.get(), artifact), false);
            }
        }
        Instant now = DatabaseTime.now();
        ModelVersionEntity version = new ModelVersionEntity();
        version.setModelId(model.getId());
        version.setVersion(versions.nextVersionNumber(model.getId()));
        version.setStage(Stage.NONE);
        version.setAlgorithm(meta.algorithm() == null || meta.algorithm().isBlank()
                ? "xgboost-" + artifact.model().booster() : meta.algorithm());
        Map<String, Object> params = new LinkedHashMap<>(meta.params() == null ? Map.of() : meta.params());
        params.putIfAbsent("objective", artifact.model().objective().xgboostName());
        version.setParams(params);
        version.setMetrics(json.toMap(metrics));
        version.setFeatureSchema(json.featureSchemaDocument(schema));
        version.setBaselineStats(meta.baselineStats());
        version.setDecisionThreshold(metrics.threshold() == null ? DEFAULT_DECISION_THRESHOLD : metrics.threshold());
        version.setTrainingRunId(meta.trainingRunId());
        version.setDatasetFingerprint(meta.datasetFingerprint());
        version.setArtifactFormat(ModelArtifact.FORMAT);
        version.setArtifactSha256(artifact.sha256());
        version.setArtifactSize(artifact.bytes().length);
        version.setDescription(meta.description() == null ? "" : meta.description());
        version.setCreatedBy(actor);
        version.setCreatedAt(now);
        version.setStageChangedAt(now);
        versions.persistAndFlush(version);
        version.setArtifactLocation(artifacts.store(version.getId(), artifact.bytes()));
        model.setUpdatedAt(now);
        LOG.infof("Version %s/%s v%d registered by %s: %s, %d bytes, sha256 %s", project.name(), modelName,
                version.getVersion(), actor, artifact.model(), artifact.bytes().length, artifact.sha256());
        return new Registration(mapper.version(modelName, version), true);
    }

    /**
     * The model's row, locked, made first when missing. A deletion of the model that held the lock
     * when this upload found the row leaves nothing to lock once it commits: the model is made again,
     * as for an upload that came after the deletion (a 500 before).
     */
    private RegisteredModelEntity lockCreatingIfMissing(ProjectRef project, String modelName) {
        for (int attempt = 0; attempt < 3; attempt++) {
            models.insertIfAbsent(project.id(), modelName);
            Optional<RegisteredModelEntity> model = models.lockByName(project.id(), modelName);
            if (model.isPresent()) {
                return model.get();
            }
            LOG.infof("Model %s/%s was deleted while a version of it was being registered; it is made again",
                    project.name(), modelName);
        }
        throw ProblemException.conflict("Model '" + modelName + "' was deleted again and again while this version was "
                + "being registered; retry");
    }

    private VersionView sameUploadAgain(ProjectRef project, String modelName, ModelVersionEntity earlier, ModelArtifact artifact) {
        if (!earlier.getArtifactSha256().equals(artifact.sha256())) {
            throw ProblemException.conflict("metadata.training_run_id", "metadata.training_run_id: training run "
                    + earlier.getTrainingRunId() + " already registered " + modelName + " v" + earlier.getVersion()
                    + " with a different artifact (sha256 " + earlier.getArtifactSha256() + ")");
        }
        LOG.infof("Version %s/%s v%d from training run %d was uploaded again; the registered version is answered",
                project.name(), modelName, earlier.getVersion(), earlier.getTrainingRunId());
        return mapper.version(modelName, earlier);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PageView<VersionView> list(ProjectRef project, String modelName, int page, int size) {
        RegisteredModelEntity model = modelService.require(project, modelName);
        PanacheQuery<ModelVersionEntity> query = versions.byModel(model.getId()).page(page, size);
        return new PageView<>(query.list().stream().map(v -> mapper.listed(modelName, v)).toList(), page, size,
                query.count());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public VersionView get(ProjectRef project, String modelName, int number) {
        return mapper.version(modelName, require(project, modelName, number));
    }

    /** The artifact's bytes with the checksum recorded at upload. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public StoredArtifact artifact(ProjectRef project, String modelName, int number) {
        ModelVersionEntity version = require(project, modelName, number);
        byte[] bytes = artifacts.load(version.getId()).orElseThrow(() -> new IllegalStateException(
                "artifact of " + modelName + " v" + number + " is missing from the store"));
        return new StoredArtifact(bytes, version.getArtifactSha256(), modelName + "-v" + number + ".json");
    }

    /** A version's artifact as stored, with the SHA-256 recorded when it was uploaded. */
    public record StoredArtifact(byte[] bytes, String sha256, String fileName) {
    }

    /** Changes the description or the decision threshold; a threshold change is an audit row. */
    public VersionView update(ProjectRef project, String modelName, int number, UpdateVersionRequest request, String actor) {
        Double threshold = request.decisionThreshold();
        if (threshold != null && (threshold.isNaN() || threshold < 0 || threshold > 1)) {
            throw ProblemException.badRequest("decision_threshold", "decision_threshold: must be from 0 to 1");
        }
        RegisteredModelEntity model = models.lockByName(project.id(), modelName)
                .orElseThrow(() -> ProblemException.notFound("Model", modelName));
        ModelVersionEntity version = versions.findVersion(model.getId(), number)
                .orElseThrow(() -> ProblemException.notFound("Version", modelName + " v" + number));
        if (request.description() != null) {
            version.setDescription(request.description());
        }
        if (threshold != null && threshold != version.getDecisionThreshold()) {
            double previous = version.getDecisionThreshold();
            version.setDecisionThreshold(threshold);
            StageTransitionEntity audit = new StageTransitionEntity();
            audit.setModelId(model.getId());
            audit.setVersionId(version.getId());
            audit.setVersion(version.getVersion());
            audit.setFromStage(version.getStage());
            audit.setToStage(version.getStage());
            audit.setKind(TransitionKind.THRESHOLD.wireName());
            audit.setActor(actor);
            audit.setReason(request.reason() == null ? "" : request.reason());
            audit.setDetails(Map.of("decision_threshold", Map.of("from", previous, "to", threshold)));
            audit.setCreatedAt(DatabaseTime.now());
            transitions.persist(audit);
            LOG.infof("Decision threshold of %s/%s v%d changed from %s to %s by %s", project.name(), modelName,
                    number, previous, threshold, actor);
        }
        return mapper.version(modelName, version);
    }

    ModelVersionEntity require(ProjectRef project, String modelName, int number) {
        RegisteredModelEntity model = modelService.require(project, modelName);
        return versions.findVersion(model.getId(), number)
                .orElseThrow(() -> ProblemException.notFound("Version", modelName + " v" + number));
    }

    /** The caller's schema, checked against the model file; or the file's own when the caller gives none. */
    private static List<FeatureSpec> featureSchema(VersionMetadata meta, ModelArtifact artifact) {
        if (meta.featureSchema() == null || meta.featureSchema().isEmpty()) {
            return artifact.featureSchemaFromFile();
        }
        List<FeatureSpec> schema = meta.featureSchema();
        String field = "metadata.feature_schema";
        int expected = artifact.model().numFeatures();
        if (schema.size() != expected) {
            throw ProblemException.unprocessable(field, field + " lists " + schema.size() + " features; the model takes "
                    + expected + (artifact.hasFeatureNames() ? " " + artifact.model().featureNames() : ""));
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < schema.size(); i++) {
            FeatureSpec spec = schema.get(i);
            String at = field + "[" + i + "]";
            if (spec == null || spec.name() == null || spec.name().isBlank()) {
                errors.add(new Problem.FieldError(at + ".name", "is required"));
                continue;
            }
            if (spec.type() == null) {
                errors.add(new Problem.FieldError(at + ".type", "is required: numeric, categorical or boolean"));
                continue;
            }
            if (!seen.add(spec.name())) {
                errors.add(new Problem.FieldError(at + ".name", "duplicate feature name '" + spec.name() + "'"));
            }
            String fileName = artifact.model().featureNames().get(i);
            if (artifact.hasFeatureNames() && !fileName.equals(spec.name())) {
                errors.add(new Problem.FieldError(at + ".name", "is '" + spec.name() + "' but the model file names feature "
                        + i + " '" + fileName + "'"));
            }
            boolean fileCategorical = ModelArtifact.featureType(artifact.model().featureTypes().get(i)) == FeatureType.CATEGORICAL;
            if (fileCategorical && spec.type() != FeatureType.CATEGORICAL) {
                errors.add(new Problem.FieldError(at + ".type", "is " + spec.type().wireName()
                        + " but the model file marks '" + fileName + "' categorical"));
            }
            if (spec.categories() != null && spec.type() != FeatureType.CATEGORICAL) {
                errors.add(new Problem.FieldError(at + ".categories", "only categorical features have categories"));
            }
            if (spec.categories() != null && new HashSet<>(spec.categories()).size() != spec.categories().size()) {
                errors.add(new Problem.FieldError(at + ".categories", "lists a category twice"));
            }
        }
        if (errors.size() == 1) {
            throw ProblemException.unprocessable(errors.get(0).field(), errors.get(0).field() + " " + errors.get(0).message());
        }
        if (!errors.isEmpty()) {
            throw ProblemException.unprocessable(field + " does not fit the model file (" + errors.size() + " problems)", errors);
        }
        return schema;
    }

    private void checkTrainingRun(ProjectRef project, long runId) {
        EntityManager em = versions.getEntityManager();
        List<?> owner = em.createNativeQuery("SELECT project_id FROM training_runs WHERE id = ?1")
                .setParameter(1, runId).getResultList();
        if (owner.isEmpty() || ((Number) owner.get(0)).longValue() != project.id()) {
            throw ProblemException.unprocessable("metadata.training_run_id",
                    "metadata.training_run_id: project '" + project.name() + "' has no training run " + runId);
        }
    }
}
