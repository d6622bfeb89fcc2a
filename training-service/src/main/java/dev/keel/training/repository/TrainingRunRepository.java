package dev.keel.training.repository;

import dev.keel.training.entity.TrainingRunEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Training runs. Every status change is one conditional UPDATE: a worker writes a run only while it
 * is {@code running}, so when a cancellation (from any replica) or the reaper has moved it on, the
 * worker's next write touches no row and the worker knows to stop. Callers run these inside a
 * transaction.
 */
@ApplicationScoped
public class TrainingRunRepository implements PanacheRepository<TrainingRunEntity> {

    public Optional<TrainingRunEntity> findInProject(long projectId, long id) {
        return find("projectId = ?1 and id = ?2", projectId, id).firstResultOptional();
    }

    /** The run an Idempotency-Key named in this project, if any. */
    public Optional<TrainingRunEntity> findByIdempotencyKey(long projectId, String key) {
        return find("projectId = ?1 and idempotencyKey = ?2", projectId, key).firstResultOptional();
    }

    /**
     * Holds, until the transaction ends, a lock on one Idempotency-Key of a project, so that two
     * requests with the same key start one run between them (the unique index would turn the second
     * into an error instead of the first one's run).
     */
    public void lockIdempotencyKey(long projectId, String key) {
        getEntityManager().createNativeQuery("SELECT CAST(pg_advisory_xact_lock(hashtextextended(:key, :project)) AS text)")
                .setParameter("key", key).setParameter("project", projectId).getSingleResult();
    }

    public List<TrainingRunEntity> list(long projectId, String model, String status, int page, int size) {
        return find(filter(model, status), Sort.descending("createdAt").and("id", Sort.Direction.Descending),
                parameters(projectId, model, status)).page(Page.of(page, size)).list();
    }

    public long count(long projectId, String model, String status) {
        return count(filter(model, status), parameters(projectId, model, status));
    }

    private static String filter(String model, String status) {
        return "projectId = :project" + (model != null ? " and modelName = :model" : "")
                + (status != null ? " and status = :status" : "");
    }

    private static Parameters parameters(long projectId, String model, String status) {
        Parameters params = Parameters.with("project", projectId);
        if (model != null) {
            params.and("model", model);
        }
        if (status != null) {
            params.and("status", status);
        }
        return params;
    }

    /** queued → running, owned by {@code worker}; false when the run is no longer queued (cancelled). */
    public boolean claim(long id, String worker) {
        return native_("""
                UPDATE training_runs SET status = 'running', phase = 'loading', started_at = now(),
                       progress = jsonb_build_object('worker', CAST(:worker AS text), 'heartbeat_at', now())
                WHERE id = :id AND status = 'queued'""")
                .setParameter("worker", worker).setParameter("id", id).executeUpdate() == 1;
    }

    /** Records the phase and progress of a running run; false when it is no longer running. */
    public boolean progress(long id, String phase, String progressJson) {
        return native_("""
                UPDATE training_runs SET phase = :phase, progress = CAST(:progress AS jsonb)
                WHERE id = :id AND status = 'running'""")
                .setParameter("phase", phase).setParameter("progress", progressJson).setParameter("id", id)
                .executeUpdate() == 1;
    }

    /** Records a finished candidate with the progress; false when the run is no longer running. */
    public boolean candidates(long id, String candidatesJson, String progressJson) {
        return native_("""
                UPDATE training_runs SET candidates = CAST(:candidates AS jsonb), progress = CAST(:progress AS jsonb)
                WHERE id = :id AND status = 'running'""")
                .setParameter("candidates", candidatesJson).setParameter("progress", progressJson).setParameter("id", id)
                .executeUpdate() == 1;
    }

    /** Records the registered version as soon as the registry answers, so it is never lost. */
    public void registeredVersion(long id, int version) {
        native_("UPDATE training_runs SET registered_version = :version WHERE id = :id")
                .setParameter("version", version).setParameter("id", id).executeUpdate();
    }

    /** running → succeeded or rejected, with the results; false when the run is no longer running. */
    public boolean finish(long id, String status, String bestParams, String testMetrics, String rocCurve,
                          String gateResult, String progressJson) {
        return native_("""
                UPDATE training_runs SET status = :status, phase = 'finished', best_params = CAST(:best AS jsonb),
                       test_metrics = CAST(:metrics AS jsonb), roc_curve = CAST(:roc AS jsonb),
                       gate_result = CAST(:gate AS jsonb),
                       progress = CAST(:progress AS jsonb), finished_at = now(),
                       duration_ms = CAST(EXTRACT(EPOCH FROM (now() - started_at)) * 1000 AS bigint)
                WHERE id = :id AND status = 'running'""")
                .setParameter("status", status).setParameter("best", bestParams).setParameter("metrics", testMetrics)
                .setParameter("roc", rocCurve).setParameter("gate", gateResult).setParameter("progress", progressJson)
                .setParameter("id", id)
                .executeUpdate() == 1;
    }

    /** queued or running → failed with the error; false when the run had already finished. */
    public boolean fail(long id, String error) {
        return native_("""
                UPDATE training_runs SET status = 'failed', error = :error, finished_at = now(),
                       duration_ms = CAST(EXTRACT(EPOCH FROM (now() - coalesce(started_at, created_at))) * 1000 AS bigint)
                WHERE id = :id AND status IN ('queued', 'running')""")
                .setParameter("error", error).setParameter("id", id).executeUpdate() == 1;
    }

    /** Frees the Idempotency-Key a run holds: one never queued, or one whose key has outlived its time to live. */
    public void releaseIdempotencyKey(long id) {
        native_("UPDATE training_runs SET idempotency_key = NULL, request_fingerprint = NULL WHERE id = :id")
                .setParameter("id", id).executeUpdate();
    }

    /**
     * queued or running → cancelled, unless its gate is deciding (it may be moving a version to
     * production: a cancelled run must not leave one there); false otherwise.
     */
    public boolean cancel(long id, String reason) {
        return native_("""
                UPDATE training_runs SET status = 'cancelled', error = :reason, finished_at = now(),
                       duration_ms = CAST(EXTRACT(EPOCH FROM (now() - coalesce(started_at, created_at))) * 1000 AS bigint)
                WHERE id = :id AND status IN ('queued', 'running') AND coalesce(phase, '') <> 'gating'""")
                .setParameter("reason", reason).setParameter("id", id).executeUpdate() == 1;
    }

    /** Marks this replica's queued and running runs alive. */
    public int heartbeat(Collection<Long> ids, String worker) {
        if (ids.isEmpty()) {
            return 0;
        }
        return native_("""
                UPDATE training_runs
                SET progress = progress || jsonb_build_object('worker', CAST(:worker AS text), 'heartbeat_at', now())
                WHERE id IN (:ids) AND status IN ('queued', 'running')""")
                .setParameter("worker", worker).setParameter("ids", ids).executeUpdate();
    }

    /**
     * Fails the queued and running runs nobody has marked alive for {@code staleAfter} (their replica
     * is gone) and, with {@code includeOwn}, those {@code worker} owned that nobody has marked alive
     * for {@code ownQuietFor} (it restarted: they cannot be running any more, unless another live
     * replica goes by the same name, which would have marked them within that time). Returns the ids failed.
     */
    @SuppressWarnings("unchecked")
    public List<Long> failInterrupted(String worker, boolean includeOwn, Duration staleAfter, Duration ownQuietFor,
                                      String ownReason, String staleReason) {
        return native_("""
                UPDATE training_runs SET status = 'failed',
                       error = CASE WHEN :includeOwn AND progress->>'worker' = :worker THEN :ownReason ELSE :staleReason END,
                       finished_at = now(),
                       duration_ms = CAST(EXTRACT(EPOCH FROM (now() - coalesce(started_at, created_at))) * 1000 AS bigint)
                WHERE status IN ('queued', 'running')
                  AND ((:includeOwn AND progress->>'worker' = :worker
                        AND coalesce(CAST(progress->>'heartbeat_at' AS timestamptz), created_at)
                            < now() - make_interval(secs => :ownQuietSeconds))
                       OR coalesce(CAST(progress->>'heartbeat_at' AS timestamptz), created_at)
                          < now() - make_interval(secs => :staleSeconds))
                RETURNING id""")
                .setParameter("worker", worker).setParameter("includeOwn", includeOwn).setParameter("ownReason", ownReason)
                .setParameter("staleReason", staleReason).setParameter("staleSeconds", staleAfter.toMillis() / 1000.0)
                .setParameter("ownQuietSeconds", ownQuietFor.toMillis() / 1000.0)
                .getResultList().stream().map(id -> ((Number) id).longValue()).toList();
    }

    /** The queued and running runs recorded under {@code worker}, each with its last heartbeat as written. */
    public Map<Long, String> heartbeatsOf(String worker) {
        Map<Long, String> beats = new HashMap<>();
        for (Object row : native_("""
                SELECT id, coalesce(progress->>'heartbeat_at', '') FROM training_runs
                WHERE status IN ('queued', 'running') AND progress->>'worker' = :worker""")
                .setParameter("worker", worker).getResultList()) {
            Object[] columns = (Object[]) row;
            beats.put(((Number) columns[0]).longValue(), (String) columns[1]);
        }
        return beats;
    }

    /** Fails the run if it is still queued or running and its heartbeat is still {@code heartbeat}; false otherwise. */
    public boolean failIfHeartbeatUnchanged(long id, String heartbeat, String error) {
        return native_("""
                UPDATE training_runs SET status = 'failed', error = :error, finished_at = now(),
                       duration_ms = CAST(EXTRACT(EPOCH FROM (now() - coalesce(started_at, created_at))) * 1000 AS bigint)
                WHERE id = :id AND status IN ('queued', 'running') AND coalesce(progress->>'heartbeat_at', '') = :heartbeat""")
                .setParameter("error", error).setParameter("id", id).setParameter("heartbeat", heartbeat)
                .executeUpdate() == 1;
    }

    /** The dataset of the model's latest run that got as far as a model (else of its latest run at all). */
    public Optional<Long> latestDatasetOf(long projectId, String model) {
        List<?> ids = native_("""
                SELECT dataset_id FROM training_runs
                WHERE project_id = :project AND model_name = :model AND dataset_id IS NOT NULL
                ORDER BY (status IN ('succeeded', 'rejected')) DESC, created_at DESC, id DESC
                LIMIT 1""")
                .setParameter("project", projectId).setParameter("model", model).getResultList();
        return ids.stream().findFirst().map(id -> ((Number) id).longValue());
    }

    private jakarta.persistence.Query native_(String sql) {
        return getEntityManager().createNativeQuery(sql);
    }
}
