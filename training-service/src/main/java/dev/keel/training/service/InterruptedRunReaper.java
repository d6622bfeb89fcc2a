package dev.keel.training.service;

import dev.keel.training.config.TrainingConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Makes sure no run stays "running" forever. At start, this replica's own queued and running runs
 * cannot be going on any more (it just restarted): they fail with that reason, at once when no one
 * has marked them alive for two heartbeat intervals, else once two intervals pass without their
 * heartbeat moving. (A live replica of the same name, two on one host with the default instance id,
 * moves it: its runs are not failed.) Meanwhile the replica marks the runs it holds alive, and fails
 * any run whose replica stopped marking it for {@code keel.training.stale-after} (it crashed, or its
 * pod is gone).
 */
@ApplicationScoped
public class InterruptedRunReaper {

    private static final Logger LOG = Logger.getLogger(InterruptedRunReaper.class);

    private final RunRecorder recorder;
    private final TrainingWorkers workers;
    private final WorkerIdentity identity;
    private final TrainingConfig config;
    /** Runs under this replica's name that looked alive at start, with their heartbeat then; checked once it should have moved. */
    private volatile Map<Long, String> suspects = Map.of();
    private volatile Instant suspectsSince = Instant.EPOCH;

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

    /**
     * Fails this replica's leftover runs that no one has marked alive for two heartbeat intervals and
     * every stale one, and keeps the rest of its name's runs to check once two intervals have passed;
     * returns the ids failed.
     */
    public List<Long> recoverAfterRestart() {
        List<Long> failed = recorder.failInterrupted(identity.id(), true, config.staleAfter(), confirmAfter());
        if (!failed.isEmpty()) {
            LOG.warnf("Failed %d training runs interrupted by a restart or a lost replica: %s", failed.size(), failed);
        }
        suspectsSince = Instant.now();
        suspects = Map.copyOf(recorder.heartbeatsOf(identity.id()));
        if (!suspects.isEmpty()) {
            LOG.infof("Training runs %s under this replica's name (%s) were marked alive lately; they are failed in %d s "
                    + "unless their heartbeat moves (another replica of the same name runs them)", suspects.keySet(),
                    identity.id(), confirmAfter().toSeconds());
        }
        return failed;
    }

    /**
     * Fails the runs found at start under this replica's name whose heartbeat has not moved since
     * (none of this process's own: it holds none of them); returns their ids.
     */
    public List<Long> failUnmovedSinceStart() {
        Map<Long, String> found = suspects;
        suspects = Map.of();
        List<Long> failed = new ArrayList<>();
        found.forEach((id, heartbeat) -> {
            if (recorder.failIfHeartbeatUnchanged(id, heartbeat, identity.id())) {
                failed.add(id);
            }
        });
        if (!failed.isEmpty()) {
            LOG.warnf("Failed %d training runs interrupted by a restart of %s: %s", failed.size(), identity.id(), failed);
        }
        return failed;
    }

    /** Two heartbeat intervals: a live replica marks its runs within that; never beyond stale-after. */
    private Duration confirmAfter() {
        Duration twice = config.heartbeatInterval().multipliedBy(2);
        return twice.compareTo(config.staleAfter()) < 0 ? twice : config.staleAfter();
    }

    @Scheduled(every = "${keel.training.heartbeat-interval:15s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "keel-training-heartbeat")
    void heartbeat() {
        recorder.heartbeat(workers.held(), identity.id());
        if (!suspects.isEmpty() && !Instant.now().isBefore(suspectsSince.plus(confirmAfter()))) {
            failUnmovedSinceStart();
        }
        reapStale();
    }

    /** Fails the runs whose replica stopped marking them alive; returns their ids. */
    public List<Long> reapStale() {
        List<Long> failed = recorder.failInterrupted(identity.id(), false, config.staleAfter(), config.staleAfter());
        if (!failed.isEmpty()) {
            LOG.warnf("Failed %d training runs whose replica stopped sending heartbeats: %s", failed.size(), failed);
        }
        return failed;
    }
}
