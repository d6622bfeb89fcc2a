package dev.keel.registry.mapping;

import dev.keel.common.security.Role;
import dev.keel.registry.api.ApiKeyView;
import dev.keel.registry.api.ArtifactView;
import dev.keel.registry.api.DeploymentView;
import dev.keel.registry.api.ModelView;
import dev.keel.registry.api.ProjectView;
import dev.keel.registry.api.TransitionView;
import dev.keel.registry.api.VersionView;
import dev.keel.registry.domain.TransitionKind;
import dev.keel.registry.entity.ApiKeyEntity;
import dev.keel.registry.entity.ModelVersionEntity;
import dev.keel.registry.entity.ProjectEntity;
import dev.keel.registry.entity.RegisteredModelEntity;
import dev.keel.registry.entity.StageTransitionEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/** Entities to API views. Views are built inside the service's transaction, never from detached entities. */
@ApplicationScoped
public class RegistryMapper {

    private final JsonDocuments json;

    public RegistryMapper(JsonDocuments json) {
        this.json = json;
    }

    public ProjectView project(ProjectEntity p) {
        return new ProjectView(p.getName(), p.getDescription(), p.getGateThresholds(), p.getCreatedAt());
    }

    public ApiKeyView apiKey(ApiKeyEntity k, Instant now) {
        String status = k.getRevokedAt() != null ? "revoked"
                : k.getExpiresAt() != null && !now.isBefore(k.getExpiresAt()) ? "expired" : "active";
        return new ApiKeyView(k.getName(), Role.fromWireName(k.getRole()).orElseThrow(), k.getKeyPrefix(), status,
                k.getCreatedBy(), k.getCreatedAt(), k.getExpiresAt(), k.getRevokedAt(), k.getLastUsedAt());
    }

    public ModelView model(RegisteredModelEntity m, String project, Map<String, Double> effectiveThresholds,
                           Integer latestVersion, Integer productionVersion) {
        return new ModelView(m.getName(), project, m.getDescription(), m.getTags(), m.getGateThresholds(),
                effectiveThresholds, m.getRetrainCron(), m.getRetrainSource() == null ? "auto" : m.getRetrainSource(),
                latestVersion, productionVersion, m.getCreatedAt(), m.getUpdatedAt());
    }

    public VersionView version(String model, ModelVersionEntity v) {
        return version(model, v, v.getBaselineStats());
    }

    /** A version as lists show it: without the baseline statistics, which run to a megabyte per version. */
    public VersionView listed(String model, ModelVersionEntity v) {
        return version(model, v, null);
    }

    private VersionView version(String model, ModelVersionEntity v, Map<String, Object> baselineStats) {
        return new VersionView(model, v.getVersion(), v.getStage(), v.getAlgorithm(), v.getParams(),
                json.metrics(v.getMetrics()), json.featureSchema(v.getFeatureSchema()), baselineStats,
                v.getDecisionThreshold(), v.getTrainingRunId(), v.getDatasetFingerprint(), v.getDescription(),
                artifact(model, v), v.getCreatedBy(), v.getCreatedAt(), v.getStageChangedAt());
    }

    public DeploymentView deployment(String project, String model, ModelVersionEntity v) {
        Object objective = v.getParams() == null ? null : v.getParams().get("objective");
        return new DeploymentView(project, model, v.getVersion(), v.getStage(), v.getAlgorithm(),
                objective == null ? null : objective.toString(), v.getDecisionThreshold(),
                json.featureSchema(v.getFeatureSchema()), json.metrics(v.getMetrics()), artifact(model, v),
                v.getStageChangedAt());
    }

    public TransitionView transition(String model, StageTransitionEntity t) {
        return new TransitionView(model, t.getVersion(), TransitionKind.fromWireName(t.getKind()), t.getFromStage(),
                t.getToStage(), t.getActor(), t.getReason(), t.isForced(), json.gateResult(t.getGateResult()),
                t.getDetails(), t.getCreatedAt());
    }

    private static ArtifactView artifact(String model, ModelVersionEntity v) {
        return new ArtifactView(v.getArtifactFormat(), v.getArtifactSha256(), v.getArtifactSize(),
                "/api/v1/models/" + model + "/versions/" + v.getVersion() + "/artifact");
    }
}
