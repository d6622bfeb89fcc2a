package dev.keel.training.service;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.keel.common.problem.ProblemException;
import dev.keel.training.config.TrainingConfig;
import dev.keel.training.domain.GateResult;
import dev.keel.training.domain.IdempotentRequest;
import dev.keel.training.domain.RunPhase;
import dev.keel.training.domain.RunProgress;
import dev.keel.training.domain.RunStatus;
import dev.keel.training.domain.RunTrigger;
import dev.keel.training.entity.TrainingRunEntity;
import dev.keel.common.stats.BinaryMetrics;
import dev.keel.training.learning.CandidateResult;
import dev.keel.training.mapping.JsonColumns;
import dev.keel.training.repository.TrainingRunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every write of a run's record, each in its own short transaction, so a run's state is in the
 * database the moment it changes and nothing is half-written when a replica dies. Writes made by a
 * worker return false when the run is no longer running (cancelled or reaped): the worker stops.
 */
@ApplicationScoped
@Transactional
public class RunRecorder {

    /** What a worker needs of a run, read once when it starts. */
    public record RunSnapshot(long id, long projectId, String modelName, Long datasetId, RunTrigger trigger,
                              String triggeredBy, Map<String, Object> searchSpace) {
    }

    private final TrainingRunRepository runs;
    private final JsonColumns json;
    private final Duration keyTtl;

    public RunRecorder(TrainingRunRepository runs, JsonColumns json, TrainingConfig config) {
        this.runs = runs;
        this.json = json;
        this.keyTtl = config.idempotencyKeyTtl();
    }

    /** A run {@link #create} recorded, or the one an earlier request with the same Idempotency-Key did. */
    public record Created(TrainingRunEntity run, boolean isNew) {
    }

    /**
     * Records a queued run; with an Idempotency-Key, under a lock on that key, and only when no run
     * holds the key yet (else that run, not new).
     */
    public Created create(long projectId, String model, long datasetId, String fingerprint, RunTrigger trigger,
                          String triggeredBy, Map<String, Object> searchSpace, RunProgress progress,
                          IdempotentRequest idempotent) {
        if (idempotent != null) {
            runs.lockIdempotencyKey(projectId, idempotent.key());
            Optional<TrainingRunEntity> holder = runs.findByIdempotencyKey(projectId, idempotent.key());
            if (holder.isPresent() && expired(holder.get())) {
                runs.releaseIdempotencyKey(holder.get().id);
            } else if (holder.isPresent()) {
                return new Created(sameRequest(holder.get(), idempotent), false);
            }
        }
        TrainingRunEntity run = new TrainingRunEntity();
        run.projectId = projectId;
        run.modelName = model;
        run.datasetId = datasetId;
        run.datasetFingerprint = fingerprint;
        run.trigger = trigger.wireName();
        run.triggeredBy = triggeredBy;
        run.status = RunStatus.QUEUED.wireName();
        run.phase = RunPhase.QUEUED.wireName();
        run.searchSpace = json.write(searchSpace);
        run.candidates = "[]";
        run.progress = json.write(progress);
        run.createdAt = OffsetDateTime.now();
        if (idempotent != null) {
            run.idempotencyKey = idempotent.key();
            run.requestFingerprint = idempotent.fingerprint();
        }
        runs.persistAndFlush(run);
        return new Created(run, true);
    }

    /**
     * The run an earlier request with this Idempotency-Key started in the project, if any and not
     * longer ago than the key's time to live; 422 naming the header when that request asked for
     * something else.
     */
    public Optional<TrainingRunEntity> replay(long projectId, IdempotentRequest idempotent) {
        return runs.findByIdempotencyKey(projectId, idempotent.key()).filter(run -> !expired(run))
                .map(run -> sameRequest(run, idempotent));
    }

    /** A key names its run for {@link TrainingConfig#idempotencyKeyTtl()}; after that it is free for a new request. */
    private boolean expired(TrainingRunEntity run) {
        return run.createdAt.isBefore(OffsetDateTime.now().minus(keyTtl));
    }

    private static TrainingRunEntity sameRequest(TrainingRunEntity earlier, IdempotentRequest idempotent) {
        if (!idempotent.fingerprint().equals(earlier.requestFingerprint)) {
            throw ProblemException.unprocessable(IdempotentRequest.HEADER, IdempotentRequest.HEADER + " '"
                    + idempotent.key() + "' was sent before with another request (it started training run "
                    + earlier.id + " for model '" + earlier.modelName + "'); use a new key for a new request");
        }
        return earlier;
    }

    public RunSnapshot snapshot(long id) {
        TrainingRunEntity run = runs.findById(id);
        if (run == null) {
            throw new IllegalStateException("training run " + id + " does not exist");
        }
        return new RunSnapshot(run.id, run.projectId, run.modelName, run.datasetId, RunTrigger.fromWireName(run.trigger),
                run.triggeredBy, json.read(run.searchSpace, new TypeReference<Map<String, Object>>() { }));
    }

    public boolean claim(long id, String worker) {
        return runs.claim(id, worker);
    }

    public boolean phase(long id, RunPhase phase, RunProgress progress) {
        return runs.progress(id, phase.wireName(), json.write(progress));
    }

    public boolean candidates(long id, List<CandidateResult> candidates, RunProgress progress) {
        return runs.candidates(id, json.write(candidates), json.write(progress));
    }

    public void registered(long id, int version) {
        runs.registeredVersion(id, version);
    }

    /** @param rocCurve the final model's on the test rows (empty for test rows of a single class) */
    public boolean finish(long id, RunStatus status, Map<String, Object> bestParams, BinaryMetrics testMetrics,
                          List<List<Double>> rocCurve, GateResult gate, RunProgress progress) {
        return runs.finish(id, status.wireName(), json.write(bestParams), json.write(testMetrics),
                json.write(rocCurve), json.write(gate), json.write(progress));
    }

    public boolean fail(long id, String error) {
        return runs.fail(id, abbreviate(error));
    }

    /**
     * A run recorded but turned away before it was queued (the queue filled meanwhile): failed, and
     * its Idempotency-Key free again, so the client's retry of the request starts a run.
     */
    public void turnedAway(long id, String error) {
        runs.fail(id, abbreviate(error));
        runs.releaseIdempotencyKey(id);
    }

    public boolean cancel(long id, String reason) {
        return runs.cancel(id, reason);
    }

    public int heartbeat(Collection<Long> ids, String worker) {
        return runs.heartbeat(ids, worker);
    }

    /**
     * Fails the runs of replicas silent for {@code staleAfter} and, with {@code includeOwn}, this
     * replica name's runs silent for {@code ownQuietFor}.
     */
    public List<Long> failInterrupted(String worker, boolean includeOwn, Duration staleAfter, Duration ownQuietFor) {
        return runs.failInterrupted(worker, includeOwn, staleAfter, ownQuietFor, restartedReason(worker),
                "Interrupted: the replica running it stopped sending heartbeats for over " + staleAfter.toSeconds()
                        + " s (it crashed or was stopped); start it again");
    }

    /** The queued and running runs under {@code worker}'s name, each with its last heartbeat. */
    public Map<Long, String> heartbeatsOf(String worker) {
        return runs.heartbeatsOf(worker);
    }

    /** Fails a run of {@code worker}'s name found at start whose heartbeat has not moved since. */
    public boolean failIfHeartbeatUnchanged(long id, String heartbeat, String worker) {
        return runs.failIfHeartbeatUnchanged(id, heartbeat, restartedReason(worker));
    }

    private static String restartedReason(String worker) {
        return "Interrupted: the training service (" + worker + ") restarted before the run finished; start it again";
    }

    private static String abbreviate(String error) {
        if (error == null) {
            return "unknown error";
        }
        return error.length() <= 4000 ? error : error.substring(0, 3997) + "...";
    }
}
