package dev.keel.training.service;

import dev.keel.common.security.ProjectDirectory;
import dev.keel.common.security.ProjectRef;
import dev.keel.training.domain.RunStatus;
import dev.keel.training.domain.RunTrigger;
import dev.keel.training.entity.TrainingRunEntity;
import dev.keel.training.repository.TrainingRunRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The training jobs as one-shot commands, for a Kubernetes CronJob running the service's image
 * with arguments:
 * <ul>
 *   <li>{@code retrain <project> <model> [--dataset <id>]}: retrains one model now, through the
 *       worker pool (so the heartbeat keeps the run alive however long a candidate takes) and waits
 *       for it;</li>
 *   <li>{@code retrain-due}: evaluates every model's schedule once, exactly as the in-service
 *       scheduler does (with the same leases, so it is safe next to running replicas), and waits for
 *       the runs it started.</li>
 * </ul>
 * The exit code is 0 when every run succeeded or was kept in staging by the gate, 1 when one failed,
 * 2 for bad arguments.
 */
@ApplicationScoped
public class OneShotJobs {

    static final String USAGE = "usage: retrain <project> <model> [--dataset <id>] | retrain-due";
    private static final Logger LOG = Logger.getLogger(OneShotJobs.class);

    private final RetrainService retrain;
    private final RetrainScheduler scheduler;
    private final TrainingWorkers workers;
    private final ProjectDirectory projects;
    private final TrainingRunRepository runs;
    private final WorkerIdentity identity;

    public OneShotJobs(RetrainService retrain, RetrainScheduler scheduler, TrainingWorkers workers, ProjectDirectory projects,
                       TrainingRunRepository runs, WorkerIdentity identity) {
        this.retrain = retrain;
        this.scheduler = scheduler;
        this.workers = workers;
        this.projects = projects;
        this.runs = runs;
        this.identity = identity;
    }

    public int run(List<String> args, PrintStream err) {
        if (args.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        return switch (args.get(0)) {
            case "retrain" -> retrainOne(args, err);
            case "retrain-due" -> retrainDue();
            default -> {
                err.println("unknown command '" + args.get(0) + "'; " + USAGE);
                yield 2;
            }
        };
    }

    private int retrainOne(List<String> args, PrintStream err) {
        if (args.size() != 3 && !(args.size() == 5 && args.get(3).equals("--dataset"))) {
            err.println(USAGE);
            return 2;
        }
        String project = args.get(1);
        String model = args.get(2);
        Long dataset;
        try {
            dataset = args.size() == 5 ? Long.valueOf(args.get(4)) : null;
        } catch (NumberFormatException e) {
            err.println("--dataset takes a dataset id, not '" + args.get(4) + "'");
            return 2;
        }
        Long projectId = projects.byName(project).map(ProjectRef::id).orElse(null);
        if (projectId == null) {
            err.println("no project '" + project + "'");
            return 2;
        }
        TrainingRunEntity run;
        try {
            run = retrain.prepare(projectId, project, model, dataset, RunTrigger.SCHEDULE, "cronjob@" + identity.id());
        } catch (RuntimeException e) {
            err.println("cannot retrain " + project + "/" + model + ": " + e.getMessage());
            return 1;
        }
        workers.submit(run.id);
        RunStatus status = await(run.id);
        LOG.infof("One-shot retraining of %s/%s: run %d %s", project, model, run.id, status.wireName());
        return status == RunStatus.SUCCEEDED || status == RunStatus.REJECTED ? 0 : 1;
    }

    private int retrainDue() {
        List<RetrainScheduler.Started> started = scheduler.tick(Instant.now());
        boolean ok = started.stream().allMatch(s -> s.problem() == null);
        for (RetrainScheduler.Started s : started) {
            if (s.runId() == null) {
                continue;
            }
            RunStatus status = await(s.runId());
            LOG.infof("Scheduled retraining of %s/%s: run %d %s", s.project(), s.model(), s.runId(), status.wireName());
            ok &= status == RunStatus.SUCCEEDED || status == RunStatus.REJECTED;
        }
        long skipped = started.stream().filter(s -> s.skipped() != null).count();
        LOG.infof("retrain-due started %d runs, skipped %d models with nothing to train on", started.size() - skipped, skipped);
        return ok ? 0 : 1;
    }

    private RunStatus await(long runId) {
        while (true) {
            RunStatus status = RunStatus.fromWireName(QuarkusTransaction.requiringNew()
                    .call(() -> Objects.requireNonNull(runs.findById(runId)).status));
            if (status.isFinished()) {
                return status;
            }
            try {
                Thread.sleep(Duration.ofSeconds(2).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return RunStatus.FAILED;
            }
        }
    }
}
