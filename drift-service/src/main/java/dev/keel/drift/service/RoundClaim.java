package dev.keel.drift.service;

import dev.keel.common.jobs.JobLeases;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The claim of one scheduled job's rounds in {@code job_leases}, made to heal itself when the replica
 * running a round dies. A firing is claimed for a short lease that the running replica renews on its
 * {@link #heartbeat}; a round that ends records its firing in the job's {@code <job>.completed} row. A
 * firing claimed but not completed whose claim nobody renews is a dead round: the next heartbeat of
 * any replica takes it over and hands its firing to the job, which finishes what the dead round did
 * not. Each job holds one, with its own holder, so the scheduled drift reports and the performance job
 * never take each other's claims.
 *
 * <p>A takeover runs on a thread of its own, not on the heartbeat's: the scheduler skips a heartbeat
 * while the previous one runs, so a takeover run by the heartbeat itself would never be renewed, and
 * one longer than the lease would be taken over again by another replica while it still ran.
 */
final class RoundClaim {

    private static final Logger LOG = Logger.getLogger(RoundClaim.class);

    private final String job;
    private final String completed;
    private final JobLeases leases;
    private final Supplier<Duration> lease;
    private final String holder = "drift-service-" + UUID.randomUUID();
    /** The firing whose round this replica runs now, whose claim its heartbeat renews. */
    private final AtomicReference<Instant> running = new AtomicReference<>();
    /** Set when a renewal found the claim taken: the round stops before its next model. */
    private volatile boolean lost;
    /** Set while a takeover (or the look for one) runs, so the heartbeat starts no second one. */
    private final AtomicBoolean takingOver = new AtomicBoolean();
    /** Runs takeovers; its one thread ends after a minute idle. */
    private final Executor takeovers;

    RoundClaim(String job, JobLeases leases, Supplier<Duration> lease) {
        this.job = job;
        this.completed = completedRow(job);
        this.leases = leases;
        this.lease = lease;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, job + "-takeover");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.takeovers = pool;
    }

    /** The job_leases row whose last_run_at is the last firing of {@code job} whose round finished. */
    static String completedRow(String job) {
        return job + ".completed";
    }

    /**
     * Runs {@code round} for the cron firing at {@code firing} when this replica claims it (once across
     * replicas: their timers fire at the same instant, and one that fires after another finished finds
     * the firing taken); empty when another replica has it.
     */
    <T> List<T> runFiring(Instant firing, Supplier<List<T>> round) {
        Instant claimed = firing.truncatedTo(ChronoUnit.SECONDS);
        return leases.runClaimed(job, claimed, holder, lease.get(), () -> run(claimed, round))
                .orElseGet(() -> {
                    LOG.debugf("Firing %s of %s skipped: another replica runs it", firing, job);
                    return List.of();
                });
    }

    /**
     * Renews the claim of the round this replica runs (a takeover's too), and when it runs none, starts
     * {@code takeOver} (which calls {@link #takeOver}) on the takeover thread to take over a round another
     * replica left unfinished; returns without waiting for it. A failure is a warning: the next heartbeat
     * tries again.
     */
    void heartbeat(Runnable takeOver) {
        try {
            Instant firing = running.get();
            if (firing != null) {
                if (!leases.acquire(job, holder, lease.get())) {
                    lost = true;
                    LOG.warnf("The claim of %s's round of %s was taken by another replica; this one stops", job, firing);
                }
                return;
            }
            if (takingOver.compareAndSet(false, true)) {
                takeovers.execute(() -> {
                    try {
                        takeOver.run();
                    } catch (RuntimeException e) {
                        LOG.warnf("Takeover of %s failed (tried again at the next heartbeat): %s", job, e.getMessage());
                    } finally {
                        takingOver.set(false);
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warnf("Heartbeat of %s failed (tried again at the next one): %s", job, e.getMessage());
        }
    }

    /**
     * The round of the last firing claimed, when it never completed and its claim is no longer renewed
     * (its replica died, or its round failed on a database error): {@code finish} is given that firing
     * and runs under the claim, and the firing is recorded as completed. Empty when there is none, or
     * its replica still renews it.
     */
    <T> List<T> takeOver(Function<Instant, List<T>> finish) {
        if (completed(leases.lastRun(job).orElse(null))) {
            return List.of();
        }
        if (!leases.acquire(job, holder, lease.get())) {
            return List.of();
        }
        try {
            // read again under the claim: another replica may have finished it meanwhile
            Instant firing = leases.lastRun(job).orElse(null);
            if (completed(firing)) {
                return List.of();
            }
            LOG.warnf("Taking over the round of %s's firing %s, claimed by a replica that stopped renewing it", job, firing);
            List<T> made = run(firing, () -> finish.apply(firing));
            LOG.infof("Round of %s's firing %s finished by this replica: %d made", job, firing, made.size());
            return made;
        } finally {
            leases.release(job, holder);
        }
    }

    /** Whether a renewal found this replica's claim taken: the round it runs stops before its next model. */
    boolean lost() {
        return lost;
    }

    /** Whether the round of {@code firing} finished (or there is none). */
    private boolean completed(Instant firing) {
        return firing == null || leases.lastRun(completed).filter(done -> !done.isBefore(firing)).isPresent();
    }

    /** Runs a round with its claim renewed by the heartbeat, and records the firing as completed when it ends. */
    private <T> List<T> run(Instant firing, Supplier<List<T>> round) {
        lost = false;
        running.set(firing);
        try {
            List<T> made = round.get();
            if (!lost) {
                leases.claim(completed, firing, holder, Duration.ZERO);
            }
            return made;
        } finally {
            running.set(null);
        }
    }
}
