package dev.keel.training.service;

import dev.keel.common.problem.ProblemException;
import dev.keel.training.config.TrainingConfig;
import dev.keel.training.domain.IdempotentRequest;
import dev.keel.training.domain.RunTrigger;
import dev.keel.training.entity.TrainingRunEntity;
import dev.keel.training.repository.TrainingRunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.Optional;

/**
 * Retraining a model: the same job whether the weekly schedule, the agent, a person or a Kubernetes
 * CronJob asks. It trains on an explicitly named dataset, else the model's configured source
 * ({@code keel.training.schedule.models."<project>/<model>".source}), else the dataset of the model's
 * latest run.
 */
@ApplicationScoped
public class RetrainService {

    private final TrainingRunService runs;
    private final TrainingRunRepository runRepository;
    private final FeedbackDatasets feedback;
    private final TrainingConfig config;

    public RetrainService(TrainingRunService runs, TrainingRunRepository runRepository, FeedbackDatasets feedback,
                          TrainingConfig config) {
        this.runs = runs;
        this.runRepository = runRepository;
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

    private TrainingRunService.StartRun request(long projectId, String project, String model, Long datasetId,
                                                RunTrigger trigger, String actor) {
        long dataset = datasetId != null ? datasetId : source(projectId, project, model);
        return new TrainingRunService.StartRun(projectId, model, dataset, null, null, null, trigger, actor);
    }

    private long source(long projectId, String project, String model) {
        String configured = Optional.ofNullable(config.schedule().models().get(project + "/" + model))
                .flatMap(TrainingConfig.ModelSchedule::source).map(String::strip).orElse("latest");
        if (configured.equals("feedback")) {
            return feedback.build(projectId, project, model).id;
        }
        if (configured.startsWith("dataset:")) {
            try {
                return Long.parseLong(configured.substring("dataset:".length()).strip());
            } catch (NumberFormatException e) {
                throw new IllegalStateException("keel.training.schedule.models.\"" + project + "/" + model
                        + "\".source must be latest, feedback or dataset:<id>, not " + configured);
            }
        }
        if (!configured.equals("latest")) {
            throw new IllegalStateException("keel.training.schedule.models.\"" + project + "/" + model
                    + "\".source must be latest, feedback or dataset:<id>, not " + configured);
        }
        Optional<Long> latest = QuarkusTransaction.joiningExisting().call(() -> runRepository.latestDatasetOf(projectId, model));
        return latest.orElseThrow(() -> ProblemException.unprocessable("dataset_id",
                "Model '" + model + "' has no earlier training run to take a dataset from and no configured source; "
                        + "name a dataset_id"));
    }
}
