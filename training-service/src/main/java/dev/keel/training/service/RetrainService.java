package dev.keel.training.service;

import dev.keel.common.problem.ProblemException;
import dev.keel.common.retrain.RetrainSource;
import dev.keel.training.config.TrainingConfig;
import dev.keel.training.domain.IdempotentRequest;
import dev.keel.training.domain.RunTrigger;
import dev.keel.training.entity.TrainingRunEntity;
import dev.keel.training.repository.DatasetRepository;
import dev.keel.training.repository.ModelCatalog;
import dev.keel.training.repository.TrainingRunRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Retraining a model: the same job whether the weekly schedule, the agent, a person or a Kubernetes
 * CronJob asks. It trains on an explicitly named dataset, else on the model's source: its own in
 * training's config ({@code keel.training.schedule.models."<project>/<model>".source}), else the
 * registry's {@code retrain_source}, else {@code auto}. {@code auto} takes the model's labelled
 * production traffic once it has {@code keel.training.schedule.min-feedback-rows} of it, since that
 * is the population the model now serves, else {@code latest}: the newest upload, under the same
 * name, of the dataset its latest run trained on.
 */
@ApplicationScoped
public class RetrainService {

    private static final Logger LOG = Logger.getLogger(RetrainService.class);

    /** The model's source, and which setting gave it: {@code config}, {@code registry} or {@code default}. */
    public record Source(RetrainSource source, String origin) {
    }

    /** 422: the default source found nothing to train on, a model without data rather than a failure. */
    public static final class NothingToRetrainOn extends ProblemException {
        NothingToRetrainOn(String detail) {
            super(422, "Unprocessable content", detail, "dataset_id", null);
        }
    }

    private final TrainingRunService runs;
    private final TrainingRunRepository runRepository;
    private final DatasetRepository datasets;
    private final ModelCatalog catalog;
    private final FeedbackDatasets feedback;
    private final TrainingConfig config;

    public RetrainService(TrainingRunService runs, TrainingRunRepository runRepository, DatasetRepository datasets,
                          ModelCatalog catalog, FeedbackDatasets feedback, TrainingConfig config) {
        this.runs = runs;
        this.runRepository = runRepository;
        this.datasets = datasets;
        this.catalog = catalog;
        this.feedback = feedback;
        this.config = config;
    }

    /** Queues a retraining run. */
    public TrainingRunEntity retrain(long projectId, String project, String model, Long datasetId, RunTrigger trigger,
                                     String actor) {
        return runs.start(request(projectId, project, model, datasetId, trigger, actor));
    }

    /**
     * Queues a retraining run once per Idempotency-Key: a key that started a run before answers that
     * run (not new), before a dataset is chosen or built from feedback.
     *
     * @param idempotent null when the client sent no key
     */
    public RunRecorder.Created retrain(long projectId, String project, String model, Long datasetId, RunTrigger trigger,
                                       String actor, IdempotentRequest idempotent) {
        return runs.start(projectId, idempotent, () -> request(projectId, project, model, datasetId, trigger, actor));
    }

    /** Records a retraining run without queueing it (the one-shot command runs it itself). */
    public TrainingRunEntity prepare(long projectId, String project, String model, Long datasetId, RunTrigger trigger,
                                     String actor) {
        return runs.create(request(projectId, project, model, datasetId, trigger, actor));
    }

    /** Where the model's retraining takes its data, and which setting says so. */
    public Source sourceOf(long projectId, String project, String model) {
        String key = project + "/" + model;
        Optional<String> own = Optional.ofNullable(config.schedule().models().get(key)).flatMap(TrainingConfig.ModelSchedule::source);
        if (own.isPresent()) {
            try {
                return new Source(RetrainSource.parse(own.get()), "config");
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("keel.training.schedule.models.\"" + key + "\".source " + e.getMessage());
            }
        }
        return catalog.find(projectId, model).map(ModelCatalog.ScheduledModel::retrainSource)
                .map(s -> new Source(RetrainSource.parse(s), "registry"))
                .orElse(new Source(RetrainSource.AUTO, "default"));
    }

    /** Whether the source has data now, so that a retraining without a named dataset would start; nothing is built. */
    public boolean hasData(long projectId, String model, RetrainSource source) {
        return switch (source.kind()) {
            case DATASET -> QuarkusTransaction.joiningExisting().call(() -> datasets.findInProject(projectId, source.datasetId()))
                    .isPresent();
            case FEEDBACK -> feedback.labelledRows(projectId, model, 1) > 0;
            case LATEST -> latest(projectId, model).isPresent();
            case AUTO -> enoughFeedback(projectId, model) || latest(projectId, model).isPresent();
        };
    }

    private TrainingRunService.StartRun request(long projectId, String project, String model, Long datasetId,
                                                RunTrigger trigger, String actor) {
        long dataset = datasetId != null ? datasetId : dataset(projectId, project, model);
        return new TrainingRunService.StartRun(projectId, model, dataset, null, null, null, trigger, actor);
    }

    /** The dataset a retraining without a named one trains on (a feedback dataset is built and stored). */
    long dataset(long projectId, String project, String model) {
        RetrainSource source = sourceOf(projectId, project, model).source();
        return switch (source.kind()) {
            case DATASET -> source.datasetId();
            case FEEDBACK -> feedback.build(projectId, project, model).id;
            case LATEST -> latest(projectId, model).orElseThrow(() -> ProblemException.unprocessable("dataset_id",
                    "Model '" + model + "' has no earlier training run to take a dataset from (its source is latest); "
                            + "name a dataset_id"));
            case AUTO -> {
                int needed = config.schedule().minFeedbackRows();
                if (enoughFeedback(projectId, model)) {
                    LOG.infof("Retraining %s/%s from its labelled predictions (at least %d)", project, model, needed);
                    yield feedback.build(projectId, project, model).id;
                }
                yield latest(projectId, model).orElseThrow(() -> new NothingToRetrainOn("Model '" + model
                        + "' has no earlier training run to take a dataset from and fewer than " + needed + " labelled "
                        + "predictions (what retraining from feedback needs); name a dataset_id, send feedback, or set "
                        + "its retrain_source in the registry"));
            }
        };
    }

    /** Whether {@code auto} takes the model's feedback: it has at least the labelled predictions asked for. */
    private boolean enoughFeedback(long projectId, String model) {
        int needed = config.schedule().minFeedbackRows();
        return feedback.labelledRows(projectId, model, needed) >= needed;
    }

    /** The newest upload of the dataset the model's latest run trained on. */
    private Optional<Long> latest(long projectId, String model) {
        return QuarkusTransaction.joiningExisting().call(() -> runRepository.latestDatasetOf(projectId, model)
                .map(id -> datasets.newestUploadLike(projectId, id).orElse(id)));
    }
}
