package dev.keel.registry.service;

import dev.keel.common.problem.ProblemException;
import dev.keel.common.security.ProjectRef;
import dev.keel.registry.api.EvaluationView;
import dev.keel.registry.domain.EvaluationProvenance;
import dev.keel.registry.domain.ModelMetrics;
import dev.keel.registry.domain.Stage;
import dev.keel.registry.domain.TransitionKind;
import dev.keel.registry.entity.ModelVersionEntity;
import dev.keel.registry.entity.RegisteredModelEntity;
import dev.keel.registry.entity.StageTransitionEntity;
import dev.keel.registry.mapping.JsonDocuments;
import dev.keel.registry.repository.ModelVersionRepository;
import dev.keel.registry.repository.RegisteredModelRepository;
import dev.keel.registry.repository.StageTransitionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Makes an evaluation's figures a version's recorded metrics ({@code evaluate?record=true}), and
 * its data the version's baseline statistics when it has none. A bean of its own so the scoring,
 * which may take seconds on a large CSV, runs before the model's row lock is taken: the lock is
 * held only to check and write, and it orders the recording with promotions, so a version cannot
 * enter production between the stage check and the write. A recording is a row of the model's
 * history (kind {@code evaluation}), as a threshold change is: it changes what the gate checks.
 */
@ApplicationScoped
@Transactional
public class EvaluationRecorder {

    private static final Logger LOG = Logger.getLogger(EvaluationRecorder.class);

    private final RegisteredModelRepository models;
    private final ModelVersionRepository versions;
    private final StageTransitionRepository transitions;
    private final JsonDocuments json;

    public EvaluationRecorder(RegisteredModelRepository models, ModelVersionRepository versions,
                              StageTransitionRepository transitions, JsonDocuments json) {
        this.models = models;
        this.versions = versions;
        this.transitions = transitions;
        this.json = json;
    }

    /**
     * 409 naming {@code record} for a version in production or archived: the metrics a version was
     * promoted on are what its history, drift's degradation check and the agent compare with, so
     * they do not change under it. An archived version may be rolled back to without the metric
     * checks, on the same figures it was promoted with.
     */
    static void requireRecordable(String modelName, ModelVersionEntity version) {
        Stage stage = version.getStage();
        if (stage == Stage.PRODUCTION || stage == Stage.ARCHIVED) {
            throw ProblemException.conflict("record", "record: " + modelName + " v" + version.getVersion()
                    + (stage == Stage.PRODUCTION ? " is in production" : " is archived") + "; the metrics it was promoted on are kept. Evaluate it without record=true, "
                    + "or record them on a new version of the same artifact");
        }
    }

    /**
     * Records {@code measured} on the version unless the same data (same file, target column and
     * threshold) was recorded before, which changes nothing; {@code baseline} is written only when
     * the version still has no baseline statistics.
     */
    public EvaluationView record(ProjectRef project, String modelName, int number, EvaluationView measured,
                                 String dataSha256, Map<String, Object> baseline, String actor) {
        RegisteredModelEntity model = models.lockByName(project.id(), modelName)
                .orElseThrow(() -> ProblemException.notFound("Model", modelName));
        ModelVersionEntity version = versions.findVersion(model.getId(), number)
                .orElseThrow(() -> ProblemException.notFound("Version", modelName + " v" + number));
        requireRecordable(modelName, version);
        Double threshold = measured.metrics().threshold();
        if (threshold != null && threshold != version.getDecisionThreshold()) {
            throw ProblemException.conflict("threshold", "threshold: the decision threshold of " + modelName + " v" + number
                    + " changed to " + version.getDecisionThreshold() + " while it was evaluated at " + threshold
                    + "; evaluate it again");
        }
        ModelMetrics stored = json.metrics(version.getMetrics());
        EvaluationProvenance earlier = stored.measuredByEvaluation();
        if (earlier != null && earlier.dataSha256().equals(dataSha256) && earlier.target().equals(measured.target())
                && Objects.equals(stored.threshold(), threshold)) {
            LOG.infof("Evaluation of %s/%s v%d on data sha256 %s was recorded before (by %s at %s); nothing changed",
                    project.name(), modelName, number, dataSha256, earlier.recordedBy(), earlier.recordedAt());
            return measured.recorded(stored, false);
        }
        boolean writeBaseline = version.getBaselineStats() == null && baseline != null;
        if (writeBaseline) {
            version.setBaselineStats(baseline);
        }
        EvaluationProvenance provenance = new EvaluationProvenance(actor, DatabaseTime.now(), dataSha256, measured.rows(),
                measured.target(), writeBaseline);
        ModelMetrics recorded = measured.metrics().measuredBy(provenance);
        Map<String, Object> replaced = version.getMetrics();
        version.setMetrics(json.toMap(recorded));
        audit(model, version, provenance, replaced);
        LOG.infof("Metrics of %s/%s v%d (%s) recorded from an evaluation by %s on %d rows, data sha256 %s%s, replacing %s",
                project.name(), modelName, number, version.getStage().wireName(), actor, measured.rows(), dataSha256,
                writeBaseline ? ", with baseline statistics from the same rows" : "",
                earlier != null ? "those recorded by " + earlier.recordedBy() + " at " + earlier.recordedAt() : "any uploaded ones");
        return measured.recorded(recorded, true);
    }

    /**
     * The history row: the data's SHA-256, rows and label column, whether the baseline was written,
     * and the metrics document it replaced (uploaded figures, or an earlier evaluation's with its mark).
     */
    private void audit(RegisteredModelEntity model, ModelVersionEntity version, EvaluationProvenance provenance,
                       Map<String, Object> replaced) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("data_sha256", provenance.dataSha256());
        details.put("rows", provenance.rows());
        details.put("target", provenance.target());
        details.put("baseline_stats_recorded", provenance.baselineStatsRecorded());
        details.put("replaced_metrics", replaced == null ? Map.of() : replaced);
        StageTransitionEntity row = new StageTransitionEntity();
        row.setModelId(model.getId());
        row.setVersionId(version.getId());
        row.setVersion(version.getVersion());
        row.setFromStage(version.getStage());
        row.setToStage(version.getStage());
        row.setKind(TransitionKind.EVALUATION.wireName());
        row.setActor(provenance.recordedBy());
        row.setReason("metrics recorded from an evaluation on " + provenance.rows() + " labelled rows");
        row.setDetails(details);
        row.setCreatedAt(provenance.recordedAt());
        transitions.persist(row);
    }
}
