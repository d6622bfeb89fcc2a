package dev.keel.registry.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.keel.common.problem.ProblemException;
import dev.keel.common.security.Caller;
import dev.keel.common.security.ProjectRef;
import dev.keel.registry.api.DeploymentView;
import dev.keel.registry.api.ProductionVersionsView;
import dev.keel.registry.domain.Stage;
import dev.keel.registry.entity.ModelVersionEntity;
import dev.keel.registry.entity.RegisteredModelEntity;
import dev.keel.registry.mapping.JsonDocuments;
import dev.keel.registry.mapping.RegistryMapper;
import dev.keel.registry.repository.ModelVersionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * What serving needs to know: which version of a model is in a stage, and every production version
 * at once for inference to poll. Each answer carries a strong ETag over its content, so a poller
 * that already has it gets a 304 without a body.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class DeploymentService {

    /** An answer and its entity tag. */
    public record Tagged<T>(T body, String etag) {
    }

    /** {@code latest} names the newest version whatever its stage. */
    public static final String LATEST = "latest";

    private final ModelVersionRepository versions;
    private final ModelService modelService;
    private final RegistryMapper mapper;
    private final JsonDocuments json;

    public DeploymentService(ModelVersionRepository versions, ModelService modelService, RegistryMapper mapper,
                             JsonDocuments json) {
        this.versions = versions;
        this.modelService = modelService;
        this.mapper = mapper;
        this.json = json;
    }

    /** The version in a stage ({@code none}, {@code staging}, {@code production}, {@code archived}) or {@code latest}. */
    public Tagged<DeploymentView> inStage(ProjectRef project, String modelName, String stageOrAlias) {
        RegisteredModelEntity model = modelService.require(project, modelName);
        ModelVersionEntity version;
        if (LATEST.equals(stageOrAlias)) {
            version = versions.latest(model.getId())
                    .orElseThrow(() -> ProblemException.notFound("Model version", modelName + " latest"));
        } else {
            Stage stage = Stage.fromWireName(stageOrAlias).orElseThrow(() -> ProblemException.badRequest("stage",
                    "Unknown stage '" + stageOrAlias + "'; use none, staging, production, archived or latest"));
            version = versions.inStage(model.getId(), stage).orElseThrow(() -> new ProblemException(404, "Not found",
                    "Model '" + modelName + "' has no version in " + stage.wireName(), null, null));
        }
        return tagged(mapper.deployment(project.name(), modelName, version));
    }

    /** Every production version of every project for the bootstrap key; a project key sees its own project's. */
    public Tagged<ProductionVersionsView> productionVersions(Caller caller) {
        List<DeploymentView> all = versions.productionVersions(caller.global() ? null : caller.projectId()).stream()
                .map(row -> mapper.deployment((String) row[0], (String) row[1], (ModelVersionEntity) row[2]))
                .toList();
        return tagged(new ProductionVersionsView(all));
    }

    private <T> Tagged<T> tagged(T body) {
        try {
            byte[] bytes = json.mapper().writeValueAsBytes(body);
            return new Tagged<>(body, ModelArtifact.sha256Hex(bytes));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + body.getClass().getSimpleName(), e);
        }
    }

}
