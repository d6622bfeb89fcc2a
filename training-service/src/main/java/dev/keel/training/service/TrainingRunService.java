package dev.keel.training.service;

import dev.keel.common.problem.ProblemException;
import dev.keel.training.config.TrainingConfig;
import dev.keel.training.domain.DatasetSnapshot;
import dev.keel.training.domain.IdempotentRequest;
import dev.keel.training.domain.RunPhase;
import dev.keel.training.domain.RunProgress;
import dev.keel.training.domain.RunStatus;
import dev.keel.training.domain.RunTrigger;
import dev.keel.training.entity.TrainingRunEntity;
import dev.keel.training.learning.ModelFamily;
import dev.keel.training.learning.SearchPlan;
import dev.keel.training.learning.SearchStrategy;
import dev.keel.training.repository.TrainingRunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** Starting, reading and cancelling training runs. */
@ApplicationScoped
public class TrainingRunService {

    /** Model names as the registry accepts them. */
    public static final Pattern MODEL_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");
    static final int MAX_BUDGET = 500;

    private static final Logger LOG = Logger.getLogger(TrainingRunService.class);
    /** A queued run takes minutes, so a client turned away by a full queue waits a minute. */
    private static final int QUEUE_FULL_RETRY_AFTER_SECONDS = 60;

    /**
     * A run to start. Null search settings take the configured defaults; null families means all four.
     */
    public record StartRun(long projectId, String modelName, long datasetId, List<ModelFamily> families,
                           SearchStrategy strategy, Integer budget, RunTrigger trigger, String triggeredBy) {
    }

    private final RunRecorder recorder;
    private final TrainingRunRepository runs;
    private final DatasetService datasets;
    private final TrainingWorkers workers;
    private final WorkerIdentity identity;
    private final TrainingConfig config;

    public TrainingRunService(RunRecorder recorder, TrainingRunRepository runs, DatasetService datasets,
                              TrainingWorkers workers, WorkerIdentity identity, TrainingConfig config) {
        this.recorder = recorder;
        this.runs = runs;
        this.datasets = datasets;
        this.workers = workers;
        this.identity = identity;
        this.config = config;
    }

    /** Records a queued run and hands it to the worker pool; 422 for a bad request, 503 when the queue is full. */
    public TrainingRunEntity start(StartRun request) {
        return start(request.projectId(), null, () -> request).run();
    }

    /**
     * {@link #start(StartRun)}, once per Idempotency-Key: a request whose key started a run before
     * answers that run (not new) without building, checking or queueing anything.
     *
     * @param idempotent null when the client sent no key
     * @param request    called only when the key has started no run yet (it may choose or build a dataset)
     */
    public RunRecorder.Created start(long projectId, IdempotentRequest idempotent, Supplier<StartRun> request) {
        if (idempotent != null) {
            Optional<TrainingRunEntity> earlier = recorder.replay(projectId, idempotent);
            if (earlier.isPresent()) {
                return new RunRecorder.Created(earlier.get(), false);
            }
        }
        RunRecorder.Created created = create(request.get(), idempotent);
        if (!created.isNew()) {
            return created;
        }
        TrainingRunEntity run = created.run();
        try {
            workers.submit(run.id);
        } catch (RejectedExecutionException e) {
            recorder.turnedAway(run.id, "The training queue was full; start the run again later");
            throw ProblemException.serviceUnavailable("The training queue is full (" + config.queueCapacity()
                    + " runs waiting); retry later", QUEUE_FULL_RETRY_AFTER_SECONDS);
        }
        LOG.infof("Training run %d queued for model '%s' on dataset %d (%s by %s)", run.id, run.modelName,
                run.datasetId, run.trigger, run.triggeredBy);
        return created;
    }

    /** Records a queued run without queueing it, for the one-shot command that trains it on its own thread. */
    public TrainingRunEntity create(StartRun request) {
        return create(request, null).run();
    }

    /** Checks and records the run; with a key, the recorder answers a run the key started meanwhile instead. */
    private RunRecorder.Created create(StartRun request, IdempotentRequest idempotent) {
        if (request.modelName() == null || !MODEL_NAME.matcher(request.modelName()).matches()) {
            throw ProblemException.unprocessable("model_name", "model_name must start with a letter or digit and hold "
                    + "only letters, digits, '.', '_' or '-' (at most 128)");
        }
        DatasetSnapshot dataset;
        try {
            dataset = datasets.snapshot(request.projectId(), request.datasetId());
        } catch (ProblemException e) {
            throw ProblemException.unprocessable("dataset_id", "There is no dataset " + request.datasetId() + " in this project");
        }
        if (!dataset.validation().trainable()) {
            throw ProblemException.unprocessable("dataset_id", "Dataset " + dataset.id() + " cannot be trained on: "
                    + String.join("; ", dataset.validation().warnings()));
        }
        int budget = request.budget() == null ? config.search().budget() : request.budget();
        if (budget < 1 || budget > MAX_BUDGET) {
            throw ProblemException.unprocessable("search.budget", "search.budget must be from 1 to " + MAX_BUDGET);
        }
        List<ModelFamily> families = request.families() == null || request.families().isEmpty()
                ? List.of(ModelFamily.values()) : request.families().stream().distinct().toList();
        SearchStrategy strategy = request.strategy() != null ? request.strategy()
                : SearchStrategy.fromJson(config.search().strategy()).orElseThrow(() -> new IllegalStateException(
                        "keel.training.search.strategy must be grid or random, not " + config.search().strategy()));
        SearchPlan plan = new SearchPlan(families, strategy, budget, config.search().folds(),
                config.search().testFraction(), config.search().seed(), config.search().roundsScale());
        if (!workers.hasRoom()) {
            throw ProblemException.serviceUnavailable("The training queue is full (" + config.queueCapacity()
                    + " runs waiting); retry later", QUEUE_FULL_RETRY_AFTER_SECONDS);
        }
        return recorder.create(request.projectId(), request.modelName(), dataset.id(), dataset.fingerprint(),
                request.trigger(), request.triggeredBy(), plan.describe(),
                RunProgress.queued(identity.id(), plan.candidates().size()), idempotent);
    }

    @Transactional
    public TrainingRunEntity get(long projectId, long id) {
        return runs.findInProject(projectId, id).orElseThrow(() -> ProblemException.notFound("Training run", id));
    }

    @Transactional
    public List<TrainingRunEntity> list(long projectId, String model, RunStatus status, int page, int size) {
        return runs.list(projectId, model, status == null ? null : status.wireName(), page, size);
    }

    @Transactional
    public long count(long projectId, String model, RunStatus status) {
        return runs.count(projectId, model, status == null ? null : status.wireName());
    }

    /** Cancels a queued or running run, wherever it runs; 409 when it has already finished. */
    public TrainingRunEntity cancel(long projectId, long id, String actor) {
        TrainingRunEntity run = get(projectId, id);
        String reason = "Cancelled by " + actor;
        if (!recorder.cancel(id, reason)) {
            TrainingRunEntity now = get(projectId, id);
            if (RunPhase.GATING.wireName().equals(now.phase) && "running".equals(now.status)) {
                throw ProblemException.conflict("Training run " + id + " is deciding whether its version replaces "
                        + "production; it can no longer be cancelled");
            }
            throw ProblemException.conflict("Training run " + id + " has already finished: it " + now.status);
        }
        // the worker holding it stops at its next boosting round; elsewhere its next write finds it cancelled
        workers.requestCancel(id, reason);
        LOG.infof("Training run %d for model '%s' cancelled by %s", id, run.modelName, actor);
        return get(projectId, id);
    }
}
