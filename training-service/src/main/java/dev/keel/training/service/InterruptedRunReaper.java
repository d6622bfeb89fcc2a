package dev.keel.training.service;

import dev.keel.training.config.TrainingConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Makes sure no run stays "running" forever. At start, this replica's own queued and running runs
 * cannot be going on any more (it just restarted): they fail with that reason. Meanwhile the replica
 * marks the runs it holds alive, and fails any run whose replica stopped marking it for
 * {@code keel.training.stale-after} (it crashed, or its pod is gone).
 */
@ApplicationScoped
public class InterruptedRunReaper {

    private static final Logger LOG = Logger.getLogger(InterruptedRunReaper.class);

    private final RunRecorder recorder;
    private final TrainingWorkers workers;
    private final WorkerIdentity identity;
    private final TrainingConfig config;

    public InterruptedRunReaper(RunRecorder recorder, TrainingWorkers workers, WorkerIdentity identity,
                                TrainingConfig config) {
        this.recorder = recorder;
        this.workers = workers;
        this.identity = identity;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        recoverAfterRestart();
    }

    /** Fails this replica's leftover runs and every stale one; returns their ids. */
    public List<Long> recoverAfterRestart() {
        List<Long> failed = recorder.failInterrupted(identity.id(), true, config.staleAfter());
        if (!failed.isEmpty()) {
            LOG.warnf("Failed %d training runs interrupted by a restart or a lost replica: %s", failed.size(), failed);
        }
        return failed;
    }

    @Scheduled(every = "${keel.training.heartbeat-interval:15s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "keel-training-heartbeat")
    void heartbeat() {
        recorder.heartbeat(workers.held(), identity.id());
        reapStale();
    }

    /** Fails the runs whose replica stopped marking them alive; returns their ids. */
    public List<Long> reapStale() {
        List<Long> failed = recorder.failInterrupted(identity.id(), false, config.staleAfter());
        if (!failed.isEmpty()) {
            LOG.warnf("Failed %d training runs whose replica stopped sending heartbeats: %s", failed.size(), failed);
        }
        return failed;
    }
}
