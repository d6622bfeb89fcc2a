package dev.keel.registry.service;

import dev.keel.common.problem.Problem;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.security.Caller;
import dev.keel.common.security.ProjectRef;
import dev.keel.common.security.Role;
import dev.keel.registry.api.PageView;
import dev.keel.registry.api.RollbackRequest;
import dev.keel.registry.api.RollbackView;
import dev.keel.registry.api.StageChangeRequest;
import dev.keel.registry.api.TransitionView;
import dev.keel.registry.domain.GateCheck;
import dev.keel.registry.domain.GateResult;
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
import jakarta.enterprise.event.Event;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Moves versions between stages, with the audit row for each move. Every change takes the model's
 * row lock first, so promotions of one model happen one after another; the database's unique
 * index on the production stage is the guarantee behind it.
 */
@ApplicationScoped
@Transactional
public class StageService {

    private final RegisteredModelRepository models;
    private final ModelVersionRepository versions;
    private final StageTransitionRepository transitions;
    private final ArtifactStore artifacts;
    private final ModelService modelService;
    private final DeploymentGate gate;
    private final PromotionMetrics metrics;
    private final Event<StageChanged> changes;
    private final JsonDocuments json;
    private final RegistryMapper mapper;

    public StageService(RegisteredModelRepository models, ModelVersionRepository versions,
                        StageTransitionRepository transitions, ArtifactStore artifacts, ModelService modelService,
                        DeploymentGate gate, PromotionMetrics metrics, Event<StageChanged> changes, JsonDocuments json,
                        RegistryMapper mapper) {
        this.models = models;
        this.versions = versions;
        this.transitions = transitions;
        this.artifacts = artifacts;
        this.modelService = modelService;
        this.gate = gate;
        this.metrics = metrics;
        this.changes = changes;
        this.json = json;
        this.mapper = mapper;
    }

    /**
     * Moves a version to another stage. Entering production runs the deployment gate (409 listing
     * every failed check unless an admin forces it) and archives the version it replaces, in the
     * same transaction.
     */
    public TransitionView changeStage(ProjectRef project, String modelName, int number, StageChangeRequest request,
                                      Caller caller) {
        boolean force = Boolean.TRUE.equals(request.force());
        if (force && !caller.has(Role.ADMIN)) {
            throw ProblemException.forbidden("force=true skips the deployment gate and needs an admin key; '"
                    + caller.keyName() + "' has " + caller.role().wireName());
        }
        if (force && (request.reason() == null || request.reason().isBlank())) {
            throw ProblemException.unprocessable("reason", "reason: forcing past the deployment gate needs a reason "
                    + "for the stage history");
        }
        Stage target = request.stage();
        if (target == Stage.NONE) {
            throw ProblemException.unprocessable("stage", "stage: a version cannot return to 'none'; use staging or archived");
        }
        RegisteredModelEntity model = lock(project, modelName);
        ModelVersionEntity version = version(model, modelName, number);
        if (request.expectedProductionVersion() != null) {
            int production = versions.inStage(model.getId(), Stage.PRODUCTION).map(ModelVersionEntity::getVersion).orElse(0);
            if (production != request.expectedProductionVersion()) {
                throw ProblemException.conflict("expected_production_version", "expected_production_version: "
                        + modelName + " has " + (production == 0 ? "no production version" : "v" + production + " in production")
                        + ", not " + (request.expectedProductionVersion() == 0 ? "none" : "v" + request.expectedProductionVersion())
                        + "; decide again against it");
            }
        }
        Stage from = version.getStage();
        if (from == target) {
            throw ProblemException.conflict(modelName + " v" + number + " is already in " + target.wireName());
        }
        String reason = request.reason() == null ? "" : request.reason();
        if (target != Stage.PRODUCTION) {
            StageTransitionEntity row = move(model, version, target, TransitionKind.STAGE, caller.keyName(), reason, null,
                    false, null);
            flush(modelName);
            return mapper.transition(modelName, row);
        }

        long started = System.nanoTime();
        GateResult result = gate.evaluate(candidate(version), modelService.effectiveThresholds(model));
        long gateMillis = (System.nanoTime() - started) / 1_000_000;
        if (!result.passed()) {
            if (!force) {
                String failed = result.failures().stream().map(GateCheck::name).collect(Collectors.joining(", "));
                metrics.rejected(project.name(), modelName, number, caller.keyName(), failed);
                throw ProblemException.conflict("The deployment gate refused " + modelName + " v" + number + ": "
                        + result.failures().size() + " failed check(s): " + failed,
                        result.failures().stream().map(c -> new Problem.FieldError(c.name(), c.detail())).toList());
            }
            result = result.asForced();
        }
        Integer replaced = archiveProduction(model, version, caller.keyName(), "superseded by v" + number,
                TransitionKind.STAGE);
        Map<String, Object> details = replaced == null ? null : Map.of("archived_version", replaced);
        StageTransitionEntity row = move(model, version, Stage.PRODUCTION, TransitionKind.STAGE, caller.keyName(), reason,
                result, result.forced(), details);
        flush(modelName);
        changes.fire(new StageChanged(project.name(), modelName, number, from, Stage.PRODUCTION, replaced,
                result.forced() ? "forced" : "promoted", caller.keyName(), gateMillis));
        return mapper.transition(modelName, row);
    }

    /**
     * Puts back the version that was production before the current one (or the one named, which must
     * have been production before), in one transaction, when the version the caller names as the one
     * to roll back, if any, is production. The restored version's artifact is checked to load and
     * predict; its metrics are not held to today's thresholds, since it served production before and
     * speed matters here. A version that never served goes through the gate instead (409 here).
     */
    public RollbackView rollback(ProjectRef project, String modelName, RollbackRequest request, Caller caller) {
        RegisteredModelEntity model = lock(project, modelName);
        ModelVersionEntity current = versions.inStage(model.getId(), Stage.PRODUCTION).orElse(null);
        if (request.fromVersion() != null && (current == null || current.getVersion() != request.fromVersion())) {
            throw ProblemException.conflict("from_version", "from_version: " + modelName + " v" + request.fromVersion()
                    + " is not in production (" + (current == null ? "no version is" : "v" + current.getVersion() + " is")
                    + "); nothing was rolled back");
        }
        ModelVersionEntity target;
        if (request.toVersion() != null) {
            target = version(model, modelName, request.toVersion());
            if (current != null && current.getId().equals(target.getId())) {
                throw ProblemException.conflict(modelName + " v" + target.getVersion() + " is already in production");
            }
            // the metric checks are skipped only because the version passed them (or was forced) before
            if (!transitions.wasInProduction(model.getId(), target.getId())) {
                throw ProblemException.conflict("to_version", "to_version: " + modelName + " v" + target.getVersion()
                        + " was never in production, so a rollback cannot restore it; promote it through the "
                        + "deployment gate (POST /api/v1/models/" + modelName + "/versions/" + target.getVersion()
                        + "/stage), which an admin key may force");
            }
        } else {
            if (current == null) {
                throw ProblemException.conflict("Model '" + modelName + "' has no production version to roll back from; "
                        + "name the version to restore with to_version");
            }
            StageTransitionEntity previous = transitions.lastPromotionExcept(model.getId(), current.getId())
                    .orElseThrow(() -> ProblemException.conflict("Model '" + modelName
                            + "' has had no other production version to roll back to"));
            target = versions.findByIdOptional(previous.getVersionId()).orElseThrow(() -> ProblemException.conflict(
                    "The previous production version v" + previous.getVersion() + " no longer exists"));
        }
        GateResult result = gate.evaluateArtifact(candidate(target));
        if (!result.passed()) {
            throw ProblemException.conflict("Cannot roll back to " + modelName + " v" + target.getVersion()
                    + ": its artifact cannot be served",
                    result.failures().stream().map(c -> new Problem.FieldError(c.name(), c.detail())).toList());
        }
        String reason = request.reason();
        List<TransitionView> rows = new ArrayList<>();
        Integer replaced = null;
        if (current != null) {
            replaced = current.getVersion();
            rows.add(mapper.transition(modelName, move(model, current, Stage.ARCHIVED, TransitionKind.ROLLBACK,
                    caller.keyName(), reason, null, false, Map.of("rolled_back_to", target.getVersion()))));
            flush(modelName);
        }
        Stage from = target.getStage();
        Map<String, Object> details = new LinkedHashMap<>();
        if (replaced != null) {
            details.put("rolled_back_from", replaced);
        }
        rows.add(mapper.transition(modelName, move(model, target, Stage.PRODUCTION, TransitionKind.ROLLBACK,
                caller.keyName(), reason, result, false, details.isEmpty() ? null : details)));
        flush(modelName);
        changes.fire(new StageChanged(project.name(), modelName, target.getVersion(), from, Stage.PRODUCTION, replaced,
                "rollback", caller.keyName(), 0));
        return new RollbackView(replaced, target.getVersion(), rows);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PageView<TransitionView> history(ProjectRef project, String modelName, int page, int size) {
        RegisteredModelEntity model = modelService.require(project, modelName);
        PanacheQuery<StageTransitionEntity> query = transitions.history(model.getId()).page(page, size);
        return new PageView<>(query.list().stream().map(t -> mapper.transition(modelName, t)).toList(), page, size,
                query.count());
    }

    private Integer archiveProduction(RegisteredModelEntity model, ModelVersionEntity incoming, String actor, String reason,
                                      TransitionKind kind) {
        ModelVersionEntity current = versions.inStage(model.getId(), Stage.PRODUCTION).orElse(null);
        if (current == null || current.getId().equals(incoming.getId())) {
            return null;
        }
        move(model, current, Stage.ARCHIVED, kind, actor, reason, null, false, Map.of("replaced_by", incoming.getVersion()));
        // the archive must reach the database before the promotion, or the unique index sees two production rows
        flush(model.getName());
        return current.getVersion();
    }

    private StageTransitionEntity move(RegisteredModelEntity model, ModelVersionEntity version, Stage to,
                                       TransitionKind kind, String actor, String reason, GateResult gateResult,
                                       boolean forced, Map<String, Object> details) {
        Instant now = DatabaseTime.now();
        StageTransitionEntity row = new StageTransitionEntity();
        row.setModelId(model.getId());
        row.setVersionId(version.getId());
        row.setVersion(version.getVersion());
        row.setFromStage(version.getStage());
        row.setToStage(to);
        row.setKind(kind.wireName());
        row.setActor(actor);
        row.setReason(reason);
        row.setGateResult(json.toMap(gateResult));
        row.setForced(forced);
        row.setDetails(details);
        row.setCreatedAt(now);
        version.setStage(to);
        version.setStageChangedAt(now);
        transitions.persist(row);
        return row;
    }

    private void flush(String modelName) {
        try {
            versions.flush();
        } catch (PersistenceException e) {
            if (isOneProductionViolation(e)) {
                throw ProblemException.conflict("Another promotion of '" + modelName + "' happened at the same time; retry");
            }
            throw e;
        }
    }

    private static boolean isOneProductionViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("model_versions_one_production_idx")) {
                return true;
            }
        }
        return false;
    }

    private DeploymentGate.Candidate candidate(ModelVersionEntity version) {
        return new DeploymentGate.Candidate(artifacts.load(version.getId()).orElse(null), version.getArtifactSha256(),
                json.featureSchema(version.getFeatureSchema()), version.getBaselineStats(), json.metrics(version.getMetrics()));
    }

    private RegisteredModelEntity lock(ProjectRef project, String modelName) {
        return models.lockByName(project.id(), modelName).orElseThrow(() -> ProblemException.notFound("Model", modelName));
    }

    private ModelVersionEntity version(RegisteredModelEntity model, String modelName, int number) {
        return versions.findVersion(model.getId(), number)
                .orElseThrow(() -> ProblemException.notFound("Version", modelName + " v" + number));
    }
}
